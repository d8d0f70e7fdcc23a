// Rows of tasks that open the task's form; a table's columns on wide screens, cards on a phone.
// Each row's project and job come with the task (GET /tasks), so the list needs no more requests.
import { Link } from 'react-router-dom';
import type { Task } from '../api/types';
import { jobName } from '../dispatch/types';
import { DueTime, StageBadge } from '../ui/Badges';
import { formatAssignee, formatPerson, isOverdue } from '../ui/format';

export function TaskList({ tasks, meId }: { tasks: Task[]; meId: string }) {
  return (
    <ul className="task-list" aria-label="Open tasks">
      {tasks.map((task) => (
        <li key={task.id}>
          <Link to={`/tasks/${encodeURIComponent(task.id)}`} className={`task-row${isOverdue(task.dueAt) ? ' task-row--overdue' : ''}`}>
            <span className="task-row__main">
              <span className="task-row__title">{task.title}</span>
              <span className="task-row__project">
                {task.projectTitle ?? 'Untitled project'}
                {task.job && <span className="task-row__job"> · {jobName(task.job)}</span>}
                {task.customerName && <span className="task-row__customer"> · {task.customerName}</span>}
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
      ))}
    </ul>
  );
}
