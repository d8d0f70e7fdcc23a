// All projects, newest first or by a column, filtered by stage, kind, customer-facing
// status, customer, site, assignee and overdue work, a page at a time, with the total.
// Filters and sort live in the URL; one request per page. Updates live.
import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import type { Page, Project } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { StageOptions } from './StageOptions';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { StageBadge, StatusBadge, statusText } from '../ui/Badges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShort, humanize, isOverdue } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { useSortedList } from '../ui/useSortedList';
import { CustomerLink } from '../customers/CustomerLink';
import '../search/search.css';

const PAGE_SIZE = 20;

type SortKey = 'created' | 'updated' | 'title' | 'stage' | 'customer';
/** Each sortable column's first direction when its header is clicked. */
const firstOrder: Record<SortKey, 'asc' | 'desc'> = { created: 'desc', updated: 'desc', title: 'asc', stage: 'asc', customer: 'asc' };
const FILTERS = ['stage', 'kind', 'status', 'customerId', 'siteId', 'assignee', 'overdue'] as const;

export function ProjectsPage() {
  const api = useApi();
  usePageTitle('Projects');
  const { params, sort, order, cursor, cursors, setFilter, header, pager } = useSortedList<SortKey>(firstOrder, 'created');
  const stage = params.get('stage') ?? '';
  const kind = params.get('kind') ?? '';
  const status = params.get('status') ?? '';
  const customerId = params.get('customerId') ?? '';
  const siteId = params.get('siteId') ?? '';
  const assignee = params.get('assignee') ?? '';
  const overdue = params.get('overdue') === 'true' ? 'true' : '';
  const filtered = FILTERS.some((name) => params.get(name));

  const projects = useResource(
    (signal) =>
      api.get<Page<Project>>('/projects', {
        query: { stage, kind, status, customerId, siteId, assignee, overdue, sort: sort === 'created' ? undefined : sort, order: order === firstOrder[sort] ? undefined : order, limit: PAGE_SIZE, cursor },
        signal,
      }),
    [stage, kind, status, customerId, siteId, assignee, overdue, sort, order, cursor],
  );
  const live = useLiveChanges({}, useCallback(() => void projects.reload(), [projects.reload]));
  const items = projects.data?.items ?? [];
  const total = projects.data?.total;


  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Projects</h1>
          <p className="muted page-head__sub">Every sales and service project, newest first unless you sort by a column.</p>
        </div>
        <div className="page-head__actions">
          <LiveIndicator status={live} />
          <Link to="/projects/new" className="button button--primary">
            New project
          </Link>
        </div>
      </div>

      <form className="filters" role="search" aria-label="Filter projects" onSubmit={(event) => event.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor="projects-stage">Stage</label>
          <select id="projects-stage" value={stage} onChange={(event) => setFilter('stage', event.target.value)}>
            <option value="">All stages</option>
            <StageOptions closed />
            <option value="cancelled">Cancelled</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="projects-kind">Kind</label>
          <select id="projects-kind" value={kind} onChange={(event) => setFilter('kind', event.target.value)}>
            <option value="">All kinds</option>
            <option value="service">Service</option>
            <option value="sales">Sales</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="projects-status">Status</label>
          <select id="projects-status" value={status} onChange={(event) => setFilter('status', event.target.value)}>
            <option value="">All statuses</option>
            {Object.entries(statusText).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="projects-assignee">Assigned to</label>
          <select id="projects-assignee" value={assignee} onChange={(event) => setFilter('assignee', event.target.value)}>
            <option value="">Anyone</option>
            <option value="me">Me and my groups</option>
            <option value="group:ops">Ops</option>
            <option value="group:supervisor">Supervisors</option>
            <option value="group:installer">Installers (unassigned)</option>
          </select>
        </div>
        <div className="field field--inline filter-check">
          <input id="projects-overdue" type="checkbox" checked={overdue === 'true'} onChange={(event) => setFilter('overdue', event.target.checked ? 'true' : '')} />
          <label htmlFor="projects-overdue">Overdue work only</label>
        </div>
        {customerId && (
          <button type="button" className="button button--small" onClick={() => setFilter('customerId', '')}>
            Customer: {items.find((project) => project.customerId === customerId)?.customerName ?? customerId} <span aria-hidden="true">✕</span>
            <span className="visually-hidden">(clear this filter)</span>
          </button>
        )}
        {siteId && (
          <button type="button" className="button button--small" onClick={() => setFilter('siteId', '')}>
            Site: {items.find((project) => project.siteId === siteId)?.siteAddress ?? siteId} <span aria-hidden="true">✕</span>
            <span className="visually-hidden">(clear this filter)</span>
          </button>
        )}
      </form>

      {total !== undefined && (
        <p className="muted list-total" aria-live="polite" data-testid="projects-total">
          {projects.data?.totalCapped ? `More than ${total} projects` : total === 1 ? '1 project' : `${total} projects`}
          {filtered ? (total === 1 && !projects.data?.totalCapped ? ' matches these filters' : ' match these filters') : ''}
          {total > PAGE_SIZE ? ` · page ${cursors.length}${projects.data?.totalCapped ? '' : ` of ${Math.ceil(total / PAGE_SIZE)}`}` : ''}
        </p>
      )}

      {projects.error && !projects.data ? (
        <ErrorNotice error={projects.error} onRetry={() => void projects.reload()} />
      ) : !projects.data ? (
        <SkeletonRows rows={6} label="Loading projects" />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? 'No projects match these filters' : 'No projects yet'} action={<Link to="/projects/new" className="button">Create a project</Link>}>
          {filtered ? 'Clear the filters to see every project.' : 'A service project starts with a request from a customer; a sales project with a site to onboard.'}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table--cards">
            <caption className="visually-hidden">Projects, page {cursors.length}, sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}</caption>
            <thead>
              <tr>
                {header('title', 'Project')}
                {header('customer', 'Customer and site')}
                {header('stage', 'Stage')}
                <th scope="col">Status</th>
                <th scope="col">Open tasks</th>
                {header('created', 'Created')}
                {header('updated', 'Updated')}
              </tr>
            </thead>
            <tbody>
              {items.map((project) => (
                <tr key={project.id}>
                  <td data-label="Project">
                    <Link to={`/projects/${encodeURIComponent(project.id)}`} className="strong-link">
                      {project.title ?? 'Untitled project'}
                    </Link>
                    <span className="muted small block">
                      {humanize(project.kind)} · {project.id}
                    </span>
                  </td>
                  <td data-label="Customer">
                    <CustomerLink id={project.customerId} name={project.customerName} />
                    <span className="muted small block">{project.siteAddress ?? project.siteId}</span>
                  </td>
                  <td data-label="Stage">
                    <StageBadge stage={project.stage} />
                    {project.outcome && <span className="muted small block">{humanize(project.outcome)}</span>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={project.customerStatus ?? project.status} />
                  </td>
                  <td data-label="Open tasks">
                    {project.openTasks.length}
                    {project.openTasks.some((task) => isOverdue(task.dueAt)) && <strong className="badge badge--overdue">Overdue</strong>}
                  </td>
                  <td data-label="Created">
                    <time dateTime={project.createdAt}>{formatShort(project.createdAt)}</time>
                  </td>
                  <td data-label="Updated">
                    <time dateTime={project.updatedAt}>{formatShort(project.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {pager(projects.data?.nextCursor)}
    </div>
  );
}
