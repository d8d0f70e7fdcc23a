// One site for the office: where it is (with a map link), its NMI and phases, its
// maintenance plans, the equipment on it with the units each position had, and every
// project and visit there.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { SiteAssets } from '../projects/SiteAssets';
import { StatusBadge } from '../ui/Badges';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime, formatShort, humanize } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { customerPath, sitePath } from './CustomerLink';
import { EditSite } from './EditSite';
import { SitePlans } from './SitePlans';
import { SiteQrCard } from './SiteQrCard';
import type { SiteDetail, SiteHistory } from './types';
import './customers.css';

const phasesText = (phases?: number) => (phases ? (phases === 1 ? 'Single phase' : `${phases} phases`) : 'Not recorded');

export function SitePage() {
  const { siteId = '' } = useParams();
  const api = useApi();
  const site = useResource((signal) => api.get<SiteDetail>(sitePath(siteId), { signal }), [siteId]);
  const history = useResource((signal) => api.get<SiteHistory>(`${sitePath(siteId)}/history`, { signal }), [siteId]);
  const [editing, setEditing] = useState(false);
  const [edits, setEdits] = useState(0);
  const view = site.data;
  usePageTitle(view?.address ?? 'Site');

  if (site.error && !view) {
    return (
      <div className="page">
        <ErrorNotice error={site.error.status === 404 ? { message: 'There is no such site.' } : site.error} onRetry={() => void site.reload()} />
      </div>
    );
  }
  if (!view) {
    return (
      <div className="page">
        <SkeletonRows rows={6} label="Loading the site" />
      </div>
    );
  }

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={customerPath(view.customer.id)}>{view.customer.name}</Link> <span aria-hidden="true">›</span> <span aria-current="page">{view.address}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{view.address}</h1>
          <p className="page-head__sub muted">
            Site of <Link to={customerPath(view.customer.id)}>{view.customer.name}</Link>
            {view.updatedAt && (
              <>
                {' '}
                · details changed <time dateTime={view.updatedAt}>{formatShort(view.updatedAt)}</time>
                {view.updatedBy && ` by ${view.updatedBy}`}
              </>
            )}
          </p>
        </div>
        <div className="page-head__actions">
          <a className="button tap" href={view.mapsUrl} target="_blank" rel="noreferrer">
            Open map<span className="visually-hidden"> (OpenStreetMap, opens in a new tab)</span> ↗
          </a>
          {!editing && (
            <button type="button" className="button tap" onClick={() => setEditing(true)}>
              Edit site
            </button>
          )}
        </div>
      </div>

      {editing && (
        <EditSite
          key={edits}
          site={view}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            site.set(saved);
            setEdits((count) => count + 1);
            setEditing(false);
          }}
        />
      )}

      <section className="card" aria-labelledby="site-facts-heading">
        <h2 id="site-facts-heading" className="card__title">
          Site details
        </h2>
        <dl className="facts" data-testid="site-facts">
          <div>
            <dt>NMI</dt>
            <dd className="mono">{view.nmi ?? 'Not recorded'}</dd>
          </div>
          <div>
            <dt>Phases</dt>
            <dd>{phasesText(view.phases)}</dd>
          </div>
          <div>
            <dt>Coordinates</dt>
            <dd>{view.latitude !== undefined && view.longitude !== undefined ? `${view.latitude}, ${view.longitude}` : 'Not recorded'}</dd>
          </div>
          <div>
            <dt>Added</dt>
            <dd>
              <time dateTime={view.createdAt}>{formatDateTime(view.createdAt)}</time>
            </dd>
          </div>
        </dl>
      </section>

      <SitePlans siteId={view.id} />

      <div className="project-grid">
        <section className="card" aria-labelledby="history-heading">
          <h2 id="history-heading" className="card__title">
            Service history <span className="count">{history.data?.items.length ?? 0}</span>
          </h2>
          {history.error ? (
            <ErrorNotice error={history.error} onRetry={() => void history.reload()} />
          ) : !history.data ? (
            <SkeletonRows rows={3} label="Loading the service history" />
          ) : history.data.items.length === 0 ? (
            <p className="muted">No projects at this site yet.</p>
          ) : (
            <ol className="stack stack--tight plain-list" data-testid="site-history">
              {history.data.items.map((project) => (
                <li key={project.id}>
                  <Link to={`/projects/${encodeURIComponent(project.id)}`} className="strong-link">
                    {project.title ?? 'Untitled project'}
                  </Link>{' '}
                  <StatusBadge status={project.customerStatus} />
                  <span className="muted small block">
                    {humanize(project.kind)} · {humanize(project.stage)}
                    {project.outcome ? ` (${humanize(project.outcome)})` : ''} · started <time dateTime={project.createdAt}>{formatShort(project.createdAt)}</time>
                  </span>
                  {project.jobs.length > 0 && (
                    <ul className="small" aria-label={`Visits of ${project.title ?? 'this project'}`}>
                      {project.jobs.map((job) => (
                        <li key={job.id}>
                          <Link to={`/jobs/${encodeURIComponent(job.id)}`}>{humanize(job.type)} visit</Link>
                          {' · '}
                          {job.completedAt ? (
                            <>
                              done <time dateTime={job.completedAt}>{formatShort(job.completedAt)}</time>
                              {job.outcome ? ` (${humanize(job.outcome)})` : ''}
                            </>
                          ) : job.scheduledStart ? (
                            <>
                              booked <time dateTime={job.scheduledStart}>{formatDateTime(job.scheduledStart)}</time>
                            </>
                          ) : (
                            'not scheduled yet'
                          )}
                          {job.installer ? ` · ${job.installer.name}` : ' · no installer yet'}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="card" aria-labelledby="equipment-heading">
          <h2 id="equipment-heading" className="card__title">
            Equipment
          </h2>
          <SiteAssets siteId={view.id} projectId="" changes={0} />
        </section>
        <SiteQrCard siteId={view.id} address={view.address} />
      </div>
    </div>
  );
}
