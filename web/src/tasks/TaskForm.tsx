// The form for any task, generated from its type's payload JSON Schema. Submitting sends
// POST /tasks/:id/complete with one Idempotency-Key per action (kept for a retry after a
// lost answer or a 503, so the retry cannot complete the task twice). problem+json
// errors appear next to the fields they name, and in a summary at the top.
import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { CompleteAnswer, Problem, Task, TaskTypeInfo } from '../api/types';
import { useApi } from '../auth/session';
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

export function TaskForm({ task, info, onCompleted, submitLabel }: Props) {
  const api = useApi();
  const formId = `task-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const [values, setValues] = useState<FormValues>({});
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string | undefined>(undefined);
  const summary = useRef<HTMLDivElement>(null);

  const shape = shapeOf(info.schema, values);
  const errors = new FieldErrors(problem?.errors);
  const ctx: FormContext = { formId, errors, projectId: task.projectId, disabled: busy };

  /** A field that changes loses its error: the person is fixing it. */
  function change(next: FormValues) {
    const changed = new Set(Object.keys(next).filter((name) => next[name] !== values[name]));
    setValues(next);
    setProblem((current) => {
      if (!current?.errors?.length) return current;
      const errors = current.errors.filter((error) => !changed.has(error.path.split('.')[0]));
      return errors.length ? { ...current, errors } : undefined;
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
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

  return (
    <form className="task-form stack" onSubmit={submit} noValidate aria-describedby={problem ? `${formId}-summary` : undefined}>
      {problem && <ErrorSummary id={`${formId}-summary`} refEl={summary} problem={problem} formId={formId} info={info} />}
      <ObjectFields shape={shape} values={values} onChange={change} path="" ctx={ctx} />
      <div className="task-form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : (submitLabel ?? `Complete ${info.title.toLowerCase()}`)}
        </button>
      </div>
    </form>
  );
}

function ErrorSummary({ id, refEl, problem, formId, info }: { id: string; refEl: RefObject<HTMLDivElement | null>; problem: Problem; formId: string; info: TaskTypeInfo }) {
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
                {labelOfPath(info.schema, error.path)}: {plainMessage(error.message)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
