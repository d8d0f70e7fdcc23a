// Where a service project is: its stages in order, done ones ticked, the current one
// marked (aria-current="step"), stages it went past without visiting shown as skipped.
import type { Project, TimelineEntry } from '../api/types';
import { humanize } from '../ui/format';
import { SERVICE_FLOW, stageHelp } from './stages';

export function StageProgress({ project, timeline }: { project: Project; timeline: TimelineEntry[] }) {
  const visited = new Set<string>(['requesting', project.stage]);
  for (const entry of timeline) {
    if (entry.kind !== 'stage') continue;
    for (const key of ['from', 'to']) if (typeof entry.data?.[key] === 'string') visited.add(entry.data[key] as string);
  }
  const currentIndex = SERVICE_FLOW.indexOf(project.stage);
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
        {SERVICE_FLOW.map((stage, index) => {
          const state =
            index === currentIndex && stage !== 'closed'
              ? 'current'
              : index < currentIndex || (stage === 'closed' && project.stage === 'closed')
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
