// The project's site jobs, each with its tasks in order: done ones with who and when,
// open ones with their due time.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Job, Task, TimelineEntry } from '../api/types';
import { DueTime } from '../ui/Badges';
import { formatPerson, formatDateTime, formatShortWindow, humanize } from '../ui/format';
import { JobPanel } from './JobPanel';

export function Jobs({ jobs, tasks, meId, projectId, changes, timeline }: { jobs: Job[]; tasks: Task[]; meId: string; projectId: string; changes: number; timeline: TimelineEntry[] }) {
  if (!jobs.length) return <p className="muted">No site jobs yet. A job starts when someone has to go to site.</p>;
  return (
    <ol className="jobs">
      {jobs.map((job) => {
        const jobTasks = tasks.filter((task) => task.jobId === job.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        return (
          <li key={job.id} className="job" data-testid={`job-${job.sequence}`}>
            <div className="job__head">
              <h3 className="job__title">
                {humanize(job.type)} job {job.sequence}
              </h3>
              <span className={`badge badge--job-${job.status}`}>{job.status === 'done' ? `Done${job.outcome ? `: ${humanize(job.outcome)}` : ''}` : job.status === 'prepared' ? 'Prepared' : 'Open'}</span>
            </div>
            <p className="muted small">
              {job.scheduledStart ? `Scheduled ${formatShortWindow(job.scheduledStart, job.scheduledEnd)}` : 'Not scheduled yet'}
              {job.installerId ? ` · ${formatPerson(job.installerId, meId)}` : ''}
            </p>
            {jobTasks.length > 0 && (
              <ul className="job__tasks">
                {jobTasks.map((task) => (
                  <li key={task.id} className={`job-task job-task--${task.status}`}>
                    <span className="job-task__mark" aria-hidden="true">
                      {task.status === 'done' ? '✓' : task.status === 'cancelled' ? '×' : '○'}
                    </span>
                    <span className="job-task__title">
                      {task.status === 'done' ? <Link to={`/tasks/${encodeURIComponent(task.id)}`}>{task.title}</Link> : task.title}
                      <span className="visually-hidden"> ({task.status})</span>
                    </span>
                    <span className="job-task__meta muted small">
                      {task.status === 'open' ? (
                        <DueTime dueAt={task.dueAt} />
                      ) : (
                        <>
                          {formatDateTime(task.completedAt)}
                          {task.completedBy ? ` · ${formatPerson(task.completedBy, meId)}` : ''}
                        </>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <FieldWork job={job} projectId={projectId} changes={changes} timeline={timeline} />
          </li>
        );
      })}
    </ol>
  );
}

/** The job's field work, opened on demand so a project with many jobs stays light. */
function FieldWork({ job, projectId, changes, timeline }: { job: Job; projectId: string; changes: number; timeline: TimelineEntry[] }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="job-panel" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Field work</summary>
      {open && <JobPanel jobId={job.id} projectId={projectId} changes={changes} timeline={timeline} />}
    </details>
  );
}
