// The office invites a customer's contacts to the portal: a name and an email, and the
// contact gets a mail with a sign-in link (POST /customers/:id/invitations). The list
// shows who was invited and whether they took the link.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Problem } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { ErrorNotice } from '../ui/EmptyState';
import { formatShort } from '../ui/format';
import { InputField } from '../ui/FormField';
import { useToast } from '../ui/Toast';
import { ErrorSummary, messagesByField } from './ErrorSummary';

interface Invitation {
  id: string;
  email: string;
  name: string;
  status: 'pending' | 'accepted' | 'expired' | 'replaced';
  createdAt: string;
  expiresAt: string;
  acceptedAt?: string;
}

const FIELDS = {
  name: { id: 'invite-name', label: "Contact's name" },
  // Not "Email": the customer's own details form on the same page has that field.
  email: { id: 'invite-email', label: "Contact's mail address" },
};

const STATUS: Record<Invitation['status'], string> = {
  pending: 'Invited, link not used yet',
  accepted: 'Has access',
  expired: 'Link expired: invite again',
  replaced: 'Replaced by a newer invitation',
};

export function PortalAccess({ customerId }: { customerId: string }) {
  const api = useApi();
  const toast = useToast();
  const path = `/customers/${encodeURIComponent(customerId)}/invitations`;
  const list = useResource((signal) => api.get<{ items: Invitation[] }>(path, { signal }), [path]);
  const [form, setForm] = useState({ name: '', email: '' });
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const errors = messagesByField(problem);
  // The latest invitation per email: an older, replaced one says nothing new.
  const latest = (list.data?.items ?? []).filter((item, index, all) => all.findIndex((other) => other.email.toLowerCase() === item.email.toLowerCase()) === index);

  async function invite(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const sent = await api.post<Invitation>(path, { name: form.name, email: form.email.trim() });
      toast(`Invitation sent to ${sent.email}`);
      setForm({ name: '', email: '' });
      await list.reload();
    } catch (err) {
      const refused = err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) };
      setProblem(refused.status === 409 ? { ...refused, title: 'This email already has an account', errors: [{ path: 'email', message: 'another user already signs in with this email' }] } : refused);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="portal-access-heading">
      <h2 id="portal-access-heading" className="card__title">
        Portal access
      </h2>
      <p className="muted small">Invite a contact: they get a mail with a link to choose a password, and then follow and report this customer's cases.</p>
      {list.error && !list.data ? (
        <ErrorNotice error={list.error} onRetry={() => void list.reload()} />
      ) : latest.length > 0 ? (
        <ul className="plain-list stack stack--tight" data-testid="invitations">
          {latest.map((item) => (
            <li key={item.id}>
              <strong>{item.name}</strong> <span className="muted">{item.email}</span>
              <span className="muted small block">
                {STATUS[item.status]} · invited <time dateTime={item.createdAt}>{formatShort(item.createdAt)}</time>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="stack" onSubmit={invite} noValidate aria-label="Invite a contact">
        {problem && <ErrorSummary problem={problem} fields={FIELDS} />}
        <InputField {...FIELDS.name} value={form.name} autoComplete="off" onValue={(name) => setForm({ ...form, name })} error={errors.get('name')} />
        <InputField {...FIELDS.email} type="email" value={form.email} autoComplete="off" onValue={(email) => setForm({ ...form, email })} error={errors.get('email')} />
        <button type="submit" className="button tap" disabled={busy}>
          {busy ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
    </section>
  );
}
