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

/** One vocabulary, the customer's (customerStatus), said the same way wherever it shows. */
export const statusMeaning: Record<Project['status'], string> = {
  planned: 'No site work has begun yet: the request is being handled, or the first visit is not due yet.',
  in_progress: 'Work has begun: a visit is under way, or the office is reviewing it or planning the next one.',
  completed: 'Closed: the work is done (resolved, or the sale is installed).',
  cancelled: 'Closed without the work: not required, rejected or cancelled.',
  problem: 'Needs attention: the latest visit failed or was not carried out, or the case closed unresolved.',
};

export function StatusBadge({ status }: { status: Project['status'] }) {
  return (
    <span className={`badge badge--status badge--${status}`} title={statusMeaning[status]}>
      {statusText[status] ?? humanize(status)}
    </span>
  );
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
