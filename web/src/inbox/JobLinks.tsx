// The installer's jobs, from their open tasks (each task carries its job and project from
// GET /tasks): each opens the job page (trips, protocol, photos, handover, confirmations,
// the channel).
import { Link } from 'react-router-dom';
import type { Task } from '../api/types';
import { jobName } from '../dispatch/types';
import { formatShortWindow } from '../ui/format';

export function JobLinks({ tasks }: { tasks: Task[] }) {
  const seen = new Set<string>();
  const jobs = tasks.flatMap((task) => {
    if (!task.jobId || seen.has(task.jobId)) return [];
    seen.add(task.jobId);
    return [{ id: task.jobId, title: task.projectTitle, job: task.job }];
  });
  if (!jobs.length) return null;
  return (
    <section className="card job-links" aria-labelledby="job-links-heading">
      <h2 id="job-links-heading" className="card__title">
        Jobs <span className="count">{jobs.length}</span>
      </h2>
      <ul className="job-card__next">
        {jobs.map(({ id, title, job }) => (
          <li key={id}>
            <Link className="button button--block tap job-links__link" to={`/jobs/${encodeURIComponent(id)}`}>
              <span>
                {job ? jobName(job) : 'Job'}
                <span className="muted"> · {title ?? 'Untitled project'}</span>
              </span>
              <span className="muted small">{job?.scheduledStart ? formatShortWindow(job.scheduledStart, job.scheduledEnd) : 'Not scheduled'}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
