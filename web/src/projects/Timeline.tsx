// Everything that happened to the project, oldest first, with who and when, and what
// people entered: a completed task's values (a checklist's answers with their photos on
// demand), a message's photos. Each completed task opens read-only on its own page.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Task, TimelineEntry } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatActor, formatDateTime, formatFull } from '../ui/format';
import { CHECKLIST_TYPES, ChecklistAnswers } from '../tasks/ChecklistAnswers';
import { DocumentRef, PayloadSummary } from '../tasks/PayloadSummary';

const kindLabel: Record<string, string> = { stage: 'Stage', task: 'Task', event: 'Event', job: 'Job', project: 'Project', message: 'Message', case_message: 'Message' };

/** A checklist's answers, loaded when someone opens them (they need the template's questions). */
function LazyAnswers({ taskId }: { taskId: string }) {
  const api = useApi();
  const task = useResource((signal) => api.get<Task>(`/tasks/${encodeURIComponent(taskId)}`, { signal }), [taskId]);
  if (task.error) return <ErrorNotice error={task.error} onRetry={() => void task.reload()} />;
  if (!task.data) return <SkeletonRows rows={2} label="Loading the answers" />;
  return <ChecklistAnswers task={task.data} />;
}

function Entered({ entry }: { entry: TimelineEntry }) {
  const [open, setOpen] = useState(false);
  const data = entry.data ?? {};
  const taskId = typeof data.taskId === 'string' ? data.taskId : undefined;
  const payload = data.payload && typeof data.payload === 'object' ? (data.payload as Record<string, unknown>) : undefined;
  const type = typeof data.type === 'string' ? data.type : undefined;
  const documentIds = Array.isArray(data.documentIds) ? (data.documentIds as string[]) : [];
  if (entry.kind === 'task' && taskId && payload) {
    const checklist = type !== undefined && CHECKLIST_TYPES.has(type);
    const { answers: _answers, ...rest } = payload;
    return (
      <div className="timeline__entered">
        <PayloadSummary payload={checklist ? rest : payload} />
        {checklist && (
          <details className="timeline__answers" onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
            <summary>Answers and photos</summary>
            {open && <LazyAnswers taskId={taskId} />}
          </details>
        )}
        <Link className="timeline__open" to={`/tasks/${encodeURIComponent(taskId)}`}>
          Open the completed task
        </Link>
      </div>
    );
  }
  if (documentIds.length) {
    return (
      <div className="timeline__entered payload__documents">
        {documentIds.map((id) => (
          <DocumentRef key={id} documentId={id} />
        ))}
      </div>
    );
  }
  return null;
}

export function Timeline({ entries, meId }: { entries: TimelineEntry[]; meId: string }) {
  if (!entries.length) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((entry) => (
        <li key={entry.id} className={`timeline__entry timeline__entry--${entry.kind}`}>
          <span className="timeline__dot" aria-hidden="true" />
          <div className="timeline__body">
            <p className="timeline__summary">
              <span className="visually-hidden">{kindLabel[entry.kind] ?? entry.kind}: </span>
              {entry.summary}
            </p>
            <p className="timeline__meta">
              <time dateTime={entry.at} title={formatFull(entry.at)}>
                {formatDateTime(entry.at)}
              </time>{' '}
              · {formatActor(entry.actor, meId)}
            </p>
            <Entered entry={entry} />
          </div>
        </li>
      ))}
    </ol>
  );
}
