// "Could not carry out": the job closes as not_carried_out with the reason, after a
// confirmation step; the project's review sees the reason.
import { useState } from 'react';
import { useApi } from '../auth/session';
import { ActionError, useAction } from './useAction';

export function CloseJob({ jobId, onClosed }: { jobId: string; onClosed: () => void }) {
  const api = useApi();
  const action = useAction();
  const [step, setStep] = useState<'idle' | 'reason' | 'confirm'>('idle');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);

  const close = async () => {
    const body = { outcome: 'not_carried_out', reason: reason.trim() };
    if (await action.run('close', body, (key) => api.post(`/jobs/${encodeURIComponent(jobId)}/close`, body, { idempotencyKey: key }))) {
      setStep('idle');
      onClosed();
    }
  };

  return (
    <section className="card close-job" aria-labelledby={`close-${jobId}`} data-testid="close-job">
      <h2 id={`close-${jobId}`} className="card__title">
        Could not carry out?
      </h2>
      {step === 'idle' && (
        <button type="button" className="button button--danger tap" onClick={() => setStep('reason')}>
          Could not carry out…
        </button>
      )}
      {step === 'reason' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) return setMissing(true);
            setMissing(false);
            setStep('confirm');
          }}
        >
          <div className={`field${missing ? ' field--invalid' : ''}`}>
            <label htmlFor={`close-reason-${jobId}`}>Why could the job not be done?</label>
            <textarea id={`close-reason-${jobId}`} rows={3} maxLength={2000} value={reason} aria-describedby={missing ? `close-reason-${jobId}-error` : undefined} onChange={(event) => setReason(event.target.value)} />
            {missing && (
              <p id={`close-reason-${jobId}-error`} className="field-error" role="alert">
                Say why, so the office can plan what happens next.
              </p>
            )}
          </div>
          <div className="form-buttons">
            <button type="submit" className="button tap">
              Continue
            </button>
            <button type="button" className="button button--quiet tap" onClick={() => setStep('idle')}>
              Keep working
            </button>
          </div>
        </form>
      )}
      {step === 'confirm' && (
        <div>
          <p>
            Close this job as <strong>not carried out</strong>? The reason goes to the office: “{reason.trim()}”. This cannot be undone.
          </p>
          <ActionError action={action} name="close" />
          <div className="form-buttons">
            <button type="button" className="button button--danger tap" disabled={Boolean(action.busy)} onClick={() => void close()}>
              Yes, close the job
            </button>
            <button type="button" className="button button--quiet tap" onClick={() => setStep('reason')}>
              Go back
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
