// The job card on the phone: where (a maps link), who (tap to call), what is wrong, what
// the office said, what is on the site and what happened there before.
import { Link } from 'react-router-dom';
import { CustomerLink } from '../customers/CustomerLink';
import { DueTime } from '../ui/Badges';
import { formatDateTime, formatWindow, humanize } from '../ui/format';
import type { JobCardData } from './types';

export function JobCard({ card }: { card: JobCardData }) {
  const { site, customer, problem, notes, equipment, lastVisits, next, job } = card;
  return (
    <div className="job-card">
      <section className="card job-card__where" aria-label="Where and who">
        <h2 className="card__title">{site.address}</h2>
        <p className="job-card__when">{job.scheduledStart ? <>Appointment {formatWindow(job.scheduledStart, job.scheduledEnd)}</> : 'Not scheduled yet'}</p>
        <div className="job-card__actions">
          <a className="button button--primary tap" href={site.mapsUrl} target="_blank" rel="noreferrer">
            Open in maps
          </a>
          {customer.phoneUrl && (
            <a className="button tap" href={customer.phoneUrl}>
              Call {customer.name}
            </a>
          )}
          {customer.email && (
            <a className="button button--quiet tap" href={`mailto:${customer.email}`}>
              Email
            </a>
          )}
        </div>
        <dl className="job-card__facts">
          <dt>Customer</dt>
          <dd>
            <CustomerLink id={customer.id} name={customer.name} />
            {customer.phone && <span className="muted"> · {customer.phone}</span>}
          </dd>
          {site.nmi && (
            <>
              <dt>NMI</dt>
              <dd>{site.nmi}</dd>
            </>
          )}
          {site.phases && (
            <>
              <dt>Phases</dt>
              <dd>{site.phases}</dd>
            </>
          )}
        </dl>
      </section>

      <section className="card" aria-label="The problem">
        <h2 className="card__title">{card.project.kind === 'sales' ? 'The job' : 'The problem'}</h2>
        <p className="job-card__problem">{problem.description ?? card.project.title ?? 'No description given.'}</p>
        {problem.category && <p className="muted">Category: {humanize(problem.category)}</p>}
        {notes.length > 0 && (
          <>
            <h3 className="job-card__subhead">From the office</h3>
            <ul className="job-card__notes">
              {notes.map((note) => (
                <li key={`${note.taskType}-${note.at}`}>
                  <p>{note.note}</p>
                  <p className="muted small">
                    {note.title} · {formatDateTime(note.at)}
                  </p>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {next.length > 0 && (
        <section className="card" aria-label="What to do next">
          <h2 className="card__title">Next</h2>
          <ul className="job-card__next">
            {next.map((task) => (
              <li key={task.id}>
                <Link className="button button--block tap" to={`/tasks/${encodeURIComponent(task.id)}`}>
                  <span>{task.title}</span>
                  <DueTime dueAt={task.dueAt} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-label="Equipment on site">
        <h2 className="card__title">Equipment on site</h2>
        {equipment.length === 0 ? (
          <p className="muted">No equipment registered.</p>
        ) : (
          <ul className="job-card__list">
            {equipment.map((asset) => (
              <li key={asset.id}>
                {asset.make} {asset.model}
                <span className="muted"> · serial {asset.serial ?? 'not recorded'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-label="Last visits">
        <h2 className="card__title">Last visits</h2>
        {lastVisits.length === 0 ? (
          <p className="muted">No earlier visits to this site.</p>
        ) : (
          <ul className="job-card__list">
            {lastVisits.map((visit) => (
              <li key={visit.id}>
                {humanize(visit.type)} · {formatDateTime(visit.completedAt)}
                <span className="muted">
                  {' '}
                  · {visit.outcome ? humanize(visit.outcome) : 'done'}
                  {visit.installerName ? ` · ${visit.installerName}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
