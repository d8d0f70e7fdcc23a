// The staff groups on the routing page: a name and members picked from the office's
// people (never typed). A task routed to a group shows to all its members; one takes it.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { StaffGroup } from '../api/routing';
import type { FieldError, Page, Person } from '../api/types';
import type { Resource } from '../api/useResource';
import { useApi } from '../auth/session';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { InputField } from '../ui/FormField';
import { useToast } from '../ui/Toast';

export function GroupsSection({ groups, staff }: { groups: Resource<Page<StaffGroup>>; staff: Person[] }) {
  const api = useApi();
  const toast = useToast();
  const [editing, setEditing] = useState<StaffGroup>();
  const [deleting, setDeleting] = useState<StaffGroup>();
  const [failure, setFailure] = useState<string>();

  const remove = async (group: StaffGroup) => {
    setFailure(undefined);
    try {
      await api.del(`/groups/${encodeURIComponent(group.id)}`);
      toast(`${group.name} is deleted`);
      void groups.reload();
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setDeleting(undefined);
    }
  };

  return (
    <section aria-labelledby="groups-heading" className="stack">
      <h2 id="groups-heading">Groups</h2>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <div className="admin-grid">
        <div>
          {groups.error && !groups.data ? (
            <ErrorNotice error={groups.error} onRetry={() => void groups.reload()} />
          ) : !groups.data ? (
            <SkeletonRows rows={3} label="Loading the groups" />
          ) : groups.data.items.length === 0 ? (
            <EmptyState title="No groups yet">Add a group, such as Service North, to route tasks to everyone in it.</EmptyState>
          ) : (
            <ul className="stack admin-areas" data-testid="groups">
              {groups.data.items.map((group) => (
                <li key={group.id} className="card stack">
                  <h3 className="card__title">{group.name}</h3>
                  <p className="muted">{group.members.length ? group.members.map((member) => member.name).join(', ') : 'No members yet'}</p>
                  {deleting?.id === group.id ? (
                    <div className="confirm" role="group" aria-label={`Delete ${group.name}?`}>
                      <p className="small">Delete {group.name}? Only a group no rule routes to and without open tasks can go.</p>
                      <button type="button" className="button button--small button--danger" onClick={() => void remove(group)}>
                        Delete {group.name}
                      </button>{' '}
                      <button type="button" className="button button--small" onClick={() => setDeleting(undefined)}>
                        Keep
                      </button>
                    </div>
                  ) : (
                    <div>
                      <button type="button" className="button button--small" onClick={() => setEditing(group)}>
                        Edit<span className="visually-hidden"> {group.name}</span>
                      </button>{' '}
                      <button type="button" className="button button--small" onClick={() => setDeleting(group)}>
                        Delete<span className="visually-hidden"> {group.name}</span>
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
        <GroupForm
          key={editing?.id ?? 'new'}
          group={editing}
          staff={staff}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) void groups.reload();
          }}
        />
      </div>
    </section>
  );
}

function GroupForm({ group, staff, onDone }: { group?: StaffGroup; staff: Person[]; onDone: (saved: boolean) => void }) {
  const api = useApi();
  const toast = useToast();
  const [name, setName] = useState(group?.name ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(group?.members.map((member) => member.id) ?? []);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const prefix = group ? `group-${group.id}` : 'group-new';
  const errorOf = (path: string) => errors.find((error) => error.path === path || error.path.startsWith(`${path}.`))?.message;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors([{ path: 'name', message: 'Enter the group’s name.' }]);
      window.setTimeout(() => document.getElementById(`${prefix}-errors`)?.focus());
      return;
    }
    setBusy(true);
    try {
      const body = { name: name.trim(), memberIds };
      const saved = group ? await api.put<StaffGroup>(`/groups/${encodeURIComponent(group.id)}`, body) : await api.post<StaffGroup>('/groups', body);
      toast(group ? `${saved.name} is saved` : `${saved.name} is added`);
      setErrors([]);
      if (!group) {
        setName('');
        setMemberIds([]);
      }
      onDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setErrors([{ path: 'name', message: 'Another group has this name.' }]);
      else setErrors(err instanceof ApiError && err.fieldErrors.length ? err.fieldErrors : [{ path: 'name', message: err instanceof Error ? err.message : String(err) }]);
      window.setTimeout(() => document.getElementById(`${prefix}-errors`)?.focus());
    } finally {
      setBusy(false);
    }
  };

  const heading = group ? `Change ${group.name}` : 'Add a group';
  return (
    <form className="card stack" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`} className="card__title">
        {heading}
      </h3>
      {errors.length > 0 && (
        <div className="error-summary" role="alert" id={`${prefix}-errors`} tabIndex={-1}>
          <p className="error-summary__title">Fix {errors.length === 1 ? 'this' : `these ${errors.length}`} to save the group</p>
          <ul>
            {errors.map((error) => (
              <li key={error.path}>
                <a href={`#${error.path.startsWith('memberIds') ? `${prefix}-members` : `${prefix}-name`}`}>{error.message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <InputField id={`${prefix}-name`} label="Name" value={name} onValue={setName} error={errorOf('name')} hint="For example Service North." disabled={busy} />
      <fieldset className="field field--group" id={`${prefix}-members`}>
        <legend>Members</legend>
        {errorOf('memberIds') && <p className="field-error">{errorOf('memberIds')}</p>}
        <div className="choices">
          {staff.map((person) => (
              <label key={person.id} className="choice" htmlFor={`${prefix}-member-${person.id}`}>
                <input
                  id={`${prefix}-member-${person.id}`}
                  type="checkbox"
                  checked={memberIds.includes(person.id)}
                  disabled={busy}
                  onChange={(event) => setMemberIds((current) => (event.target.checked ? [...current, person.id] : current.filter((id) => id !== person.id)))}
                />
                <span>
                  {person.name} <span className="muted">({person.role})</span>
                </span>
              </label>
          ))}
        </div>
      </fieldset>
      <div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : group ? 'Save the group' : 'Add group'}
        </button>
        {group && (
          <>
            {' '}
            <button type="button" className="button" onClick={() => onDone(false)} disabled={busy}>
              Cancel
            </button>
          </>
        )}
      </div>
    </form>
  );
}
