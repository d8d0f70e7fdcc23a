// The site's maintenance plans for the office: each one a Temporal Schedule that starts a
// maintenance case at every run. List (how often, the next run), add (presets or a custom
// interval), pause, resume and delete (after a confirmation).
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Problem } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { InputField, SelectField } from '../ui/FormField';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { useToast } from '../ui/Toast';
import { formatDateTime, zonedToIso } from '../ui/format';
import { ErrorSummary, messagesByField } from './ErrorSummary';

export interface Plan {
  id: string;
  siteId: string;
  title: string;
  category: string;
  every?: string;
  cron?: string;
  startAt: string;
  paused: boolean;
  nextRunAt?: string;
}

const UNITS: [RegExp, string][] = [
  [/(\d+)Y/, 'year'],
  [/(\d+)M/, 'month'],
  [/(\d+)W/, 'week'],
  [/(\d+)D/, 'day'],
  [/T.*?(\d+)H/, 'hour'],
  [/T.*?(\d+)M/, 'minute'],
  [/T.*?(\d+)S/, 'second'],
];

/** "P6M" → "Every 6 months", "P1Y" → "Every year", cron as it is. */
export function intervalText(plan: Pick<Plan, 'every' | 'cron'>): string {
  if (plan.cron) return `On the schedule "${plan.cron}"`;
  const every = plan.every ?? '';
  const [date, time = ''] = every.split('T');
  const parts: string[] = [];
  for (const [pattern, unit] of UNITS) {
    const source = ['hour', 'minute', 'second'].includes(unit) ? `T${time}` : date!;
    const match = pattern.exec(source);
    if (match) parts.push(Number(match[1]) === 1 ? unit : `${match[1]} ${unit}s`);
  }
  return parts.length ? `Every ${parts.join(' ')}` : every;
}

const PRESETS = [
  { value: 'P1M', label: 'Every month' },
  { value: 'P3M', label: 'Every 3 months' },
  { value: 'P6M', label: 'Every 6 months' },
  { value: 'P1Y', label: 'Every 12 months' },
  { value: 'custom', label: 'Another interval…' },
  { value: 'cron', label: 'A cron schedule…' },
];

const FIELDS = {
  title: { id: 'plan-title', label: 'What is done' },
  category: { id: 'plan-category', label: 'Category' },
  every: { id: 'plan-interval', label: 'How often' },
  cron: { id: 'plan-cron', label: 'Cron schedule' },
  startAt: { id: 'plan-start', label: 'First run' },
};

