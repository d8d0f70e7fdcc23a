// Users (admins only, through the access policy's /users): who may sign in, with which
// role; add a person, or disable one (their sign-in and tokens stop working at once).
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { UserAccount } from '../api/oversight';
import type { Customer, FieldError, Page, Role } from '../api/types';
import { useResource } from '../api/useResource';
import { roleLabel, useApi, useSession } from '../auth/session';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { InputField, SelectField } from '../ui/FormField';
import { formatDateTime } from '../ui/format';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';

const ROLES: Role[] = ['ops', 'supervisor', 'installer', 'admin', 'customer'];
const roleHelp: Record<Role, string> = {
  ops: 'runs projects and tasks in the office',
  supervisor: 'also approves orders and cancels projects',
  installer: 'sees only their own jobs, on the phone',
  admin: 'also manages users, templates and articles',
  customer: 'sees their own sites and cases',
};

interface Draft {
  name: string;
  email: string;
  role: Role;
  password: string;
  customerId: string;
}
const empty: Draft = { name: '', email: '', role: 'ops', password: '', customerId: '' };

/** Every problem with the draft at once, in words, keyed by field. */
function check(draft: Draft): FieldError[] {
  const errors: FieldError[] = [];
  if (!draft.name.trim()) errors.push({ path: 'name', message: 'Enter the person’s name.' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(draft.email.trim())) errors.push({ path: 'email', message: 'Enter an email address like name@example.com.' });
  if (draft.password.length < 12) errors.push({ path: 'password', message: 'Choose a password of at least 12 characters.' });
  if (draft.role === 'customer' && !draft.customerId) errors.push({ path: 'customerId', message: 'Choose the customer this person belongs to.' });
  return errors;
}

const fieldIds: Record<string, string> = { name: 'user-name', email: 'user-email', role: 'user-role', password: 'user-password', customerId: 'user-customer' };

export function UsersPage() {
  usePageTitle('Users');
  const api = useApi();
  const { user: me } = useSession();
  const toast = useToast();
  const users = useResource((signal) => api.get<Page<UserAccount>>('/users', { query: { limit: 500 }, signal }), []);
  const customers = useResource((signal) => api.get<Page<Customer>>('/customers', { query: { limit: 500 }, signal }), []);
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [disabling, setDisabling] = useState<UserAccount>();

  const errorOf = (path: string) => errors.find((error) => error.path === path)?.message;
  const set = (name: keyof Draft) => (value: string) => setDraft((current) => ({ ...current, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const found = check(draft);
    setErrors(found);
    if (found.length) {
      window.setTimeout(() => document.getElementById('user-errors')?.focus());
      return;
    }
    setBusy(true);
    try {
      const body = { name: draft.name.trim(), email: draft.email.trim(), role: draft.role, password: draft.password, ...(draft.role === 'customer' ? { customerId: draft.customerId } : {}) };
      const created = await api.post<UserAccount>('/users', body);
      toast(`${created.name} can now sign in as ${roleLabel[created.role]}`);
      setDraft(empty);
      void users.reload();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(err.fieldErrors);
      else if (err instanceof ApiError && err.status === 409) setErrors([{ path: 'email', message: 'Someone already signs in with this email.' }]);
      else setFailure(err instanceof Error ? err.message : String(err));
      window.setTimeout(() => document.getElementById('user-errors')?.focus());
    } finally {
      setBusy(false);
    }
  };

  const disable = async (account: UserAccount) => {
    const updated = await api.post<UserAccount>(`/users/${encodeURIComponent(account.id)}/disable`);
    setDisabling(undefined);
    toast(`${updated.name} can no longer sign in`);
    void users.reload();
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted page-head__sub">Who may sign in, and as what. A disabled person is signed out at once and cannot sign in again.</p>
        </div>
      </div>

      <div className="admin-grid">
        <section aria-labelledby="users-heading">
          <h2 id="users-heading">Everyone</h2>
          {users.error && !users.data ? (
            <ErrorNotice error={users.error} onRetry={() => void users.reload()} />
          ) : !users.data ? (
            <SkeletonRows rows={6} label="Loading users" />
          ) : users.data.items.length === 0 ? (
            <EmptyState title="No users" />
          ) : (
            <div className="table-wrap">
              <table className="table table--cards" data-testid="users">
                <caption className="visually-hidden">Users</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Since</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.items.map((account) => (
                    <tr key={account.id} data-testid={`user-${account.email}`}>
                      <td data-label="Name">
                        <strong>{account.name}</strong>
                        <span className="muted small block">{account.email}</span>
                      </td>
                      <td data-label="Role">
                        {roleLabel[account.role] ?? account.role}
                        {account.disabled && <span className="badge badge--cancelled block-badge">Disabled</span>}
                      </td>
                      <td data-label="Since">
                        <time dateTime={account.createdAt}>{formatDateTime(account.createdAt)}</time>
                      </td>
                      <td data-label="Actions">
                        {account.disabled || account.id === me.id ? null : disabling?.id === account.id ? (
                          <div className="confirm" role="group" aria-label={`Disable ${account.name}?`}>
                            <p className="small">Disable {account.name}? They are signed out now and cannot sign in again.</p>
                            <button type="button" className="button button--small button--danger" onClick={() => void disable(account)}>
                              Disable {account.name}
                            </button>{' '}
                            <button type="button" className="button button--small" onClick={() => setDisabling(undefined)}>
                              Keep
                            </button>
                          </div>
                        ) : (
                          <button type="button" className="button button--small" onClick={() => setDisabling(account)}>
                            Disable<span className="visually-hidden"> {account.name}</span>
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section aria-labelledby="new-user-heading">
          <h2 id="new-user-heading">Add a person</h2>
          <form className="card stack" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-user-heading">
            {(errors.length > 0 || failure) && (
              <div className="error-summary" role="alert" id="user-errors" tabIndex={-1}>
                <p className="error-summary__title">{failure ? 'The person was not added' : `Fix ${errors.length === 1 ? 'this' : `these ${errors.length}`} to add the person`}</p>
                {failure && <p>{failure}</p>}
                {errors.length > 0 && (
                  <ul>
                    {errors.map((error) => (
                      <li key={error.path}>
                        <a href={`#${fieldIds[error.path] ?? 'user-name'}`}>{error.message}</a>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <InputField id="user-name" label="Name" value={draft.name} onValue={set('name')} error={errorOf('name')} autoComplete="off" disabled={busy} />
            <InputField id="user-email" label="Email" type="email" value={draft.email} onValue={set('email')} error={errorOf('email')} autoComplete="off" disabled={busy} />
            <SelectField id="user-role" label="Role" value={draft.role} onValue={(value) => set('role')(value)} error={errorOf('role')} hint={roleHelp[draft.role]} disabled={busy}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {roleLabel[role]}
                </option>
              ))}
            </SelectField>
            {draft.role === 'customer' && (
              <SelectField id="user-customer" label="Customer" value={draft.customerId} onValue={set('customerId')} error={errorOf('customerId')} disabled={busy}>
                <option value="">Choose a customer</option>
                {(customers.data?.items ?? []).map((customer) => (
                  <option key={customer.id} value={customer.id}>
                    {customer.name}
                  </option>
                ))}
              </SelectField>
            )}
            <InputField
              id="user-password"
              label="First password"
              type="password"
              value={draft.password}
              onValue={set('password')}
              error={errorOf('password')}
              hint="At least 12 characters. Tell it to the person; they sign in with their email and this."
              autoComplete="new-password"
              disabled={busy}
            />
            <div>
              <button type="submit" className="button button--primary" disabled={busy}>
                {busy ? 'Adding…' : 'Add person'}
              </button>
            </div>
          </form>
        </section>
      </div>
    </div>
  );
}
