// What a supervisor watches, from one request (GET /supervisor/overview): approvals
// waiting for them, overdue and escalated work (the kernel's deadlines mark it), and the
// workload of each person and team. It follows every change live.
import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import type { SupervisorOverview, WorkItem, Workload } from '../api/oversight';
import { useResource } from '../api/useResource';
import { roleLabel, useApi } from '../auth/session';
import type { Role } from '../api/types';
import { LiveIndicator } from '../live/LiveIndicator';
import { useShellChanges } from '../notifications/NotificationsProvider';
import { DueTime } from '../ui/Badges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime, formatRelative } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';

// The estimate is in the company's invoice currency, which the console is not told.
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function SupervisorPage() {
  usePageTitle('Supervision');
  const api = useApi();
  const overview = useResource((signal) => api.get<SupervisorOverview>('/supervisor/overview', { signal }), []);
  const live = useShellChanges(useCallback(() => void overview.reload(), [overview.reload]));
  const data = overview.data;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Supervision</h1>
          <p className="muted page-head__sub">
            Approvals waiting for you, work past its due time, and who has how much.{' '}
            {data && (
              <span data-testid="supervision-totals">
                {plural(data.totals.open, 'open task')}, {data.totals.overdue} overdue, {data.totals.escalated} escalated, {data.totals.approvals} waiting for approval.
              </span>
            )}
          </p>
        </div>
        <LiveIndicator status={live} />
      </div>

      {overview.error && !data ? (
        <ErrorNotice error={overview.error} onRetry={() => void overview.reload()} />
      ) : !data ? (
        <SkeletonRows rows={6} label="Loading the overview" />
      ) : (
        <>
          <section aria-labelledby="approvals-heading" className="section">
            <h2 id="approvals-heading">Approvals waiting</h2>
            {data.approvals.length === 0 ? (
              <EmptyState title="No service order waits for approval" />
            ) : (
              <WorkTable caption="Service orders waiting for a supervisor's approval" items={data.approvals} testId="approvals" approval />
            )}
          </section>

          <section aria-labelledby="overdue-heading" className="section">
            <h2 id="overdue-heading">Overdue and escalated</h2>
            <p className="muted small">
              A task is overdue when its due time passes; if it stays open it is escalated to the supervisors. Escalated work comes first.
            </p>
            {data.overdue.length === 0 ? (
              <EmptyState title="Nothing is overdue" />
            ) : (
              <WorkTable caption="Open tasks past their due time" items={data.overdue} testId="overdue" />
            )}
          </section>

          <section aria-labelledby="workload-heading" className="section">
            <h2 id="workload-heading">Workload</h2>
            <div className="workload-grid">
              <WorkloadTable caption="Per team: work nobody in the team has taken yet" rows={data.groups} testId="workload-groups" groups />
              <WorkloadTable caption="Per person: work they have taken or been given" rows={data.people} testId="workload-people" />
            </div>
          </section>
        </>
      )}
    </div>
  );
}

function WorkTable({ caption, items, testId, approval = false }: { caption: string; items: WorkItem[]; testId: string; approval?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table table--cards" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Project and customer</th>
            <th scope="col">{approval ? 'Why' : 'Assigned to'}</th>
            <th scope="col">{approval ? 'Waiting since' : 'Due'}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.taskId} data-testid={`${testId}-${item.taskId}`}>
              <td data-label="Task">
                <Link to={`/tasks/${encodeURIComponent(item.taskId)}`} className="strong-link">
                  {item.title}
                </Link>
                {item.escalatedAt && (
                  <span className="block">
                    <span className="badge badge--overdue">Escalated</span>{' '}
                    <time className="muted small" dateTime={item.escalatedAt} title={formatDateTime(item.escalatedAt)}>
                      {formatRelative(item.escalatedAt)}
                    </time>
                  </span>
                )}
              </td>
              <td data-label="Project">
                <Link to={`/projects/${encodeURIComponent(item.projectId)}`}>{item.projectTitle ?? 'Untitled project'}</Link>
                <span className="muted small block">{item.customerName}</span>
              </td>
              <td data-label={approval ? 'Why' : 'Assigned to'}>
                {approval ? (
                  <>
                    {item.reason ?? 'Approval needed'}
                    {item.estimateCents !== undefined && <span className="muted small block">Estimate {money.format(item.estimateCents / 100)}</span>}
                  </>
                ) : (
                  item.assigneeName
                )}
              </td>
              <td data-label={approval ? 'Waiting since' : 'Due'}>
                {approval ? (
                  <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
                    {formatRelative(item.createdAt)}
                  </time>
                ) : (
                  <DueTime dueAt={item.dueAt} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WorkloadTable({ caption, rows, testId, groups = false }: { caption: string; rows: Workload[]; testId: string; groups?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="table__caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{groups ? 'Team' : 'Person'}</th>
            <th scope="col" className="numeric">
              Open
            </th>
            <th scope="col" className="numeric">
              Overdue
            </th>
            <th scope="col" className="numeric">
              Escalated
            </th>
            {groups && (
              <th scope="col" className="numeric">
                Taken by members
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.assignee} data-testid={`${testId}-${row.assignee}`}>
              <th scope="row">
                {row.name}
                {!groups && row.role && <span className="muted small block">{roleLabel[row.role as Role] ?? row.role}</span>}
              </th>
              <td className="numeric">{row.open}</td>
              <td className={`numeric${row.overdue ? ' numeric--alert' : ''}`}>{row.overdue}</td>
              <td className={`numeric${row.escalated ? ' numeric--alert' : ''}`}>{row.escalated}</td>
              {groups && <td className="numeric">{row.members ?? 0}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
