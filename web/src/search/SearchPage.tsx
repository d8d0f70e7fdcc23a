// What the header's search box found: projects, customers and sites, best first. A
// customer can be called or mailed from here; each group links on to its projects.
import { customerPath, sitePath } from '../customers/CustomerLink';
import { Link, useSearchParams } from 'react-router-dom';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { StageBadge, StatusBadge } from '../ui/Badges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShort, humanize } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import type { SearchAnswer } from './types';

const why: Record<SearchAnswer['projects'][number]['matched'], string> = {
  number: 'Project number',
  job: 'Job number',
  title: 'Title',
  customer: 'Customer',
  site: 'Site address',
};

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A phone number as a tel: link (digits and a leading +). */
const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

export function SearchPage() {
  const api = useApi();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  usePageTitle(q ? `Search: ${q}` : 'Search');
  const results = useResource((signal) => (q.length >= 2 ? api.get<SearchAnswer>('/search', { query: { q }, signal }) : Promise.resolve(undefined)), [q]);
  const found = results.data;
  const nothing = found && !found.projects.length && !found.customers.length && !found.sites.length;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Search</h1>
          <p className="muted page-head__sub" aria-live="polite">
            {q.length < 2
              ? 'Type at least two characters in the search box above: a name, an address, a phone number, an email, a project or job number.'
              : found
                ? `Results for “${found.query}”: ${count(found.projects.length, 'project', 'projects')}, ${count(found.customers.length, 'customer', 'customers')}, ${count(found.sites.length, 'site', 'sites')}. Close spellings count.`
                : `Searching for “${q}”…`}
          </p>
        </div>
      </div>

      {q.length < 2 ? null : results.error && !found ? (
        <ErrorNotice error={results.error} onRetry={() => void results.reload()} />
      ) : !found || results.loading ? (
        <SkeletonRows rows={4} label="Searching" />
      ) : nothing ? (
        <EmptyState title="Nothing found">Check the spelling, or try part of the name, the street or the last digits of the phone number.</EmptyState>
      ) : (
        <div className="search-groups">
          {found.projects.length > 0 && (
            <section className="search-group" aria-labelledby="search-projects">
              <h2 id="search-projects">Projects</h2>
              <ul className="search-results">
                {found.projects.map((project) => (
                  <li key={project.id}>
                    <Link to={`/projects/${encodeURIComponent(project.id)}`} className="strong-link">
                      {project.title ?? 'Untitled project'}
                    </Link>
                    <span>
                      {project.customerName} · {project.siteAddress}
                    </span>
                    <StageBadge stage={project.stage} />
                    <StatusBadge status={project.customerStatus} />
                    <span className="muted small">
                      {humanize(project.kind)} · {project.id} · created {formatShort(project.createdAt)} · found by {why[project.matched].toLowerCase()}
                      {project.jobId ? ` ${project.jobId}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {found.customers.length > 0 && (
            <section className="search-group" aria-labelledby="search-customers">
              <h2 id="search-customers">Customers</h2>
              <ul className="search-results">
                {found.customers.map((customer) => (
                  <li key={customer.id}>
                    <Link to={customerPath(customer.id)} className="strong-link" aria-label={`Customer ${customer.name}`}>
                      {customer.name}
                    </Link>
                    {customer.phone && (
                      <a className="contact-link" href={telHref(customer.phone)} aria-label={`Call ${customer.name} on ${customer.phone}`}>
                        {customer.phone}
                      </a>
                    )}
                    {customer.email && (
                      <a className="contact-link" href={`mailto:${customer.email}`} aria-label={`Email ${customer.name} at ${customer.email}`}>
                        {customer.email}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {found.sites.length > 0 && (
            <section className="search-group" aria-labelledby="search-sites">
              <h2 id="search-sites">Sites</h2>
              <ul className="search-results">
                {found.sites.map((site) => (
                  <li key={site.id}>
                    <Link to={sitePath(site.id)} className="strong-link" aria-label={`Site ${site.address}`}>
                      {site.address}
                    </Link>
                    <span className="muted">{site.customerName}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
