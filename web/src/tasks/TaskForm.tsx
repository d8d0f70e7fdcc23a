// The form for any task, generated from the task's own payload JSON Schema (GET /tasks/:id:
// a checklist's comes from the template version it was opened with). Submitting sends
// POST /tasks/:id/complete with one Idempotency-Key per action (kept for a retry after a
// lost answer or a 503, so the retry cannot complete the task twice). problem+json
// errors appear next to the fields they name, and in a summary at the top. Values that
// close the project or reject the order are confirmed first, saying what will happen.
import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { CompleteAnswer, JsonSchema, Problem, Task, TaskTypeInfo } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { consequenceOf, type Consequence } from './consequences';
import { labelOfPath } from './labels';
import { FieldErrors, fieldId, focusField, plainMessage } from './errors';
import { ObjectFields, type FormContext } from './fields/Field';
import { objectPayload, shapeOf, type FormValues } from './schema';

interface Props {
  task: Task;
  info: TaskTypeInfo;
  onCompleted: (answer: CompleteAnswer) => void;
  submitLabel?: string;
}

/** The form, once the task's own schema is known (a task from a list has none: it is loaded). */
export function TaskForm(props: Props) {
  const api = useApi();
  const { task } = props;
  const loaded = useResource(async (signal) => (task.schema ? task : api.get<Task>(`/tasks/${encodeURIComponent(task.id)}`, { signal })), [task.id, Boolean(task.schema)]);
  const schema = task.schema ?? loaded.data?.schema;
  if (schema) return <SchemaForm {...props} schema={schema} />;
  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />;
  return <SkeletonRows rows={3} label="Loading the form" />;
}

function SchemaForm({ task, info, onCompleted, submitLabel, schema }: Props & { schema: JsonSchema }) {
  const api = useApi();
  const formId = `task-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const [values, setValues] = useState<FormValues>({});
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string | undefined>(undefined);
  const summary = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState<Consequence>();
  const question = useRef<HTMLDivElement>(null);

  const shape = shapeOf(schema, values);
  const errors = new FieldErrors(problem?.errors);
  const ctx: FormContext = { formId, errors, projectId: task.projectId, disabled: busy };

  /** A field that changes loses its error: the person is fixing it. */
  function change(next: FormValues) {
    const changed = new Set(Object.keys(next).filter((name) => next[name] !== values[name]));
    setValues(next);
    setConfirming(undefined);
    setProblem((current) => {
      if (!current?.errors?.length) return current;
      const errors = current.errors.filter((error) => {
        const [top, inner] = error.path.split('.');
        if (!changed.has(top)) return true;
        // Inside an object (a checklist's answers), only the item that changed loses its error.
        const before = values[top];
        const after = next[top];
        if (inner && isObject(before) && isObject(after)) return before[inner] === after[inner];
        return false;
      });
      return errors.length ? { ...current, errors } : undefined;
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const consequence = consequenceOf(task.type, objectPayload(shape, values) as Record<string, unknown>);
    if (consequence && !confirming) {
      setConfirming(consequence);
      window.requestAnimationFrame(() => question.current?.focus());
      return;
    }
    await send();
  }

  async function send() {
    setConfirming(undefined);
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const answer = await api.post<CompleteAnswer>(`/tasks/${encodeURIComponent(task.id)}/complete`, objectPayload(shape, values), { idempotencyKey: key.current });
      key.current = undefined;
      setProblem(undefined);
      onCompleted(answer);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError({ title: 'Something went wrong', status: 0, detail: String(err) });
      // A refused payload is a new action once fixed; a lost or unavailable answer is retried as the same one.
      if (apiError.status >= 400 && apiError.status < 500) key.current = undefined;
      setProblem(apiError.problem);
      window.requestAnimationFrame(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  }

  // The job's protocol is not whole (409): said in plain words next to the button, with the way to the job page.
  const protocolGaps = problem?.status === 409 ? (problem.errors ?? []).filter((error) => error.path.startsWith('protocol.')) : [];
  return (
    <form className="task-form stack" onSubmit={submit} noValidate aria-describedby={problem ? `${formId}-summary` : undefined}>
      {problem && !protocolGaps.length && <ErrorSummary id={`${formId}-summary`} refEl={summary} problem={problem} formId={formId} schema={schema} />}
      <ObjectFields shape={shape} values={values} onChange={change} path="" ctx={ctx} />
      <div className="task-form__actions">
        {protocolGaps.length > 0 && (
          <div id={`${formId}-summary`} className="protocol__missing" role="alert" tabIndex={-1} ref={summary}>
            <p className="protocol__missing-title">The job's protocol is not complete yet:</p>
            <ul>
              {protocolGaps.map((gap) => (
                <li key={gap.path}>{plainMessage(gap.message)}</li>
              ))}
            </ul>
            {task.jobId && <Link to={`/jobs/${encodeURIComponent(task.jobId)}`}>Open the job's protocol</Link>}
          </div>
        )}
        {confirming ? (
          <div className="confirm stack" role="alertdialog" aria-modal="false" aria-labelledby={`${formId}-confirm-title`} aria-describedby={`${formId}-confirm-text`} tabIndex={-1} ref={question} data-testid="confirm" onKeyDown={(event) => event.key === 'Escape' && !busy && setConfirming(undefined)}>
            <p id={`${formId}-confirm-title`} className="confirm__title">
              Are you sure?
            </p>
            <p id={`${formId}-confirm-text`}>{confirming.question}</p>
            <div className="task-form__actions">
              <button type="button" className="button button--danger" onClick={() => void send()} disabled={busy}>
                {busy ? 'Saving…' : confirming.confirm}
              </button>
              <button type="button" className="button" onClick={() => setConfirming(undefined)} disabled={busy}>
                No, go back
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : (submitLabel ?? `Complete ${info.title.toLowerCase()}`)}
          </button>
        )}
      </div>
    </form>
  );
}

function ErrorSummary({ id, refEl, problem, formId, schema }: { id: string; refEl: RefObject<HTMLDivElement | null>; problem: Problem; formId: string; schema: JsonSchema }) {
  const fieldErrors = problem.errors ?? [];
  const heading =
    problem.status === 409
      ? 'This task cannot be completed now'
      : problem.status === 503 || problem.status === 0
        ? 'Not saved yet: try again'
        : fieldErrors.length
          ? `Please fix ${fieldErrors.length === 1 ? 'this' : `these ${fieldErrors.length}`} to complete the task`
          : problem.title;
  return (
    <div id={id} className="error-summary" role="alert" tabIndex={-1} ref={refEl}>
      <p className="error-summary__title">{heading}</p>
      {problem.detail && !fieldErrors.length && <p>{problem.detail}</p>}
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((error, index) => (
            <li key={index}>
              <a
                href={`#${fieldId(formId, error.path)}`}
                onClick={(event) => {
                  event.preventDefault();
                  focusField(formId, error.path);
                }}
              >
                {summaryLine(labelOfPath(schema, error.path), error.message)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Checklist › DC isolator condition" and "DC isolator condition: required" say the label once. */
function summaryLine(label: string, message: string): string {
  const last = label.split(' › ').pop() ?? label;
  const rest = message.startsWith(`${last}: `) ? message.slice(last.length + 2) : message;
  return `${label}: ${plainMessage(rest)}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
