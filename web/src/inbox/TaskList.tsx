// Rows of tasks that open the task's form; a table's columns on wide screens, cards on a phone.
import { Link } from 'react-router-dom';
import type { Project, Task } from '../api/types';
import { jobLabel } from '../projects/useProjectsById';
import { DueTime, StageBadge } from '../ui/Badges';
import { formatAssignee, formatPerson, isOverdue } from '../ui/format';

export function TaskList({ tasks, projects, meId }: { tasks: Task[]; projects: Map<string, Project>; meId: string }) {
  return (
    <ul className="task-list" aria-label="Open tasks">
      {tasks.map((task) => {
        const project = projects.get(task.projectId);
        const job = jobLabel(project, task.jobId);
        return (
          <li key={task.id}>
            <Link to={`/tasks/${encodeURIComponent(task.id)}`} className={`task-row${isOverdue(task.dueAt) ? ' task-row--overdue' : ''}`}>
              <span className="task-row__main">
                <span className="task-row__title">{task.title}</span>
                <span className="task-row__project">
                  {project?.title ?? (project ? 'Untitled project' : <span className="skeleton skeleton--inline" aria-hidden="true" />)}
                  {job && <span className="task-row__job"> · {job}</span>}
                </span>
              </span>
              <span className="task-row__stage">
                <StageBadge stage={task.stage} />
              </span>
              <span className="task-row__due">
                <DueTime dueAt={task.dueAt} />
              </span>
              <span className="task-row__who muted">{task.claimedBy ? `${formatPerson(task.claimedBy, meId)} has it` : formatAssignee(task.assignee, meId)}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
