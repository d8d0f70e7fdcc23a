// All projects, newest first, filtered by stage, kind and customer-facing status, a page at a time. Updates live.
import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Page, Project } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { StageOptions } from './StageOptions';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { StageBadge, StatusBadge, statusText } from '../ui/Badges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShort, humanize } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { useDirectory } from './useCustomers';
import { CustomerLink } from '../customers/CustomerLink';

const PAGE_SIZE = 20;

export function ProjectsPage() {
  const api = useApi();
  usePageTitle('Projects');
  const [params, setParams] = useSearchParams();
  const stage = params.get('stage') ?? '';
  const kind = params.get('kind') ?? '';
  const status = params.get('status') ?? '';
  // The cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const projects = useResource(
    (signal) => api.get<Page<Project>>('/projects', { query: { stage, kind, status, limit: PAGE_SIZE, cursor }, signal }),
    [stage, kind, status, cursor],
  );
  const live = useLiveChanges({}, useCallback(() => void projects.reload(), [projects.reload]));
  const items = projects.data?.items ?? [];
  const directory = useDirectory(items.map((project) => project.customerId));

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setCursors([undefined]);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Projects</h1>
          <p className="muted page-head__sub">Every sales and service project, newest first.</p>
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
      </form>

      {projects.error && !projects.data ? (
        <ErrorNotice error={projects.error} onRetry={() => void projects.reload()} />
      ) : !projects.data ? (
        <SkeletonRows rows={6} label="Loading projects" />
      ) : items.length === 0 ? (
        <EmptyState title={stage || kind || status ? 'No projects match these filters' : 'No projects yet'} action={<Link to="/projects/new" className="button">Create a project</Link>}>
          {stage || kind || status ? 'Clear the filters to see every project.' : 'A service project starts with a request from a customer; a sales project with a site to onboard.'}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table--cards">
            <caption className="visually-hidden">Projects, page {cursors.length}</caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Customer and site</th>
                <th scope="col">Stage</th>
                <th scope="col">Status</th>
                <th scope="col">Open tasks</th>
                <th scope="col">Updated</th>
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
                    <CustomerLink id={project.customerId} name={directory.customers.get(project.customerId)?.name} />
                    <span className="muted small block">{directory.sites.get(project.siteId)?.address ?? project.siteId}</span>
                  </td>
                  <td data-label="Stage">
                    <StageBadge stage={project.stage} />
                    {project.outcome && <span className="muted small block">{humanize(project.outcome)}</span>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={project.customerStatus ?? project.status} />
                  </td>
                  <td data-label="Open tasks">{project.openTasks.length}</td>
                  <td data-label="Updated">
                    <time dateTime={project.updatedAt}>{formatShort(project.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav className="pager" aria-label="Pages">
        <button type="button" className="button" disabled={cursors.length <= 1} onClick={() => setCursors((stack) => stack.slice(0, -1))}>
          ‹ Previous
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button type="button" className="button" disabled={!projects.data?.nextCursor} onClick={() => setCursors((stack) => [...stack, projects.data?.nextCursor ?? undefined])}>
          Next ›
        </button>
      </nav>
    </div>
  );
}
