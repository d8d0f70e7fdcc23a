// Routing (admins): responsibility rules that send each new office task to a person or a
// group, first match by priority; and the staff groups rules send work to. A rule change
// reaches new tasks only: tasks already routed keep their person or group.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { RoutingRule, StaffGroup } from '../api/routing';
import type { Customer, FieldError, Page, Person, Site } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { InputField, SelectField } from '../ui/FormField';
import { setGroups } from '../ui/format';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { GroupsSection } from './GroupsSection';

interface Draft {
  priority: string;
  customerId: string;
  siteId: string;
  category: string;
  /** `user:<id>` or `group:<id>`. */
  target: string;
}
const empty: Draft = { priority: '10', customerId: '', siteId: '', category: '', target: '' };
const fieldIds: Record<string, string> = { priority: 'rule-priority', customerId: 'rule-customer', siteId: 'rule-site', category: 'rule-category', target: 'rule-target', targetUserId: 'rule-target', targetGroupId: 'rule-target' };

function check(draft: Draft): FieldError[] {
  const errors: FieldError[] = [];
  if (!/^\d{1,7}$/.test(draft.priority.trim()) || Number(draft.priority) > 1_000_000) errors.push({ path: 'priority', message: 'Enter the priority as a whole number from 0 to 1000000; lower goes first.' });
  if (draft.category.trim().length > 100) errors.push({ path: 'category', message: 'Keep the category to 100 characters.' });
  if (!draft.target) errors.push({ path: 'target', message: 'Choose the person or group new tasks go to.' });
  return errors;
}

const draftOf = (rule: RoutingRule): Draft => ({
  priority: String(rule.priority),
  customerId: rule.customerId ?? '',
  siteId: rule.siteId ?? '',
  category: rule.category ?? '',
  target: rule.targetUserId ? `user:${rule.targetUserId}` : `group:${rule.targetGroupId}`,
});

function bodyOf(draft: Draft) {
  const [kind, id] = [draft.target.slice(0, draft.target.indexOf(':')), draft.target.slice(draft.target.indexOf(':') + 1)];
  return {
    priority: Number(draft.priority.trim()),
    customerId: draft.customerId || null,
    siteId: draft.siteId || null,
    category: draft.category.trim() || null,
    ...(kind === 'user' ? { targetUserId: id } : { targetGroupId: id }),
  };
}

