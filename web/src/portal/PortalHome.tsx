// The customer's home in the portal: their own sites, and their cases with the
// customer-facing status and what it means, live; filtered by site and status; and the
// three ways to raise a case.
import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { CustomerStatus, Page, Site } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShort } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { CustomerStatusBadge } from './CustomerStatusBadge';
import { CASE_FORMS, casePath, STATUS_FOR_CUSTOMERS, type CaseKind, type CaseView } from './types';
import './portal.css';

export function PortalHome() {
  const api = useApi();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const siteId = params.get('site') ?? '';
  const status = params.get('status') ?? '';
  usePageTitle('My cases');

  const sites = useResource((signal) => api.get<Page<Site>>(`/customers/${encodeURIComponent(user.customerId ?? '')}/sites`, { query: { limit: 200 }, signal }), [user.customerId]);
  const cases = useResource((signal) => api.get<Page<CaseView & { siteAddress?: string }>>('/projects', { query: { siteId, status, limit: 100, sort: 'updated' }, signal }), [siteId, status]);
  const live = useLiveChanges({}, useCallback(() => void cases.reload(), [cases.reload]));

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const addressOf = (id: string) => sites.data?.items.find((site) => site.id === id)?.address ?? '';
  const filtered = Boolean(siteId || status);
  const items = cases.data?.items ?? [];

  return (
    <div className="page portal">
      <div className="page-head">
        <div>
          <h1>My cases</h1>
          <p className="page-head__sub muted">Your sites and every case we handle for you. This page updates by itself.</p>
        </div>
        <div className="page-head__actions">
          <LiveIndicator status={live} />
        </div>
      </div>

      <nav className="portal__actions" aria-label="Raise a case">
        {(Object.keys(CASE_FORMS) as CaseKind[]).map((kind) => (
          <Link key={kind} to={`/cases/new/${kind}`} className={`button tap${kind === 'issue' ? ' button--primary' : ''}`}>
            {CASE_FORMS[kind].title}
          </Link>
        ))}
      </nav>

      <div className="portal__grid">
        <section className="card" aria-labelledby="portal-sites-heading">
          <h2 id="portal-sites-heading" className="card__title">
            My sites <span className="count">{sites.data?.items.length ?? ''}</span>
          </h2>
          {sites.error && !sites.data ? (
            <ErrorNotice error={sites.error} onRetry={() => void sites.reload()} />
          ) : !sites.data ? (
            <SkeletonRows rows={2} label="Loading your sites" />
          ) : sites.data.items.length === 0 ? (
            <p className="muted">No sites are recorded for you yet. The office adds them.</p>
          ) : (
            <>
              <p className="muted small">Choose a site to see only its cases.</p>
              <ul className="plain-list stack stack--tight" data-testid="portal-sites">
                {sites.data.items.map((site) => (
                  <li key={site.id}>
                    <button type="button" className={`button button--quiet tap portal__site${siteId === site.id ? ' is-current' : ''}`} aria-pressed={siteId === site.id} onClick={() => setFilter('site', siteId === site.id ? '' : site.id)}>
                      {site.address}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className="card" aria-labelledby="portal-cases-heading">
          <h2 id="portal-cases-heading" className="card__title">
            Cases <span className="count">{cases.data ? items.length : ''}</span>
          </h2>
          <form className="filters" role="search" aria-label="Filter cases" onSubmit={(event) => event.preventDefault()}>
            <div className="field field--inline">
              <label htmlFor="portal-site">Site</label>
              <select id="portal-site" value={siteId} onChange={(event) => setFilter('site', event.target.value)}>
                <option value="">All my sites</option>
                {sites.data?.items.map((site) => (
                  <option key={site.id} value={site.id}>
                    {site.address}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field--inline">
              <label htmlFor="portal-status">Status</label>
              <select id="portal-status" value={status} onChange={(event) => setFilter('status', event.target.value)}>
                <option value="">Any status</option>
                {(Object.keys(STATUS_FOR_CUSTOMERS) as CustomerStatus[]).map((value) => (
                  <option key={value} value={value}>
                    {STATUS_FOR_CUSTOMERS[value].text}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {cases.error && !cases.data ? (
            <ErrorNotice error={cases.error} onRetry={() => void cases.reload()} />
          ) : !cases.data ? (
            <SkeletonRows rows={4} label="Loading your cases" />
          ) : items.length === 0 ? (
            <EmptyState title={filtered ? 'No cases match these filters' : 'No cases yet'}>
              {filtered ? 'Choose "All my sites" and "Any status" to see every case.' : 'When you report an issue, ask for something or record a deviation, it shows here.'}
            </EmptyState>
          ) : (
            <ul className="portal__cases plain-list" data-testid="portal-cases">
              {items.map((item) => (
                <li key={item.id} className="portal__case">
                  <Link to={casePath(item.id)} className="strong-link">
                    {item.title ?? 'Case'}
                  </Link>
                  <span className="muted small block">
                    {item.siteAddress ?? addressOf(item.siteId)} · opened <time dateTime={item.createdAt}>{formatShort(item.createdAt)}</time>
                  </span>
                  <CustomerStatusBadge status={item.customerStatus ?? item.status} explain />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
