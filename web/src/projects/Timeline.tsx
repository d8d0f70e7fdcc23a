// Everything that happened to the project, oldest first, with who and when.
import type { TimelineEntry } from '../api/types';
import { formatActor, formatDateTime } from '../ui/format';

const kindLabel: Record<string, string> = { stage: 'Stage', task: 'Task', event: 'Event', job: 'Job', project: 'Project' };

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
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {formatActor(entry.actor, meId)}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