export function RoutingPage() {
  usePageTitle('Routing');
  const api = useApi();
  const toast = useToast();
  const rules = useResource((signal) => api.get<Page<RoutingRule>>('/routing-rules', { signal }), []);
  const groups = useResource((signal) => api.get<Page<StaffGroup>>('/groups', { signal }), []);
  const people = useResource((signal) => api.get<{ items: Person[] }>('/people', { signal }), []);
  const customers = useResource((signal) => api.get<Page<Customer>>('/customers', { query: { limit: 500 }, signal }), []);
  const [draft, setDraft] = useState<Draft>(empty);
  const [editing, setEditing] = useState<RoutingRule>();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<RoutingRule>();
  const sites = useResource(
    (signal) => (draft.customerId ? api.get<Page<Site>>(`/customers/${encodeURIComponent(draft.customerId)}/sites`, { query: { limit: 500 }, signal }) : Promise.resolve({ items: [], nextCursor: null })),
    [draft.customerId],
  );
  // Tasks name groups by their names: keep the console's list as fresh as this page's.
  useEffect(() => {
    if (groups.data) setGroups(groups.data.items);
  }, [groups.data]);

  const staff = (people.data?.items ?? []).filter((person) => person.role === 'ops' || person.role === 'supervisor' || person.role === 'admin');
  const errorOf = (path: string) => errors.find((error) => error.path === path || fieldIds[error.path] === fieldIds[path])?.message;
  const set = (name: keyof Draft) => (value: string) => setDraft((current) => ({ ...current, [name]: value, ...(name === 'customerId' ? { siteId: '' } : {}) }));

  const startEdit = (rule: RoutingRule) => {
    setEditing(rule);
    setDraft(draftOf(rule));
    setErrors([]);
    window.setTimeout(() => document.getElementById('rule-priority')?.focus());
  };
  const stopEdit = () => {
    setEditing(undefined);
    setDraft(empty);
    setErrors([]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check(draft);
    setErrors(found);
    if (found.length) {
      window.setTimeout(() => document.getElementById('rule-errors')?.focus());
      return;
    }
    setBusy(true);
    try {
      if (editing) {
        await api.patch<RoutingRule>(`/routing-rules/${encodeURIComponent(editing.id)}`, bodyOf(draft));
        toast('The rule is changed; it routes new tasks from now on');
      } else {
        const created = await api.post<RoutingRule>('/routing-rules', bodyOf(draft));
        toast(`New tasks that match go to ${created.targetName}`);
      }
      stopEdit();
      void rules.reload();
    } catch (err) {
      setErrors(err instanceof ApiError && err.fieldErrors.length ? err.fieldErrors : [{ path: 'target', message: err instanceof Error ? err.message : String(err) }]);
      window.setTimeout(() => document.getElementById('rule-errors')?.focus());
    } finally {
      setBusy(false);
    }
  };

  const remove = async (rule: RoutingRule) => {
    await api.del(`/routing-rules/${encodeURIComponent(rule.id)}`);
    setDeleting(undefined);
    if (editing?.id === rule.id) stopEdit();
    toast('The rule is deleted; tasks it routed stay where they are');
    void rules.reload();
  };

  const when = (rule: RoutingRule) => {
    const parts = [rule.customerName ?? rule.customerId, rule.siteAddress ?? rule.siteId, rule.category && `category ${rule.category}`].filter(Boolean);
    return parts.length ? parts.join(' · ') : 'Every new office task';
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Routing</h1>
          <p className="muted page-head__sub">
            Who gets each new office task. The first rule that matches, by priority (lower first), decides; with none, the task goes to the ops team. A change reaches new tasks only.
          </p>
        </div>
      </div>

      <div className="admin-grid">
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">Responsibility rules</h2>
          {rules.error && !rules.data ? (
            <ErrorNotice error={rules.error} onRetry={() => void rules.reload()} />
          ) : !rules.data ? (
            <SkeletonRows rows={4} label="Loading the rules" />
          ) : rules.data.items.length === 0 ? (
            <EmptyState title="No rules yet">Every new office task goes to the ops team. Add a rule to send some to a person or a group.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table table--cards" data-testid="routing-rules">
                <caption className="visually-hidden">Responsibility rules, first match first</caption>
                <thead>
                  <tr>
                    <th scope="col" className="numeric">
                      Priority
                    </th>
                    <th scope="col">When</th>
                    <th scope="col">Goes to</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rules.data.items.map((rule) => (
                    <tr key={rule.id} data-testid={`rule-${rule.id}`}>
                      <td data-label="Priority" className="numeric">
                        {rule.priority}
                      </td>
                      <td data-label="When">{when(rule)}</td>
                      <td data-label="Goes to">
                        {rule.targetName}
                        <span className="muted small block">{rule.targetGroupId ? 'group' : 'person'}</span>
                      </td>
                      <td data-label="Actions">
                        {deleting?.id === rule.id ? (
                          <div className="confirm" role="group" aria-label="Delete this rule?">
                            <p className="small">Delete this rule? Tasks it routed stay where they are.</p>
                            <button type="button" className="button button--small button--danger" onClick={() => void remove(rule)}>
                              Delete the rule
                            </button>{' '}
                            <button type="button" className="button button--small" onClick={() => setDeleting(undefined)}>
                              Keep
                            </button>
                          </div>
                        ) : (
                          <>
                            <button type="button" className="button button--small" onClick={() => startEdit(rule)}>
                              Edit<span className="visually-hidden"> the rule with priority {rule.priority}</span>
                            </button>{' '}
                            <button type="button" className="button button--small" onClick={() => setDeleting(rule)}>
                              Delete<span className="visually-hidden"> the rule with priority {rule.priority}</span>
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section aria-labelledby="rule-form-heading">
          <h2 id="rule-form-heading">{editing ? 'Change the rule' : 'Add a rule'}</h2>
          <form className="card stack" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="rule-form-heading">
            {errors.length > 0 && (
              <div className="error-summary" role="alert" id="rule-errors" tabIndex={-1}>
                <p className="error-summary__title">Fix {errors.length === 1 ? 'this' : `these ${errors.length}`} to {editing ? 'change' : 'add'} the rule</p>
                <ul>
                  {errors.map((error) => (
                    <li key={error.path}>
                      <a href={`#${fieldIds[error.path] ?? 'rule-priority'}`}>{error.message}</a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <InputField id="rule-priority" label="Priority" inputMode="numeric" value={draft.priority} onValue={set('priority')} error={errorOf('priority')} hint="Lower goes first." disabled={busy} />
            <SelectField id="rule-customer" label="Customer" optional value={draft.customerId} onValue={set('customerId')} error={errorOf('customerId')} hint="Leave as any customer to match all." disabled={busy}>
              <option value="">Any customer</option>
              {(customers.data?.items ?? []).map((customer) => (
                <option key={customer.id} value={customer.id}>
                  {customer.name}
                </option>
              ))}
            </SelectField>
            <SelectField id="rule-site" label="Site" optional value={draft.siteId} onValue={set('siteId')} error={errorOf('siteId')} hint={draft.customerId ? undefined : 'Choose a customer first to pick one of their sites.'} disabled={busy || !draft.customerId}>
              <option value="">Any site</option>
              {(sites.data?.items ?? []).map((site) => (
                <option key={site.id} value={site.id}>
                  {site.address}
                </option>
              ))}
            </SelectField>
            <InputField id="rule-category" label="Case category" optional value={draft.category} onValue={set('category')} error={errorOf('category')} hint="As cases name it, e.g. Leak; any category when empty." disabled={busy} />
            <SelectField id="rule-target" label="Goes to" value={draft.target} onValue={set('target')} error={errorOf('target')} disabled={busy}>
              <option value="">Choose a person or a group</option>
              <optgroup label="Groups">
                {(groups.data?.items ?? []).map((group) => (
                  <option key={group.id} value={`group:${group.id}`}>
                    {group.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label="People">
                {staff.map((person) => (
                  <option key={person.id} value={`user:${person.id}`}>
                    {person.name} ({person.role})
                  </option>
                ))}
              </optgroup>
            </SelectField>
            <div>
              <button type="submit" className="button button--primary" disabled={busy}>
                {busy ? 'Saving…' : editing ? 'Save the rule' : 'Add rule'}
              </button>
              {editing && (
                <>
                  {' '}
                  <button type="button" className="button" onClick={stopEdit} disabled={busy}>
                    Cancel
                  </button>
                </>
              )}
            </div>
          </form>
        </section>
      </div>

      <GroupsSection groups={groups} staff={staff} />
    </div>
  );
}
