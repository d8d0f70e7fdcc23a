// The customer's details as staff change them: only what changed is sent, an emptied
// email or phone is cleared, and a refusal shows every field's problem at once.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Problem } from '../api/types';
import { useApi } from '../auth/session';
import { InputField } from '../ui/FormField';
import { forgetCustomer } from '../projects/useCustomers';
import { useToast } from '../ui/Toast';
import { customerPath } from './CustomerLink';
import { ErrorSummary, messagesByField } from './ErrorSummary';
import type { CustomerDetail } from './types';

const FIELDS = {
  name: { id: 'edit-customer-name', label: 'Name' },
  email: { id: 'edit-customer-email', label: 'Email' },
  phone: { id: 'edit-customer-phone', label: 'Phone' },
};

/** The changed fields of a form of text inputs: "" means clear (null) for the optional ones. */
export function changes<T extends Record<string, string>>(form: T, before: Partial<Record<keyof T, string | number | undefined>>, required: (keyof T)[] = []) {
  const body: Record<string, string | null> = {};
  for (const key of Object.keys(form) as (keyof T & string)[]) {
    const value = form[key].trim();
    if (value === String(before[key] ?? '')) continue;
    body[key] = value === '' && !required.includes(key) ? null : value;
  }
  return body;
}

export function EditCustomer({ customer, onDone }: { customer: CustomerDetail; onDone: (saved: boolean) => void }) {
  const api = useApi();
  const toast = useToast();
  const [form, setForm] = useState({ name: customer.name, email: customer.email ?? '', phone: customer.phone ?? '' });
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string | undefined>(undefined);
  const errors = messagesByField(problem);

  async function save(event: FormEvent) {
    event.preventDefault();
    const body = changes(form, customer, ['name']);
    if (!Object.keys(body).length) return onDone(false);
    setBusy(true);
    setProblem(undefined);
    key.current ??= newIdempotencyKey();
    try {
      await api.patch(customerPath(customer.id), body, { idempotencyKey: key.current });
      forgetCustomer(customer.id);
      toast(`${form.name.trim() || customer.name}: details saved`);
      onDone(true);
    } catch (err) {
      key.current = undefined;
      setProblem(err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={save} noValidate aria-labelledby="edit-customer-heading">
      <h2 id="edit-customer-heading" className="card__title">
        Edit customer details
      </h2>
      {problem && <ErrorSummary problem={problem} fields={FIELDS} />}
      <div className="grid-2">
        <InputField {...FIELDS.name} value={form.name} onValue={(name) => setForm({ ...form, name })} error={errors.get('name')} autoComplete="off" />
        <InputField {...FIELDS.phone} type="tel" optional value={form.phone} onValue={(phone) => setForm({ ...form, phone })} error={errors.get('phone')} hint="Empty it to remove the number" />
        <InputField {...FIELDS.email} type="email" optional value={form.email} onValue={(email) => setForm({ ...form, email })} error={errors.get('email')} />
      </div>
      <div className="form-buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save details'}
        </button>
        <button type="button" className="button button--quiet" onClick={() => onDone(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
