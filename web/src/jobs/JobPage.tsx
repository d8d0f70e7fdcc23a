// One job on the phone (and for the office): the card, what to do next, the channel.
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
import { JobChannel } from './JobChannel';
import type { JobCardData, JobMessage } from './types';

export function JobPage() {
  const { jobId = '' } = useParams();
  const api = useApi();
  const { user } = useSession();
  const card = useResource((signal) => api.get<JobCardData>(`/jobs/${encodeURIComponent(jobId)}/card`, { signal }), [jobId]);
  const messages = useResource((signal) => api.get<{ items: JobMessage[] }>(`/jobs/${encodeURIComponent(jobId)}/messages`, { signal }), [jobId]);
  const projectId = card.data?.project.id;
  usePageTitle(card.data ? `${humanize(card.data.job.type)} job ${card.data.job.sequence}` : 'Job');

  const onChange = useCallback(
    (notices: { jobId?: string; messageId?: string }[]) => {
      if (!notices.some((notice) => notice.jobId === jobId || notice.jobId === undefined)) return;
      void card.reload();
      if (notices.some((notice) => notice.messageId)) void messages.reload();
    },
    [jobId, card.reload, messages.reload],
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
      <JobCard card={card.data} />
      {messages.error && !messages.data ? (
        <ErrorNotice error={messages.error} onRetry={() => void messages.reload()} />
      ) : (
        <JobChannel jobId={job.id} projectId={project.id} messages={messages} />
      )}
    </div>
  );
}
