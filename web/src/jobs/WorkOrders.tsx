// Every version of the job's work order: who caused it, when and why, each downloadable.
// The PDF needs the bearer token, so it is fetched as a blob and saved from an object URL.
import type { Resource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { formatAssignee, formatDateTime } from '../ui/format';
import type { WorkOrder } from './types';
import { ActionError, useAction } from './useAction';

export function WorkOrders({ jobId, orders }: { jobId: string; orders: Resource<{ items: WorkOrder[] }> }) {
  const api = useApi();
  const { user } = useSession();
  const action = useAction();
  const items = [...(orders.data?.items ?? [])].sort((a, b) => b.version - a.version);

  const download = (order: WorkOrder) =>
    void action.run(`pdf:${order.version}`, null, async () => {
      const blob = await api.blob(`/jobs/${encodeURIComponent(jobId)}/work-order.pdf?version=${order.version}`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `work-order-v${order.version}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return true;
    });

  return (
    <section className="card work-orders" aria-labelledby={`work-orders-${jobId}`}>
      <h2 id={`work-orders-${jobId}`} className="card__title">
        Work orders <span className="count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">No work order yet. Version 1 is made when the office confirms the job.</p>
      ) : (
        <ol className="lines" aria-label="Work-order versions" data-testid="work-orders">
          {items.map((order) => (
            <li key={order.version} className="line">
              <span className="line__main">
                <strong>Version {order.version}</strong> · {order.reason}
                <span className="muted small">
                  {' '}
                  · {formatAssignee(order.createdBy, user.id)} · {formatDateTime(order.createdAt)}
                </span>
              </span>
              <button type="button" className="button tap" disabled={action.busy === `pdf:${order.version}`} onClick={() => download(order)}>
                PDF<span className="visually-hidden"> of work order version {order.version}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      <ActionError action={action} name={/^pdf:/} />
    </section>
  );
}
