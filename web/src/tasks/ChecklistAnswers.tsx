// A checklist's answers as the reviewer reads them: the template's questions, values with
// their units, the comments of failed items and the photos and signatures themselves.
// A review task shows the checklists of its job (and what else was entered) this way.
import type { JsonSchema, Page, Task } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime, formatPerson, humanize } from '../ui/format';
import { PASS_FAIL_LABELS } from './fields/ChecklistField';
import { DocumentThumb } from './fields/DocumentThumb';
import { PayloadSummary } from './PayloadSummary';

export const CHECKLIST_TYPES = new Set([
  'inspection_checklist',
  'audit_checklist',
  'pre_start_checklist',
  'testing_commissioning',
  'pre_installation_checklist',
  'roof_works',
  'system_installation',
  'commissioning_sheet',
]);

/** Review tasks: they show what their job entered (its checklists first among them). */
export const REVIEW_TYPES = new Set(['review_audit_artefacts', 'review_inspection_report', 'review_installation_reports', 'review_replacement_artefacts', 'audit_review']);

/** Reviews of the whole project: they show everything entered on it (the request, the jobs' work). */
export const PROJECT_REVIEW_TYPES = new Set(['service_review', 'approve_service_order', 'internal_review']);

/** What a review task reviews, as the heading above its artefacts. */
export const reviewHeading = (type: string): string | undefined =>
  REVIEW_TYPES.has(type) ? 'Checklists of this job and its other entries' : PROJECT_REVIEW_TYPES.has(type) ? 'What was entered on this project' : undefined;

function Answer({ item, value }: { item: JsonSchema; value: unknown }) {
  if (value === undefined || value === null || value === '') return <span className="muted">Not answered</span>;
  switch (item['x-itemType']) {
    case 'pass_fail_na': {
      const { result, comment } = value as { result?: keyof typeof PASS_FAIL_LABELS; comment?: string };
      return (
        <>
          <span className={`result result--${result}`}>{result ? PASS_FAIL_LABELS[result] : String(result)}</span>
          {comment && <span className={result === 'fail' ? 'answers__comment' : 'muted'}> {comment}</span>}
        </>
      );
    }
    case 'number':
      return (
        <span>
          {String(value)}
          {item['x-unit'] ? ` ${item['x-unit']}` : ''}
        </span>
      );
    case 'photo':
    case 'signature':
      return typeof value === 'string' ? <DocumentThumb documentId={value} alt={item.title ?? 'Photo'} /> : <span>{String(value)}</span>;
    default:
      return <span>{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
  }
}

/** The answers of one done checklist; without a template (older tasks) its raw payload. */
export function ChecklistAnswers({ task }: { task: Task }) {
  const answersSchema = task.schema?.properties?.answers;
  const answers = (task.payload?.answers as Record<string, unknown> | undefined) ?? {};
  if (!answersSchema?.['x-checklist']) return <PayloadSummary payload={task.payload} />;
  const { answers: _answers, ...rest } = task.payload ?? {};
  return (
    <>
      <dl className="answers">
        {Object.entries(answersSchema.properties ?? {}).map(([id, item]) => (
          <div key={id} className="answers__item">
            <dt>{item.title ?? humanize(id)}</dt>
            <dd>
              <Answer item={item} value={answers[id]} />
            </dd>
          </div>
        ))}
      </dl>
      <PayloadSummary payload={rest} />
    </>
  );
}

/**
 * The done tasks of a job (of the project, when the review has no job), oldest first:
 * checklists with their questions, answers and photos; the others with their values
 * (descriptions, notes, serials, documents).
 */
export function JobChecklists({ projectId, jobId }: { projectId: string; jobId?: string }) {
  const api = useApi();
  const data = useResource(
    async (signal) => {
      const page = await api.get<Page<Task>>('/tasks', { signal, query: { projectId, status: 'done', limit: 200 } });
      const mine = page.items.filter((task) => task.status === 'done' && (!jobId || task.jobId === jobId)).reverse();
      return Promise.all(mine.map((task) => (CHECKLIST_TYPES.has(task.type) ? api.get<Task>(`/tasks/${encodeURIComponent(task.id)}`, { signal }) : Promise.resolve(task))));
    },
    [projectId, jobId],
  );
  if (data.error && !data.data) return <ErrorNotice error={data.error} onRetry={() => void data.reload()} />;
  if (!data.data) return <SkeletonRows rows={4} label="Loading what was entered" />;
  const entered = data.data.filter((task) => CHECKLIST_TYPES.has(task.type) || Object.keys(task.payload ?? {}).length > 0);
  if (!entered.length) return <p className="muted">{jobId ? 'Nothing has been entered on this job yet.' : 'Nothing has been entered on this project yet.'}</p>;
  return (
    <>
      {entered.map((task) => (
        <section key={task.id} className="stack" aria-label={task.title}>
          <h3>
            {task.title}
            <span className="muted">
              {' '}
              · {formatDateTime(task.completedAt)}
              {task.completedBy ? ` · ${formatPerson(task.completedBy)}` : ''}
              {task.templateVersion ? ` · template v${task.templateVersion}` : ''}
            </span>
          </h3>
          <ChecklistAnswers task={task} />
        </section>
      ))}
    </>
  );
}
