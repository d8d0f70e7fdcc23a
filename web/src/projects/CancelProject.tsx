// Cancelling a project, for supervisors and admins: a reason, then a confirmation step,
// then POST /projects/:id/cancel. The workflow closes the open tasks, cancels running jobs
// and tells the outside systems (visible in the timeline).
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Project } from '../api/types';
import { useApi } from '../auth/session';

export function CancelProject({ project, onCancelled }: { project: Project; onCancelled: (project: Project) => void }) {
  const api = useApi();
  const [step, setStep] = useState<'closed' | 'reason' | 'confirm'>('closed');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (step === 'closed') {
    return (
      <button type="button" className="button button--small button--danger" onClick={() => setStep('reason')}>
        Cancel project…
      </button>
    );
  }

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Say why the project is cancelled');
      return;
    }
    setError(undefined);
    setStep('confirm');
  };

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<Project>(`/projects/${encodeURIComponent(project.id)}/cancel`, { reason: reason.trim() });
      setStep('closed');
      onCancelled(answer);
    } catch (err) {
      const problem = err instanceof ApiError ? err.problem : undefined;
      setError(problem?.errors?.[0]?.message ?? problem?.detail ?? problem?.title ?? String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card cancel-project" aria-labelledby="cancel-heading" data-testid="cancel-project">
      <h2 id="cancel-heading" className="card__title">
        Cancel this project
      </h2>
      {step === 'reason' ? (
        <form className="stack" onSubmit={next} noValidate>
          <div className={`field${error ? ' field--invalid' : ''}`}>
            <label htmlFor="cancel-reason">Reason</label>
            <p id="cancel-reason-hint" className="hint">
              Shown in the timeline. Open tasks close, running jobs are cancelled and outside systems are told.
            </p>
            <textarea
              id="cancel-reason"
              value={reason}
              maxLength={500}
              rows={3}
              onChange={(event) => setReason(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={`cancel-reason-hint${error ? ' cancel-reason-error' : ''}`}
            />
            {error && (
              <p id="cancel-reason-error" className="field-error">
                <span aria-hidden="true">! </span>
                {error}
              </p>
            )}
          </div>
          <div className="task-form__actions">
            <button type="submit" className="button button--danger">
              Continue
            </button>
            <button type="button" className="button" onClick={() => setStep('closed')}>
              Keep the project
            </button>
          </div>
        </form>
      ) : (
        <div className="stack" role="alertdialog" aria-labelledby="cancel-confirm-text">
          <p id="cancel-confirm-text">
            Cancel <strong>{project.title ?? project.id}</strong> because “{reason.trim()}”? This cannot be undone.
          </p>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="task-form__actions">
            <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={busy}>
              {busy ? 'Cancelling…' : 'Yes, cancel the project'}
            </button>
            <button type="button" className="button" onClick={() => setStep('reason')} disabled={busy}>
              Back
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
