// One case as its customer sees it: what they asked (kind, category, their description),
// the customer-facing status and what it means, the dates, the visits, and the case's
// timeline in customer words (never the office's notes), live.
import { useCallback } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Page, TimelineEntry } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime, humanize } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { CustomerStatusBadge } from './CustomerStatusBadge';
import { categoryLabel, type CaseView } from './types';
import './portal.css';
import { CaseThread } from '../messages/CaseThread';

const KIND_WORDS: Record<string, string> = { issue: 'An issue', request: 'A request', deviation: 'A deviation', maintenance: 'Planned maintenance' };
const SOURCES: Record<string, string> = { portal: 'You, in the portal', office: 'The office, for you', qr: "The site's QR code form", plan: 'Your maintenance plan' };

export function CasePage() {
  const { projectId = '' } = useParams();
  const api = useApi();
  const view = useResource((signal) => api.get<CaseView>(`/projects/${encodeURIComponent(projectId)}`, { signal }), [projectId]);
  const timeline = useResource((signal) => api.get<Page<TimelineEntry>>(`/projects/${encodeURIComponent(projectId)}/timeline`, { query: { limit: 200 }, signal }), [projectId]);
  const live = useLiveChanges(
    { projectId },
    useCallback(() => {
      void view.reload();
      void timeline.reload();
    }, [view.reload, timeline.reload]),
  );
  const item = view.data;
  usePageTitle(item?.title ?? 'Case');

  if (view.error && !item) {
    const missing = view.error.status === 404 || view.error.status === 403;
    return (
      <div className="page portal">
        <ErrorNotice error={missing ? { message: 'There is no such case among yours.' } : view.error} onRetry={missing ? undefined : () => void view.reload()} />
        <Link to="/" className="button tap">
          Back to my cases
        </Link>
      </div>
    );
  }
  if (!item) {
    return (
      <div className="page portal">
        <SkeletonRows rows={5} label="Loading the case" />
      </div>
    );
  }
  const status = item.customerStatus ?? item.status;
  const request = item.case;

  return (
    <div className="page portal">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">My cases</Link> <span aria-hidden="true">›</span> <span aria-current="page">{item.title ?? 'Case'}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{item.title ?? 'Case'}</h1>
          <p className="page-head__sub muted">
            Opened <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time> · last change <time dateTime={item.updatedAt}>{formatDateTime(item.updatedAt)}</time>
          </p>
        </div>
        <div className="page-head__actions">
          <LiveIndicator status={live} />
        </div>
      </div>

      <section className="card" aria-labelledby="case-status-heading">
        <h2 id="case-status-heading" className="card__title">
          Status
        </h2>
        <CustomerStatusBadge status={status} explain />
      </section>

      <section className="card" aria-labelledby="case-request-heading">
        <h2 id="case-request-heading" className="card__title">
          What was asked
        </h2>
        {request ? (
          <dl className="portal__facts">
            <dt>Kind</dt>
            <dd>{KIND_WORDS[request.kind] ?? humanize(request.kind)}</dd>
            <dt>About</dt>
            <dd>{categoryLabel(request.category)}</dd>
            <dt>Raised by</dt>
            <dd>{SOURCES[request.source] ?? humanize(request.source)}</dd>
            <dt>Description</dt>
            <dd className="portal__request" data-testid="case-description">
              {request.description}
            </dd>
          </dl>
        ) : (
          <p className="muted">The office raised this case for you.</p>
        )}
      </section>

      <section className="card" aria-labelledby="case-visits-heading">
        <h2 id="case-visits-heading" className="card__title">
          Visits <span className="count">{item.jobs.length}</span>
        </h2>
        {item.jobs.length === 0 ? (
          <p className="muted">No visit is planned for this case yet.</p>
        ) : (
          <ul className="plain-list stack stack--tight">
            {item.jobs.map((job) => (
              <li key={job.id}>
                <strong>
                  {humanize(job.type)} visit {job.sequence}
                </strong>
                <span className="muted small block">
                  {job.scheduledStart ? (
                    <>
                      Booked for <time dateTime={job.scheduledStart}>{formatDateTime(job.scheduledStart)}</time>
                    </>
                  ) : (
                    'Not booked yet'
                  )}
                  {job.status === 'done' ? ` · finished${job.outcome ? `: ${humanize(job.outcome)}` : ''}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="case-timeline-heading">
        <h2 id="case-timeline-heading" className="card__title">
          What has happened
        </h2>
        {timeline.error && !timeline.data ? (
          <ErrorNotice error={timeline.error} onRetry={() => void timeline.reload()} />
        ) : !timeline.data ? (
          <SkeletonRows rows={3} label="Loading what has happened" />
        ) : timeline.data.items.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <ol className="portal__timeline" data-testid="case-timeline">
            {timeline.data.items.map((entry) => (
              <li key={entry.id}>
                <time dateTime={entry.at} className="muted small">
                  {formatDateTime(entry.at)}
                </time>{' '}
                {entry.summary}
              </li>
            ))}
          </ol>
        )}
      </section>

      <CaseThread projectId={item.id} />
    </div>
  );
}
