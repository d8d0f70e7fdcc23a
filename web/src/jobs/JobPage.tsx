// One job on the phone (and for the office): the trip's next step, the card, the protocol,
// confirmations, the work-order versions, the channel and "could not carry out".
// Everything refreshes live when the job or its messages change.
import { useCallback } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useResource } from '../api/useResource';
import { isStaff, useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { humanize } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { JobCard } from './JobCard';
import { CloseJob } from './CloseJob';
import { ConfirmationForm } from './Confirmation';
import { JobChannel } from './JobChannel';
import { ProtocolEditor } from './Protocol';
import { Trips } from './Trips';
import type { JobCardData, JobMessage, Protocol, Trip, WorkOrder } from './types';
import { WorkOrders } from './WorkOrders';

export function JobPage() {
  const { jobId = '' } = useParams();
  const api = useApi();
  const { user } = useSession();
  const card = useResource((signal) => api.get<JobCardData>(`/jobs/${encodeURIComponent(jobId)}/card`, { signal }), [jobId]);
  const messages = useResource((signal) => api.get<{ items: JobMessage[] }>(`/jobs/${encodeURIComponent(jobId)}/messages`, { signal }), [jobId]);
  const base = `/jobs/${encodeURIComponent(jobId)}`;
  const trips = useResource((signal) => api.get<{ items: Trip[] }>(`${base}/trips`, { signal }), [jobId]);
  const protocol = useResource((signal) => api.get<Protocol>(`${base}/protocol`, { signal }), [jobId]);
  const orders = useResource((signal) => api.get<{ items: WorkOrder[] }>(`${base}/work-orders`, { signal }), [jobId]);
  const projectId = card.data?.project.id;
  usePageTitle(card.data ? `${humanize(card.data.job.type)} job ${card.data.job.sequence}` : 'Job');

  const onChange = useCallback(
    (notices: { jobId?: string; messageId?: string }[]) => {
      if (!notices.some((notice) => notice.jobId === jobId || notice.jobId === undefined)) return;
      void card.reload();
      void trips.reload();
      void protocol.reload();
      void orders.reload();
      if (notices.some((notice) => notice.messageId)) void messages.reload();
    },
    [jobId, card.reload, messages.reload, trips.reload, protocol.reload, orders.reload],
  );
  const live = useLiveChanges({ projectId, enabled: Boolean(projectId) }, onChange);

  if (card.error && !card.data) {
    return card.error.status === 403 || card.error.status === 404 ? (
      <EmptyState title="This job is not yours">It is assigned to someone else, or it no longer exists.</EmptyState>
    ) : (
      <ErrorNotice error={card.error} onRetry={() => void card.reload()} />
    );
  }
  if (!card.data) return <SkeletonRows rows={4} label="Loading the job" />;
  const { job, project } = card.data;
  const done = job.status === 'done';
  return (
    <div className="page page--job">
      <div className="page-head">
        <div>
          <h1>
            {humanize(job.type)} job {job.sequence}
            {job.status === 'done' && <span className="badge"> {job.outcome ? humanize(job.outcome) : 'Done'}</span>}
          </h1>
          <p className="muted page-head__sub">
            {project.title ?? 'Untitled project'}
            {isStaff(user.role) && (
              <>
                {' · '}
                <Link to={`/projects/${encodeURIComponent(project.id)}`}>Open the project</Link>
              </>
            )}
          </p>
        </div>
        <LiveIndicator status={live} />
      </div>
      <Trips jobId={job.id} trips={trips} scheduledStart={job.scheduledStart} readOnly={done} />
      <JobCard card={card.data} />
      {protocol.error && !protocol.data ? (
        <ErrorNotice error={protocol.error} onRetry={() => void protocol.reload()} />
      ) : (
        <ProtocolEditor jobId={job.id} projectId={project.id} protocol={protocol} disabled={done} />
      )}
      {!done && <ConfirmationForm jobId={job.id} onMade={() => void orders.reload()} />}
      <WorkOrders jobId={job.id} orders={orders} />
      {messages.error && !messages.data ? (
        <ErrorNotice error={messages.error} onRetry={() => void messages.reload()} />
      ) : (
        <JobChannel jobId={job.id} projectId={project.id} messages={messages} />
      )}
      {!done && <CloseJob jobId={job.id} onClosed={() => void card.reload()} />}
    </div>
  );
}
