// Every site job, newest first or by a column, filtered by status, type, installer, the
// appointment's days, overdue work, customer and site, a page at a time with the total.
// Filters and sort live in the URL, so a link or a reload keeps them; one request per page
// (GET /jobs answers with the customer, site and installer of each row). Updates live.
import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import type { Page } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { CustomerLink, SiteLink } from '../customers/CustomerLink';
import { jobName } from '../dispatch/types';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShort, formatShortWindow, humanize, peopleWithRole, zonedToIso } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { useSortedList } from '../ui/useSortedList';
import type { JobRow } from './types';
import '../search/search.css';

const PAGE_SIZE = 20;

type SortKey = 'created' | 'scheduled' | 'customer' | 'type' | 'status';
/** Each sortable column's first direction when its header is clicked. */
const firstOrder: Record<SortKey, 'asc' | 'desc'> = { created: 'desc', scheduled: 'asc', customer: 'asc', type: 'asc', status: 'asc' };
const FILTERS = ['status', 'type', 'installer', 'from', 'to', 'overdue', 'customerId', 'siteId'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Where a job stands, in the office's words. */
export function jobStatusText(job: Pick<JobRow, 'status' | 'outcome' | 'installerId' | 'scheduledStart'>): string {
  if (job.status === 'done') return job.outcome === 'cancelled' ? 'Cancelled' : job.outcome === 'not_carried_out' ? 'Not carried out' : job.outcome ? `Done: ${humanize(job.outcome)}` : 'Done';
  if (job.status === 'prepared') return 'Prepared';
  if (!job.installerId) return 'Offered to installers';
  return job.scheduledStart ? 'Booked' : 'No appointment yet';
}

/** A day picked in the filter (the company's day), as the instant it starts. */
const dayStartsAt = (day: string): string | undefined => (DAY.test(day) ? zonedToIso(`${day}T00:00`) : undefined);
const nextDay = (day: string): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

export function JobsPage() {
  const api = useApi();
  usePageTitle('Jobs');
  const { params, sort, order, cursor, cursors, setFilter, header, pager } = useSortedList<SortKey>(firstOrder, 'created');
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? '';
  const installer = params.get('installer') ?? '';
  const from = DAY.test(params.get('from') ?? '') ? params.get('from')! : '';
  const to = DAY.test(params.get('to') ?? '') ? params.get('to')! : '';
  const overdue = params.get('overdue') === 'true' ? 'true' : '';
  const customerId = params.get('customerId') ?? '';
  const siteId = params.get('siteId') ?? '';
  const filtered = FILTERS.some((name) => params.get(name));
  const installers = peopleWithRole('installer');

  const jobs = useResource(
    (signal) =>
      api.get<Page<JobRow>>('/jobs', {
        query: {
          status,
          type,
          installer,
          // The days are the company's: from the start of the first to the end of the last.
          from: from ? dayStartsAt(from) : undefined,
          to: to ? dayStartsAt(nextDay(to)) : undefined,
          overdue,
          customerId,
          siteId,
          sort: sort === 'created' ? undefined : sort,
          order: order === firstOrder[sort] ? undefined : order,
          limit: PAGE_SIZE,
          cursor,
        },
        signal,
      }),
    [status, type, installer, from, to, overdue, customerId, siteId, sort, order, cursor],
  );
  const live = useLiveChanges({}, useCallback(() => void jobs.reload(), [jobs.reload]));
  const items = jobs.data?.items ?? [];
  const total = jobs.data?.total;


  const chip = (name: string, label: string) => (
    <button type="button" className="button button--small" onClick={() => setFilter(name, '')}>
      {label} <span aria-hidden="true">✕</span>
      <span className="visually-hidden">(clear this filter)</span>
    </button>
  );

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Jobs</h1>
          <p className="muted page-head__sub">Every site visit, newest first unless you sort by a column.</p>
        </div>
        <div className="page-head__actions">
          <LiveIndicator status={live} />
          <Link to="/dispatch" className="button">
            Dispatch board
          </Link>
        </div>
      </div>

      <form className="filters" role="search" aria-label="Filter jobs" onSubmit={(event) => event.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor="jobs-status">Status</label>
          <select id="jobs-status" value={status} onChange={(event) => setFilter('status', event.target.value)}>
            <option value="">All statuses</option>
            <option value="open">Open</option>
            <option value="prepared">Prepared</option>
            <option value="done">Done</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="jobs-type">Type</label>
          <select id="jobs-type" value={type} onChange={(event) => setFilter('type', event.target.value)}>
            <option value="">All types</option>
            {['audit', 'replacement', 'inspection', 'installation'].map((name) => (
              <option key={name} value={name}>
                {humanize(name)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="jobs-installer">Installer</label>
          <select id="jobs-installer" value={installer} onChange={(event) => setFilter('installer', event.target.value)}>
            <option value="">Anyone</option>
            <option value="none">Nobody yet (offered)</option>
            {installers.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="jobs-from">Appointment from</label>
          <input id="jobs-from" type="date" value={from} onChange={(event) => setFilter('from', event.target.value)} />
        </div>
        <div className="field field--inline">
          <label htmlFor="jobs-to">to</label>
          <input id="jobs-to" type="date" value={to} min={from || undefined} onChange={(event) => setFilter('to', event.target.value)} />
        </div>
        <div className="field field--inline filter-check">
          <input id="jobs-overdue" type="checkbox" checked={overdue === 'true'} onChange={(event) => setFilter('overdue', event.target.checked ? 'true' : '')} />
          <label htmlFor="jobs-overdue">Overdue work only</label>
        </div>
        {customerId && chip('customerId', `Customer: ${items.find((job) => job.customerId === customerId)?.customerName ?? customerId}`)}
        {siteId && chip('siteId', `Site: ${items.find((job) => job.siteId === siteId)?.address ?? siteId}`)}
      </form>

      {total !== undefined && (
        <p className="muted list-total" aria-live="polite" data-testid="jobs-total">
          {jobs.data?.totalCapped ? `More than ${total} jobs` : total === 1 ? '1 job' : `${total} jobs`}
          {filtered ? (total === 1 && !jobs.data?.totalCapped ? ' matches these filters' : ' match these filters') : ''}
          {total > PAGE_SIZE ? ` · page ${cursors.length}${jobs.data?.totalCapped ? '' : ` of ${Math.ceil(total / PAGE_SIZE)}`}` : ''}
        </p>
      )}

      {jobs.error && !jobs.data ? (
        <ErrorNotice error={jobs.error} onRetry={() => void jobs.reload()} />
      ) : !jobs.data ? (
        <SkeletonRows rows={6} label="Loading jobs" />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? 'No jobs match these filters' : 'No jobs yet'}>
          {filtered ? 'Clear the filters to see every job.' : 'A job is made when a project needs a site visit; it then waits on the dispatch board.'}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table--cards" data-testid="jobs-table">
            <caption className="visually-hidden">
              Jobs, page {cursors.length}, sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}
            </caption>
            <thead>
              <tr>
                {header('type', 'Job')}
                {header('customer', 'Customer and site')}
                <th scope="col">Installer</th>
                {header('scheduled', 'Appointment')}
                {header('status', 'Status')}
                {header('created', 'Created')}
              </tr>
            </thead>
            <tbody>
              {items.map((job) => (
                <tr key={job.id} data-testid={`job-row-${job.id}`}>
                  <td data-label="Job">
                    <Link to={`/jobs/${encodeURIComponent(job.id)}`} className="strong-link">
                      {jobName(job)}
                    </Link>
                    <Link to={`/projects/${encodeURIComponent(job.projectId)}`} className="muted small block">
                      {job.projectTitle ?? 'Untitled project'}
                    </Link>
                  </td>
                  <td data-label="Customer">
                    <CustomerLink id={job.customerId} name={job.customerName} />
                    <span className="muted small block">
                      <SiteLink id={job.siteId} address={job.address} />
                    </span>
                  </td>
                  <td data-label="Installer">{job.installerName ?? (job.installerId ? job.installerId : <span className="muted">Nobody yet</span>)}</td>
                  <td data-label="Appointment">{job.scheduledStart ? <time dateTime={job.scheduledStart}>{formatShortWindow(job.scheduledStart, job.scheduledEnd)}</time> : <span className="muted">Not booked</span>}</td>
                  <td data-label="Status">
                    {jobStatusText(job)}
                    {job.overdue && <strong className="badge badge--overdue">Overdue</strong>}
                  </td>
                  <td data-label="Created">
                    <time dateTime={job.createdAt}>{formatShort(job.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {pager(jobs.data?.nextCursor)}
    </div>
  );
}
