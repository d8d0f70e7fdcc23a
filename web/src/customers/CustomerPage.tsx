// One customer for the office: how to reach them (tap to call, mail), their sites, their
// open and past projects and their documents, in one request; staff edit the details here.
import { saveBlob } from '../api/saveBlob';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { StatusBadge } from '../ui/Badges';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime, formatShort, formatSize, humanize } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { customerPath, sitePath } from './CustomerLink';
import { EditCustomer } from './EditCustomer';
import { PortalAccess } from './PortalAccess';
import { QrSheetButton } from './SiteQrCard';
import type { CustomerOverview, ProjectSummary } from './types';
import './customers.css';

export function CustomerPage() {
  const { customerId = '' } = useParams();
  const api = useApi();
  const overview = useResource((signal) => api.get<CustomerOverview>(`${customerPath(customerId)}/overview`, { signal }), [customerId]);
  const [editing, setEditing] = useState(false);
  const [downloadError, setDownloadError] = useState<string>();
  const view = overview.data;
  usePageTitle(view?.customer.name ?? 'Customer');

  if (overview.error && !view) {
    return (
      <div className="page">
        <ErrorNotice error={overview.error.status === 404 ? { message: 'There is no such customer.' } : overview.error} onRetry={() => void overview.reload()} />
      </div>
    );
  }
  if (!view) {
    return (
      <div className="page">
        <SkeletonRows rows={6} label="Loading the customer" />
      </div>
    );
  }
  const { customer } = view;

  async function download(doc: CustomerOverview['documents'][number]) {
    try {
      const blob = await api.blob(`/documents/${encodeURIComponent(doc.id)}`);
      saveBlob(blob, doc.name);
    } catch (err) {
      setDownloadError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">›</span> <span aria-current="page">{customer.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{customer.name}</h1>
          <p className="page-head__sub muted">
            Customer since <time dateTime={customer.createdAt}>{formatDateTime(customer.createdAt)}</time>
            {customer.updatedAt && (
              <>
                {' '}
                · details changed <time dateTime={customer.updatedAt}>{formatShort(customer.updatedAt)}</time>
                {customer.updatedBy && ` by ${customer.updatedBy}`}
              </>
            )}
          </p>
        </div>
        <div className="page-head__actions">
          <QrSheetButton customerId={customer.id} />
          {!editing && (
            <button type="button" className="button" onClick={() => setEditing(true)}>
              Edit details
            </button>
          )}
        </div>
      </div>

      {editing && (
        <EditCustomer
          customer={customer}
          onDone={(saved) => {
            setEditing(false);
            if (saved) void overview.reload();
          }}
        />
      )}

      <div className="project-grid">
        <div className="stack">
          <section className="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading" className="card__title">
              Contacts
            </h2>
            <ul className="stack stack--tight contact-list" data-testid="contacts">
              {view.contacts.map((contact) => (
                <li key={`${contact.kind}-${contact.email ?? contact.name}`}>
                  <strong>{contact.name}</strong>
                  <span className="muted small"> · {contact.kind === 'primary' ? 'main contact' : 'portal user'}</span>
                  <span className="contact-list__ways">
                    {contact.phone && contact.phoneUrl && (
                      <a className="button button--small tap" href={contact.phoneUrl}>
                        Call {contact.phone}
                      </a>
                    )}
                    {contact.email && (
                      <a className="button button--small button--quiet tap" href={`mailto:${contact.email}`}>
                        Email {contact.email}
                      </a>
                    )}
                    {!contact.phone && !contact.email && <span className="muted">No phone or email recorded.</span>}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="open-projects-heading">
            <h2 id="open-projects-heading" className="card__title">
              Open projects <span className="count">{view.openProjects.length}</span>
            </h2>
            <ProjectRows projects={view.openProjects} empty="Nothing open for this customer." />
          </section>
          <section className="card" aria-labelledby="past-projects-heading">
            <h2 id="past-projects-heading" className="card__title">
              Past projects <span className="count">{view.pastProjects.length}</span>
            </h2>
            <ProjectRows projects={view.pastProjects} empty="No finished projects yet." />
          </section>
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="sites-heading">
            <h2 id="sites-heading" className="card__title">
              Sites <span className="count">{view.sites.length}</span>
            </h2>
            {view.sites.length === 0 ? (
              <p className="muted">No sites yet.</p>
            ) : (
              <ul className="stack stack--tight plain-list" data-testid="sites">
                {view.sites.map((site) => (
                  <li key={site.id}>
                    <Link to={sitePath(site.id)} className="strong-link">
                      {site.address}
                    </Link>
                    <span className="muted small block">
                      {site.nmi ? `NMI ${site.nmi}` : 'No NMI recorded'}
                      {site.phases ? ` · ${site.phases}-phase` : ''} ·{' '}
                      <a href={site.mapsUrl} target="_blank" rel="noreferrer">
                        Map<span className="visually-hidden"> of {site.address} (opens in a new tab)</span> ↗
                      </a>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <PortalAccess customerId={customer.id} />
          <section className="card" aria-labelledby="customer-documents-heading">
            <h2 id="customer-documents-heading" className="card__title">
              Documents <span className="count">{view.documents.length}</span>
            </h2>
            {downloadError && (
              <p className="field-error" role="alert">
                {downloadError}
              </p>
            )}
            {view.documents.length === 0 ? (
              <p className="muted">No documents yet.</p>
            ) : (
              <ul className="doc-list" data-testid="customer-documents">
                {view.documents.map((doc) => (
                  <li key={doc.id} className="doc-list__item">
                    <span className="doc-list__name">
                      {doc.name}
                      <span className="muted small block">
                        {formatSize(doc.size)} · <time dateTime={doc.createdAt}>{formatShort(doc.createdAt)}</time> ·{' '}
                        <Link to={`/projects/${encodeURIComponent(doc.projectId)}`}>{doc.projectTitle ?? doc.projectId}</Link>
                      </span>
                    </span>
                    <button type="button" className="button button--small" onClick={() => void download(doc)}>
                      Download<span className="visually-hidden"> {doc.name}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

function ProjectRows({ projects, empty }: { projects: ProjectSummary[]; empty: string }) {
  if (!projects.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="stack stack--tight plain-list">
      {projects.map((project) => (
        <li key={project.id}>
          <Link to={`/projects/${encodeURIComponent(project.id)}`} className="strong-link">
            {project.title ?? 'Untitled project'}
          </Link>{' '}
          <StatusBadge status={project.customerStatus} />
          <span className="muted small block">
            {humanize(project.kind)} · {humanize(project.stage)}
            {project.outcome ? ` (${humanize(project.outcome)})` : ''} · {project.siteAddress} · started{' '}
            <time dateTime={project.createdAt}>{formatShort(project.createdAt)}</time>
            {project.closedAt && (
              <>
                , closed <time dateTime={project.closedAt}>{formatShort(project.closedAt)}</time>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
