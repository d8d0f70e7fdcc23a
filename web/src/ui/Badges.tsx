// Stage, status and due-time badges. Colour never carries the meaning alone: each badge
// says what it means in words.
import type { Project } from '../api/types';
import { formatFull, formatRelative, formatShort, humanize, isOverdue } from './format';

export function StageBadge({ stage }: { stage: string }) {
  return <span className={`badge badge--stage badge--${stage}`}>{humanize(stage)}</span>;
}

export const statusText: Record<Project['status'], string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  problem: 'Problem',
};

export function StatusBadge({ status }: { status: Project['status'] }) {
  return <span className={`badge badge--status badge--${status}`}>{statusText[status] ?? humanize(status)}</span>;
}

export function DueTime({ dueAt }: { dueAt?: string }) {
  if (!dueAt) return <span className="muted">No due time</span>;
  const overdue = isOverdue(dueAt);
  return (
    <time dateTime={dueAt} className={overdue ? 'due due--overdue' : 'due'} title={formatFull(dueAt)}>
      {overdue ? <strong className="badge badge--overdue">Overdue</strong> : null} {overdue ? formatRelative(dueAt) : `Due ${formatShort(dueAt)}`}
    </time>
  );
}
