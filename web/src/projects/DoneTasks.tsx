// The project's completed tasks, newest first: each opens read-only on its own page with
// everything that was entered, and shows its values here at a glance.
import { Link } from 'react-router-dom';
import type { Task } from '../api/types';
import { formatDateTime, formatPerson } from '../ui/format';
import { CHECKLIST_TYPES } from '../tasks/ChecklistAnswers';
import { PayloadSummary } from '../tasks/PayloadSummary';

export function DoneTasks({ tasks, meId }: { tasks: Task[]; meId: string }) {
  const done = tasks.filter((task) => task.status === 'done').sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''));
  if (!done.length) return <p className="muted">No task is done yet.</p>;
  return (
    <ul className="done-tasks" data-testid="done-tasks">
      {done.map((task) => {
        const { answers, ...rest } = task.payload ?? {};
        return (
          <li key={task.id} className="done-task">
            <p className="done-task__head">
              <Link to={`/tasks/${encodeURIComponent(task.id)}`}>{task.title}</Link>
              <span className="muted small">
                {' '}
                · {formatDateTime(task.completedAt)}
                {task.completedBy ? ` · ${formatPerson(task.completedBy, meId)}` : ''}
              </span>
            </p>
            {CHECKLIST_TYPES.has(task.type) && answers && typeof answers === 'object' ? (
              <p className="muted small">{Object.keys(answers).length} answers: open the task to read them with their photos.</p>
            ) : null}
            <PayloadSummary payload={CHECKLIST_TYPES.has(task.type) ? rest : task.payload} />
          </li>
        );
      })}
    </ul>
  );
}