function AddPlan({ siteId, onAdded, onCancel }: { siteId: string; onAdded: (plan: Plan) => void; onCancel: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [form, setForm] = useState({ title: '', category: '', preset: 'P6M', custom: '', cron: '', startAt: '' });
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string | undefined>(undefined);
  const errors = messagesByField(problem);
  // Custom intervals show their refusal on their own box; presets on the select.
  const fields = { ...FIELDS, every: form.preset === 'custom' ? { id: 'plan-every', label: 'Interval' } : FIELDS.every };

  async function save(event: FormEvent) {
    event.preventDefault();
    const body: Record<string, unknown> = { title: form.title, category: form.category, startAt: form.startAt ? zonedToIso(form.startAt) : undefined };
    if (form.preset === 'cron') body.cron = form.cron;
    else body.every = form.preset === 'custom' ? form.custom.trim().toUpperCase() : form.preset;
    setBusy(true);
    setProblem(undefined);
    key.current ??= newIdempotencyKey();
    try {
      const plan = await api.post<Plan>(`/sites/${encodeURIComponent(siteId)}/plans`, body, { idempotencyKey: key.current });
      toast(`Maintenance plan "${plan.title}" added`);
      onAdded(plan);
    } catch (err) {
      key.current = undefined;
      setProblem(err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={(event) => void save(event)} noValidate aria-labelledby="add-plan-heading" data-testid="add-plan">
      <h3 id="add-plan-heading">Add a maintenance plan</h3>
      {problem && <ErrorSummary problem={problem} fields={fields} />}
      <InputField {...FIELDS.title} value={form.title} onValue={(title) => setForm({ ...form, title })} error={errors.get('title')} hint="Each run's case says this, with the run's date" autoComplete="off" />
      <InputField {...FIELDS.category} value={form.category} onValue={(category) => setForm({ ...form, category })} error={errors.get('category')} hint="For example inverter, battery or panels" autoComplete="off" />
      <SelectField {...FIELDS.every} value={form.preset} onValue={(preset) => setForm({ ...form, preset })} error={form.preset === 'custom' || form.preset === 'cron' ? undefined : errors.get('every')}>
        {PRESETS.map((preset) => (
          <option key={preset.value} value={preset.value}>
            {preset.label}
          </option>
        ))}
      </SelectField>
      {form.preset === 'custom' && (
        <InputField
          id="plan-every"
          label="Interval"
          value={form.custom}
          onValue={(custom) => setForm({ ...form, custom })}
          error={errors.get('every')}
          hint="As ISO 8601: P14D is every 14 days, P2M every 2 months, P1Y every year"
          autoComplete="off"
          spellCheck={false}
        />
      )}
      {form.preset === 'cron' && (
        <InputField
          {...FIELDS.cron}
          value={form.cron}
          onValue={(cron) => setForm({ ...form, cron })}
          error={errors.get('cron')}
          hint='Five fields on the company clock: minute hour day month weekday. "0 8 1 */3 *" is 08:00 on the 1st every 3 months'
          autoComplete="off"
          spellCheck={false}
        />
      )}
      <InputField {...FIELDS.startAt} type="datetime-local" value={form.startAt} onValue={(startAt) => setForm({ ...form, startAt })} error={errors.get('startAt')} hint="On the company clock; later runs keep its day and time" />
      <div className="form-buttons">
        <button type="submit" className="button button--primary tap" disabled={busy}>
          {busy ? 'Adding…' : 'Add plan'}
        </button>
        <button type="button" className="button button--quiet tap" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function SitePlans({ siteId }: { siteId: string }) {
  const api = useApi();
  const toast = useToast();
  const plans = useResource((signal) => api.get<{ items: Plan[] }>(`/sites/${encodeURIComponent(siteId)}/plans`, { signal }), [siteId]);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const replace = (plan: Plan) => plans.set({ items: (plans.data?.items ?? []).map((item) => (item.id === plan.id ? plan : item)) });

  async function change(plan: Plan, action: 'pause' | 'resume' | 'delete') {
    setBusy(plan.id);
    setFailure(undefined);
    try {
      if (action === 'delete') {
        await api.del(`/plans/${encodeURIComponent(plan.id)}`);
        plans.set({ items: (plans.data?.items ?? []).filter((item) => item.id !== plan.id) });
        setDeleting(undefined);
        toast(`Maintenance plan "${plan.title}" deleted; its cases stay`);
      } else {
        replace(await api.post<Plan>(`/plans/${encodeURIComponent(plan.id)}/${action}`));
        toast(`Maintenance plan "${plan.title}" ${action === 'pause' ? 'paused' : 'resumed'}`);
      }
    } catch (err) {
      setFailure(`"${plan.title}" was not ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'deleted'}: ${(err as Error).message}`);
    } finally {
      setBusy(undefined);
    }
  }

  const items = plans.data?.items ?? [];
  return (
    <section className="card stack" aria-labelledby="plans-heading" data-testid="site-plans">
      <h2 id="plans-heading" className="card__title">
        Maintenance plans <span className="count">{items.length}</span>
      </h2>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {plans.error && !plans.data ? (
        <ErrorNotice error={plans.error} onRetry={() => void plans.reload()} />
      ) : !plans.data ? (
        <SkeletonRows rows={2} label="Loading the maintenance plans" />
      ) : items.length === 0 ? (
        <p className="muted">No maintenance plans. A plan starts a maintenance case at every run.</p>
      ) : (
        <ul className="stack stack--tight plain-list">
          {items.map((plan) => (
            <li key={plan.id} data-testid={`plan-${plan.id}`}>
              <strong>{plan.title}</strong> <span className="muted">· {plan.category}</span>
              {plan.paused && <span className="badge badge--cancelled">Paused</span>}
              <span className="small block">
                {intervalText(plan)} ·{' '}
                {plan.paused ? (
                  'no runs while paused'
                ) : plan.nextRunAt ? (
                  <>
                    next run <time dateTime={plan.nextRunAt}>{formatDateTime(plan.nextRunAt)}</time>
                  </>
                ) : (
                  'no next run known'
                )}
              </span>
              {deleting === plan.id ? (
                <div className="confirm" role="group" aria-label={`Delete ${plan.title}?`}>
                  <p className="small">Delete "{plan.title}"? No more cases start from it; the cases it started stay.</p>
                  <button type="button" className="button button--danger tap" disabled={busy === plan.id} onClick={() => void change(plan, 'delete')}>
                    Delete plan
                  </button>{' '}
                  <button type="button" className="button tap" onClick={() => setDeleting(undefined)}>
                    Keep
                  </button>
                </div>
              ) : (
                <div className="form-buttons">
                  <button type="button" className="button tap" disabled={busy === plan.id} onClick={() => void change(plan, plan.paused ? 'resume' : 'pause')}>
                    {plan.paused ? 'Resume' : 'Pause'}
                    <span className="visually-hidden"> {plan.title}</span>
                  </button>
                  <button type="button" className="button button--quiet tap" disabled={busy === plan.id} onClick={() => setDeleting(plan.id)}>
                    Delete<span className="visually-hidden"> {plan.title}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {adding ? (
        <AddPlan
          siteId={siteId}
          onCancel={() => setAdding(false)}
          onAdded={(plan) => {
            plans.set({ items: [...items, plan] });
            setAdding(false);
          }}
        />
      ) : (
        <div>
          <button type="button" className="button tap" onClick={() => setAdding(true)}>
            Add a maintenance plan
          </button>
        </div>
      )}
    </section>
  );
}
