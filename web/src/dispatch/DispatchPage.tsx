// The dispatch board: one lane per installer over a day (hour slots) or a week (day
// slots), with the jobs still to book in a queue beside it. Dragging a job onto a slot
// books it for that installer and time; "Book…" on any job does the same from a form, for
// the keyboard and for exact times. Each booking is one request (one update on the job's
// workflow); a refusal is shown as the API words it, and the board reloads. Updates live.
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { CustomerLink, SiteLink } from '../customers/CustomerLink';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShortWindow } from '../ui/format';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { BookingForm } from './BookingForm';
import { addDays, atHour, boardTime, FIRST_HOUR, hourOfDay, instantOf, isoDay, LAST_HOUR, parseDay, range, sameDay, today, wallClockFormat, withOffset, type BoardView } from './dates';
import { durationOf, jobName, jobState, type Board, type DispatchJob, type Lane } from './types';
import './dispatch.css';

const HOURS = Array.from({ length: LAST_HOUR - FIRST_HOUR + 1 }, (_, index) => FIRST_HOUR + index);
// The board's days and hours are the company's wall clock (see dates.ts), written as such.
const dayLabel = wallClockFormat({ weekday: 'short', day: 'numeric', month: 'short' });
const longDay = wallClockFormat({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const hourFormat = wallClockFormat({ hour: 'numeric' });
const hourLabel = (hour: number) => hourFormat.format(new Date(Date.UTC(2000, 0, 1, hour)));

export function DispatchPage() {
  const api = useApi();
  const toast = useToast();
  usePageTitle('Dispatch');
  const [params, setParams] = useSearchParams();
  const view: BoardView = params.get('view') === 'week' ? 'week' : 'day';
  const date = parseDay(params.get('date'));
  const { from, to, days } = range(view, date);
  const [booking, setBooking] = useState<DispatchJob>();
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState<string>();
  // The job being dragged, as it was when the drag began: a live reload meanwhile must not lose it.
  const dragged = useRef<DispatchJob>(undefined);

  const board = useResource(
    (signal) => api.get<Board>('/dispatch', { query: { from: instantOf(from).toISOString(), to: instantOf(to).toISOString() }, signal }),
    [from.getTime(), to.getTime()],
  );
  const live = useLiveChanges({}, useCallback(() => void board.reload(), [board.reload]));

  const jobs = useMemo(() => new Map([...(board.data?.queue ?? []), ...(board.data?.lanes.flatMap((lane) => lane.jobs) ?? [])].map((job) => [job.id, job])), [board.data]);
  const lanes = board.data?.lanes ?? [];

  const go = (next: { view?: BoardView; date?: Date }) => {
    const search = new URLSearchParams(params);
    search.set('view', next.view ?? view);
    search.set('date', isoDay(next.date ?? date));
    setParams(search, { replace: true });
  };

  const book = async (job: DispatchJob, installerId: string, start: Date, end: Date): Promise<boolean> => {
    setRefusal(undefined);
    setBusy(job.id);
    try {
      // The company's wall-clock times with their offset.
      await api.post(`/jobs/${encodeURIComponent(job.id)}/schedule`, { installerId, start: withOffset(start), end: withOffset(end) });
      const who = lanes.find((lane) => lane.installerId === installerId)?.name ?? 'the installer';
      toast(`${jobName(job)} booked for ${who}, ${formatShortWindow(instantOf(start).toISOString(), instantOf(end).toISOString())}`);
      setBooking(undefined);
      return true;
    } catch (err) {
      const message = err instanceof ApiError ? err.message : String(err);
      setRefusal(`${jobName(job)} was not booked: ${message}.`);
      return false;
    } finally {
      setBusy(undefined);
      void board.reload();
    }
  };

  /** A drop on a slot: the job keeps its length; a week slot keeps its time of day (or 08:00). */
  const dropOn = (lane: Lane, day: Date, hour?: number) => (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    event.currentTarget.classList.remove('dispatch-slot--over');
    const id = event.dataTransfer.getData('text/plain');
    const job = dragged.current?.id === id ? dragged.current : jobs.get(id);
    dragged.current = undefined;
    if (!job) return;
    const current = job.scheduledStart ? boardTime(job.scheduledStart) : undefined;
    const start = hour !== undefined ? atHour(day, hour) : atHour(day, current?.getUTCHours() ?? 8, current?.getUTCMinutes() ?? 0);
    void book(job, lane.installerId, start, new Date(start.getTime() + durationOf(job)));
  };

  /** A week slot: one installer's day. */
  const slot = (lane: Lane, day: Date) => {
    const here = lane.jobs.filter((job) => job.scheduledStart && sameDay(boardTime(job.scheduledStart), day));
    return (
      <td
        key={isoDay(day)}
        className="dispatch-slot"
        data-testid={`slot-${lane.installerId}-${isoDay(day)}`}
        onDragOver={(event) => {
          if (lane.disabled) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'move';
          event.currentTarget.classList.add('dispatch-slot--over');
        }}
        onDragLeave={(event) => event.currentTarget.classList.remove('dispatch-slot--over')}
        onDrop={dropOn(lane, day)}
      >
        {here.map((job) => (
          <JobChip key={job.id} job={job} busy={busy === job.id} onBook={() => setBooking(job)} onDrag={() => (dragged.current = job)} />
        ))}
      </td>
    );
  };

  /** A day lane: hour slots under chips that span their window; a drop anywhere finds its hour from where it lands. */
  const dayLane = (lane: Lane) => {
    const here = lane.jobs.filter((job) => job.scheduledStart);
    // Hours on the company's clock from the board's day: a window that began the day before starts at the lane's edge.
    const column = (instant: Date) => {
      const at = boardTime(instant);
      const hours = sameDay(at, from) ? hourOfDay(at) : at < from ? 0 : 24;
      return Math.min(Math.max(hours, FIRST_HOUR), LAST_HOUR + 1) - FIRST_HOUR;
    };
    return (
      <td colSpan={HOURS.length} className="dispatch-lane-cell">
        <div
          className="dispatch-lane"
          style={{ gridTemplateRows: `repeat(${Math.max(1, here.length)}, minmax(76px, auto))` }}
          onDragOver={(event) => {
            if (lane.disabled) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
          }}
          onDrop={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            const hour = FIRST_HOUR + Math.min(HOURS.length - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * HOURS.length)));
            dropOn(lane, from, hour)(event);
          }}
        >
          {HOURS.map((hour, index) => (
            <div
              key={hour}
              className="dispatch-slot"
              style={{ gridColumn: `${index + 1}`, gridRow: '1 / -1' }}
              data-testid={`slot-${lane.installerId}-${isoDay(from)}T${String(hour).padStart(2, '0')}`}
              onDragEnter={(event) => event.currentTarget.classList.add('dispatch-slot--over')}
              onDragLeave={(event) => event.currentTarget.classList.remove('dispatch-slot--over')}
              onDrop={(event) => event.currentTarget.classList.remove('dispatch-slot--over')}
            />
          ))}
          {here.map((job, index) => {
            const start = new Date(job.scheduledStart!);
            const end = new Date(job.scheduledEnd ?? start.getTime() + durationOf(job));
            const first = Math.floor(column(start));
            const last = Math.max(first + 1, Math.ceil(column(end)));
            return (
              <div key={job.id} className="dispatch-lane__job" style={{ gridColumn: `${first + 1} / ${Math.min(last, HOURS.length) + 1}`, gridRow: `${index + 1}` }}>
                <JobChip job={job} busy={busy === job.id} onBook={() => setBooking(job)} onDrag={() => (dragged.current = job)} />
              </div>
            );
          })}
        </div>
      </td>
    );
  };

  const title = view === 'day' ? longDay.format(from) : `Week of ${dayLabel.format(from)} – ${dayLabel.format(addDays(to, -1))}`;
  const queue = board.data?.queue ?? [];

  return (
    <div className="page page--wide">
      <div className="page-head">
        <div>
          <h1>Dispatch</h1>
          <p className="muted page-head__sub">
            Drag a job onto an installer and a time to book it, or use “Book…”. The installer is told, and the job’s field work falls due from the appointment.
          </p>
        </div>
        <LiveIndicator status={live} />
      </div>

      <div className="dispatch-toolbar" role="group" aria-label="Which days">
        <div className="segmented">
          <button type="button" className="button tap" aria-pressed={view === 'day'} onClick={() => go({ view: 'day' })}>
            Day
          </button>
          <button type="button" className="button tap" aria-pressed={view === 'week'} onClick={() => go({ view: 'week' })}>
            Week
          </button>
        </div>
        <button type="button" className="button tap" onClick={() => go({ date: addDays(date, view === 'day' ? -1 : -7) })}>
          <span aria-hidden="true">←</span> {view === 'day' ? 'Previous day' : 'Previous week'}
        </button>
        <button type="button" className="button tap" onClick={() => go({ date: today() })}>
          Today
        </button>
        <button type="button" className="button tap" onClick={() => go({ date: addDays(date, view === 'day' ? 1 : 7) })}>
          {view === 'day' ? 'Next day' : 'Next week'} <span aria-hidden="true">→</span>
        </button>
        <label className="dispatch-toolbar__date">
          <span className="visually-hidden">Go to date</span>
          <input type="date" value={isoDay(date)} onChange={(event) => event.target.value && go({ date: parseDay(event.target.value) })} />
        </label>
        <h2 className="dispatch-toolbar__title" data-testid="dispatch-range">
          {title}
        </h2>
      </div>

      {refusal && (
        <div className="notice notice--error" role="alert" data-testid="dispatch-refusal">
          <span>{refusal}</span>
          <button type="button" className="button button--small tap" onClick={() => setRefusal(undefined)}>
            Dismiss
          </button>
        </div>
      )}

      {booking && (
        <BookingForm
          job={booking}
          lanes={lanes.filter((lane) => !lane.disabled)}
          defaultDay={from}
          busy={busy === booking.id}
          onBook={(installerId, start, end) => book(booking, installerId, start, end)}
          onCancel={() => setBooking(undefined)}
        />
      )}

      {board.error && !board.data ? (
        <ErrorNotice error={board.error} onRetry={() => void board.reload()} />
      ) : !board.data ? (
        <SkeletonRows rows={4} label="Loading the dispatch board" />
      ) : (
        <div className="dispatch">
          <section className="card dispatch-queue" aria-labelledby="dispatch-queue-heading">
            <h2 id="dispatch-queue-heading" className="card__title">
              To book <span className="count">{board.data.queueTotal}</span>
            </h2>
            {board.data.queueTotal > queue.length && <p className="muted small">The newest {queue.length} are shown.</p>}
            {queue.length === 0 ? (
              <p className="muted">Every open job has an installer and an appointment.</p>
            ) : (
              <ul className="dispatch-queue__list" data-testid="dispatch-queue">
                {queue.map((job) => (
                  <li key={job.id}>
                    <JobChip job={job} busy={busy === job.id} onBook={() => setBooking(job)} onDrag={() => (dragged.current = job)} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="dispatch-board" aria-labelledby="dispatch-board-heading">
            <h2 id="dispatch-board-heading" className="visually-hidden">
              Installers’ lanes
            </h2>
            {lanes.length === 0 ? (
              <EmptyState title="No installers yet">An admin adds installers on the users page; each gets a lane here.</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="dispatch-grid" data-testid="dispatch-grid">
                  <caption className="visually-hidden">{title}: installers by {view === 'day' ? 'hour' : 'day'}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Installer</th>
                      {view === 'day'
                        ? HOURS.map((hour) => (
                            <th key={hour} scope="col">
                              {hourLabel(hour)}
                            </th>
                          ))
                        : days.map((day) => (
                            <th key={day.getTime()} scope="col">
                              {dayLabel.format(day)}
                            </th>
                          ))}
                    </tr>
                  </thead>
                  <tbody>
                    {lanes.map((lane) => (
                      <tr key={lane.installerId} data-testid={`lane-${lane.installerId}`}>
                        <th scope="row" className="dispatch-grid__who">
                          {lane.name}
                          <span className="muted small">
                            {' '}
                            {lane.disabled ? '(cannot work)' : `${lane.jobs.length} ${lane.jobs.length === 1 ? 'job' : 'jobs'}`}
                          </span>
                        </th>
                        {view === 'day' ? dayLane(lane) : days.map((day) => slot(lane, day))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </div>
  );
}

function JobChip({ job, busy, onBook, onDrag }: { job: DispatchJob; busy: boolean; onBook: () => void; onDrag: () => void }) {
  const done = job.status === 'done';
  return (
    <article
      className={`dispatch-job${done ? ' dispatch-job--done' : ''}${busy ? ' dispatch-job--busy' : ''}`}
      draggable={!done && !busy}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', job.id);
        event.dataTransfer.effectAllowed = 'move';
        onDrag();
      }}
      data-testid={`dispatch-job-${job.id}`}
      aria-label={`${jobName(job)}, ${job.customerName}`}
    >
      <span className="dispatch-job__name">
        <Link to={`/projects/${encodeURIComponent(job.projectId)}`}>{jobName(job)}</Link> · <CustomerLink id={job.customerId} name={job.customerName} />
      </span>
      <span className="dispatch-job__where small">
        <SiteLink id={job.siteId} address={job.address} />
      </span>
      <span className="dispatch-job__when small" data-testid="dispatch-job-when">
        {job.scheduledStart ? formatShortWindow(job.scheduledStart, job.scheduledEnd) : jobState(job)}
      </span>
      {job.scheduledStart && <span className="visually-hidden">{jobState(job)}</span>}
      {!done && (
        <button type="button" className="button button--small tap dispatch-job__book" onClick={onBook} disabled={busy} aria-label={`${job.scheduledStart ? 'Move' : 'Book'} ${jobName(job)}, ${job.customerName}`}>
          {busy ? 'Booking…' : job.scheduledStart ? 'Move…' : 'Book…'}
        </button>
      )}
    </article>
  );
}
