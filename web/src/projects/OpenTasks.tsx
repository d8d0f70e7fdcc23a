// The project's open tasks (its own and its jobs'), each with the form generated from
// its type, for those who may complete it.
import type { CompleteAnswer, Project } from '../api/types';
import { useSession } from '../auth/session';
import { JobChecklists, REVIEW_TYPES, reviewHeading } from '../tasks/ChecklistAnswers';
import { TaskForm } from '../tasks/TaskForm';
import { mayComplete, useTaskTypes } from '../tasks/taskTypes';
import { DueTime, StageBadge } from '../ui/Badges';
import { SkeletonRows } from '../ui/EmptyState';
import { formatAssignee } from '../ui/format';
import { jobLabel } from './jobLabel';

export function OpenTasks({ project, onCompleted }: { project: Project; onCompleted: (answer: CompleteAnswer) => void }) {
  const { user } = useSession();
  const { byType, loading } = useTaskTypes();
  if (project.stage === 'closed') return <p className="muted">This project is closed. Nothing is left to do.</p>;
  if (project.stage === 'completed') return <p className="muted">This project is completed. Nothing is left to do.</p>;
  if (project.stage === 'cancelled') return <p className="muted">This project was cancelled. Nothing is left to do.</p>;
  if (!project.openTasks.length) return <p className="muted">No open tasks right now. Waiting for the workflow…</p>;
  return (
    <div className="stack">
      {project.openTasks.map((task) => {
        const info = byType.get(task.type);
        const job = jobLabel(project, task.jobId);
        return (
          <article key={task.id} className="task-card" aria-labelledby={`open-${task.id}`} data-testid={`open-task-${task.type}`}>
            <header className="task-card__head">
              <h3 id={`open-${task.id}`} className="task-card__title">
                {task.title}
              </h3>
              <p className="task-card__meta">
                <StageBadge stage={task.stage} />
                {job && <span>{job}</span>}
                <span>{formatAssignee(task.assignee, user.id)}</span>
                <DueTime dueAt={task.dueAt} />
              </p>
            </header>
            {reviewHeading(task.type) && (
              <details className="task-card__checklists">
                <summary>{reviewHeading(task.type)}</summary>
                <JobChecklists projectId={project.id} jobId={REVIEW_TYPES.has(task.type) ? task.jobId : undefined} />
              </details>
            )}
            {loading ? (
              <SkeletonRows rows={2} label="Loading the form" />
            ) : info && mayComplete(info, user.role) ? (
              <TaskForm key={task.id} task={task} info={info} onCompleted={onCompleted} />
            ) : (
              <p className="muted">Waiting for {formatAssignee(task.assignee, user.id).toLowerCase()}.</p>
            )}
          </article>
        );
      })}
    </div>
  );
}
