// The installer's jobs, from their open tasks: each opens the job page (trips, protocol,
// photos, handover, confirmations, the channel).
import { Link } from 'react-router-dom';
import type { Project, Task } from '../api/types';
import { jobLabel } from '../projects/useProjectsById';
import { formatShortWindow } from '../ui/format';

export function JobLinks({ tasks, projects }: { tasks: Task[]; projects: Map<string, Project> }) {
  const seen = new Set<string>();
  const jobs = tasks.flatMap((task) => {
    if (!task.jobId || seen.has(task.jobId)) return [];
    seen.add(task.jobId);
    const project = projects.get(task.projectId);
    return [{ id: task.jobId, project, job: project?.jobs.find((candidate) => candidate.id === task.jobId) }];
  });
  if (!jobs.length) return null;
  return (
    <section className="card job-links" aria-labelledby="job-links-heading">
      <h2 id="job-links-heading" className="card__title">
        Jobs <span className="count">{jobs.length}</span>
      </h2>
      <ul className="job-card__next">
        {jobs.map(({ id, project, job }) => (
          <li key={id}>
            <Link className="button button--block tap job-links__link" to={`/jobs/${encodeURIComponent(id)}`}>
              <span>
                {jobLabel(project, id) ?? 'Job'}
                {project && <span className="muted"> · {project.title ?? 'Untitled project'}</span>}
              </span>
              <span className="muted small">{job?.scheduledStart ? formatShortWindow(job.scheduledStart, job.scheduledEnd) : 'Not scheduled'}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
