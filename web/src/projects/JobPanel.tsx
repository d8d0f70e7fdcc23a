// A job's field work for the office, inside the project page: trips, the protocol with
// its photos and handover, the confirmations and every work-order version with its PDF,
// the job channel, and a link to the job page. Loaded when opened; follows live changes.
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import type { TimelineEntry } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { JobChannel } from '../jobs/JobChannel';
import { ProtocolSummary } from '../jobs/Protocol';
import { Trips } from '../jobs/Trips';
import type { JobMessage, Protocol, Trip, WorkOrder } from '../jobs/types';
import { WorkOrders } from '../jobs/WorkOrders';
import { SkeletonRows } from '../ui/EmptyState';
import { formatActor, formatDateTime } from '../ui/format';

export function JobPanel({ jobId, projectId, changes, timeline }: { jobId: string; projectId: string; changes: number; timeline: TimelineEntry[] }) {
  const api = useApi();
  const { user } = useSession();
  const base = `/jobs/${encodeURIComponent(jobId)}`;
  const trips = useResource((signal) => api.get<{ items: Trip[] }>(`${base}/trips`, { signal }), [jobId]);
  const protocol = useResource((signal) => api.get<Protocol>(`${base}/protocol`, { signal }), [jobId]);
  const orders = useResource((signal) => api.get<{ items: WorkOrder[] }>(`${base}/work-orders`, { signal }), [jobId]);
  const messages = useResource((signal) => api.get<{ items: JobMessage[] }>(`${base}/messages`, { signal }), [jobId]);
  useEffect(() => {
    if (!changes) return;
    void trips.reload();
    void protocol.reload();
    void orders.reload();
    void messages.reload();
  }, [changes]);

  // Confirmations are in the job's timeline, each with the work-order version it made.
  const confirmations = timeline.filter((entry) => entry.jobId === jobId && entry.data?.confirmationId);
  return (
    <div className="job-panel__body" data-testid={`job-panel-${jobId}`}>
      <p>
        <Link className="button tap" to={`/jobs/${encodeURIComponent(jobId)}`}>
          Open the job page
        </Link>
      </p>
      <Trips jobId={jobId} trips={trips} readOnly />
      <section className="card" aria-label="Protocol">
        <h2 className="card__title">Protocol</h2>
        {protocol.data ? <ProtocolSummary protocol={protocol.data} meId={user.id} /> : <SkeletonRows rows={2} label="Loading the protocol" />}
      </section>
      <section className="card" aria-label="Confirmations">
        <h2 className="card__title">
          Confirmations <span className="count">{confirmations.length}</span>
        </h2>
        {confirmations.length === 0 ? (
          <p className="muted">None raised from site.</p>
        ) : (
          <ul className="lines">
            {confirmations.map((entry) => (
              <li key={entry.id} className="line">
                <span className="line__main">
                  {entry.summary.replace(/^Job \d+: /, '')}
                  <span className="muted small">
                    {' '}
                    · {formatActor(entry.actor, user.id)} · {formatDateTime(entry.at)}
                    {typeof entry.data?.version === 'number' ? ` · work order version ${entry.data.version}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <WorkOrders jobId={jobId} orders={orders} />
      {messages.data && <JobChannel jobId={jobId} projectId={projectId} messages={messages} />}
    </div>
  );
}
