// Where a project is: its kind's stages in order, done ones ticked, the current one
// marked (aria-current="step"), stages it went past without visiting shown as skipped.
import type { Project, TimelineEntry } from '../api/types';
import { humanize } from '../ui/format';
import { flowOf, stageHelp } from './stages';

export function StageProgress({ project, timeline }: { project: Project; timeline: TimelineEntry[] }) {
  const flow = flowOf(project.kind);
  const last = flow[flow.length - 1];
  const visited = new Set<string>([flow[0], project.stage]);
  for (const entry of timeline) {
    if (entry.kind !== 'stage') continue;
    for (const key of ['from', 'to']) if (typeof entry.data?.[key] === 'string') visited.add(entry.data[key] as string);
  }
  const cancelled = project.stage === 'cancelled';
  // A cancelled project stopped at the furthest stage it reached.
  const currentIndex = cancelled ? Math.max(...flow.map((stage, index) => (visited.has(stage) ? index + 1 : 0))) : flow.indexOf(project.stage);
  return (
    <div className="stage-progress">
      <p className="stage-progress__now">
        Stage:{' '}
        <strong data-testid="project-stage">{humanize(project.stage)}</strong>
        {project.outcome && (
          <>
            {' '}
            · outcome <strong data-testid="project-outcome">{humanize(project.outcome)}</strong>
          </>
        )}
        <span className="muted"> — {stageHelp[project.stage] ?? ''}</span>
      </p>
      <ol className="stages" aria-label="Stages">
        {flow.map((stage, index) => {
          const state =
            index === currentIndex && stage !== last && !cancelled
              ? 'current'
              : index < currentIndex || (stage === last && project.stage === last)
                ? visited.has(stage)
                  ? 'done'
                  : 'skipped'
                : 'upcoming';
          const label = { current: 'current', done: 'done', skipped: 'skipped', upcoming: 'not yet' }[state];
          return (
            <li key={stage} className={`stages__step stages__step--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="stages__marker" aria-hidden="true">
                {state === 'done' ? '✓' : state === 'skipped' ? '–' : index + 1}
              </span>
              <span className="stages__name">{humanize(stage)}</span>
              <span className="visually-hidden">: {label}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
