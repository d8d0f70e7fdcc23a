// A confirmation from site: more material, more workers or an unforeseen service, with what
// and why. The server makes the next version of the work order and answers with it.
import { useState, type FormEvent } from 'react';
import { useApi } from '../auth/session';
import { humanize } from '../ui/format';
import { ArticlePicker, formatCents, useArticles } from './Protocol';
import type { WorkOrder } from './types';
import { ActionError, useAction } from './useAction';

type Kind = 'more_material' | 'more_workers' | 'unforeseen_service';
const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'more_material', label: 'More material' },
  { kind: 'more_workers', label: 'More workers' },
  { kind: 'unforeseen_service', label: 'Unforeseen service' },
];

export function ConfirmationForm({ jobId, onMade }: { jobId: string; onMade: () => void }) {
  const api = useApi();
  const action = useAction();
  const articles = useArticles();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Kind>('more_material');
  const [description, setDescription] = useState('');
  const [lines, setLines] = useState<{ articleId: string; quantity: number }[]>([]);
  const [made, setMade] = useState<WorkOrder>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!description.trim()) {
      void action.run('confirm', null, () => Promise.reject(new Error('Describe what is needed and why.')));
      return;
    }
    const body = { kind, description: description.trim(), ...(lines.length ? { materials: lines } : {}) };
    const answer = await action.run('confirm', body, (key) =>
      api.post<{ workOrder?: WorkOrder }>(`/jobs/${encodeURIComponent(jobId)}/confirmations`, body, { idempotencyKey: key }),
    );
    if (answer) {
      setMade(answer.workOrder);
      setDescription('');
      setLines([]);
      setOpen(false);
      onMade();
    }
  };

  const nameOf = (articleId: string) => articles.data?.items.find((article) => article.id === articleId);

  return (
    <section className="card confirmation" aria-labelledby={`confirm-${jobId}`}>
      <h2 id={`confirm-${jobId}`} className="card__title">
        Confirmation
      </h2>
      {made && (
        <p className="protocol__ready" role="status" data-testid="confirmation-made">
          Work order version {made.version} made: {made.reason}
        </p>
      )}
      {!open ? (
        <>
          <p className="muted">More material, more workers or another service than the work order says? Raise a confirmation: it makes the next work-order version.</p>
          <button type="button" className="button tap" onClick={() => (setOpen(true), setMade(undefined))}>
            Raise a confirmation
          </button>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)} aria-label="Raise a confirmation">
          <fieldset className="field">
            <legend>What is needed</legend>
            <div className="choices">
              {KINDS.map((option) => (
                <label key={option.kind} className="choice tap">
                  <input type="radio" name={`confirm-kind-${jobId}`} value={option.kind} checked={kind === option.kind} onChange={() => setKind(option.kind)} />
                  {option.label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`confirm-description-${jobId}`}>Description</label>
            <textarea id={`confirm-description-${jobId}`} rows={3} maxLength={2000} value={description} onChange={(event) => setDescription(event.target.value)} />
          </div>
          <fieldset className="field">
            <legend>Material lines{kind === 'more_material' ? '' : ' (optional)'}</legend>
            {lines.length > 0 && (
              <ul className="lines">
                {lines.map((line, index) => {
                  const article = nameOf(line.articleId);
                  return (
                    <li key={`${line.articleId}-${index}`} className="line">
                      <span className="line__main">
                        {line.quantity} {article?.unit} · {article?.name ?? line.articleId}
                        {article && <span className="muted small"> · {formatCents(article.priceCents)} per {article.unit}</span>}
                      </span>
                      <button type="button" className="button button--quiet tap" onClick={() => setLines(lines.filter((_, at) => at !== index))}>
                        Remove<span className="visually-hidden"> {article?.name}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <ArticlePicker
              idPrefix={`confirm-material-${jobId}`}
              busy={Boolean(action.busy)}
              submitLabel="Add to the confirmation"
              onPick={async (articleId, quantity) => {
                setLines((current) => [...current, { articleId, quantity }]);
                return true;
              }}
            />
          </fieldset>
          <ActionError action={action} name="confirm" />
          <div className="form-buttons">
            <button type="submit" className="button button--primary tap" disabled={Boolean(action.busy)}>
              Send the confirmation
            </button>
            <button type="button" className="button button--quiet tap" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          <p className="muted small">{humanize(kind)}: the office sees it at once.</p>
        </form>
      )}
    </section>
  );
}
