// Open tasks for me and my groups, soonest due first, with filters by type and stage.
// Installers see only their own jobs' tasks (the API filters). Updates live.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Page, Task } from '../api/types';
import { useResource } from '../api/useResource';
import { isStaff, useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { useTaskTypes } from '../tasks/taskTypes';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { isOverdue } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { StageOptions } from '../projects/StageOptions';
import { JobLinks } from './JobLinks';
import { TaskList } from './TaskList';



export function InboxPage() {
  const { user } = useSession();
  if (user.role === 'customer') {
    return (
      <EmptyState title="The customer portal is not here yet">
        This console is for office staff and installers. Your cases and their status will be in the customer portal.
      </EmptyState>
    );
  }
  return <Inbox />;
}

function Inbox() {
  const api = useApi();
  const { user } = useSession();
  const staff = isStaff(user.role);
  const [params, setParams] = useSearchParams();
  const type = params.get('type') ?? '';
  const stage = params.get('stage') ?? '';
  const title = staff ? 'Inbox' : 'My jobs';
  usePageTitle(title);
  const taskTypes = useTaskTypes();

  const tasks = useResource(
    (signal) => api.get<Page<Task>>('/tasks', { query: { status: 'open', assignee: 'me', type, limit: 200 }, signal }),
    [type, user.id],
  );
  // Each task comes with its project's title and its job: a change is one reload of the page.
  const live = useLiveChanges({}, useCallback(() => void tasks.reload(), [tasks.reload]));

  const shown = useMemo(
    () =>
      (tasks.data?.items ?? [])
        .filter((task) => !stage || task.stage === stage)
        .sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999') || a.createdAt.localeCompare(b.createdAt)),
    [tasks.data, stage],
  );
  const overdue = shown.filter((task) => isOverdue(task.dueAt)).length;
  const typeOptions = taskTypes.list.filter((info) => info.roles.includes(user.role));

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="muted page-head__sub">
            {staff ? 'Open tasks for you and your teams.' : 'Tasks on the jobs assigned to you.'}{' '}
            {tasks.data && (
              <span data-testid="inbox-count">
                {shown.length} open{overdue ? `, ${overdue} overdue` : ''}.
              </span>
            )}
          </p>
        </div>
        <LiveIndicator status={live} />
      </div>

      <form className="filters" role="search" aria-label="Filter tasks" onSubmit={(event) => event.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor="inbox-type">Type</label>
          <select id="inbox-type" value={type} onChange={(event) => setFilter('type', event.target.value)}>
            <option value="">All types</option>
            {typeOptions.map((info) => (
              <option key={info.type} value={info.type}>
                {info.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="inbox-stage">Stage</label>
          <select id="inbox-stage" value={stage} onChange={(event) => setFilter('stage', event.target.value)}>
            <option value="">All stages</option>
            <StageOptions />
          </select>
        </div>
      </form>

      {tasks.error && !tasks.data ? (
        <ErrorNotice error={tasks.error} onRetry={() => void tasks.reload()} />
      ) : !tasks.data ? (
        <SkeletonRows rows={4} label="Loading your tasks" />
      ) : shown.length === 0 ? (
        <EmptyState title={type || stage ? 'No open tasks match these filters' : 'Nothing waiting for you'}>
          {type || stage ? 'Clear the filters to see all your open tasks.' : 'New tasks appear here by themselves as soon as they are created.'}
        </EmptyState>
      ) : (
        <>
          {!staff && <JobLinks tasks={shown} />}
          <TaskList tasks={shown} meId={user.id} />
        </>
      )}
    </div>
  );
}
