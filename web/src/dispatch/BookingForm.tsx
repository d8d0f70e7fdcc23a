// Booking a job without dragging: installer, day and window in a form (the keyboard's way,
// and the way to an exact time). Every problem is shown at once, next to its field.
import { useId, useState, type FormEvent } from 'react';
import { atHour, boardTime, hhmm, isoDay, parseDay } from './dates';
import { DEFAULT_DURATION_MS, jobName, type DispatchJob, type Lane } from './types';

const at = (day: string, time: string): Date | undefined => {
  const match = time.match(/^(\d{2}):(\d{2})$/);
  if (!match || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return atHour(parseDay(day), Number(match[1]), Number(match[2]));
};

export function BookingForm({
  job,
  lanes,
  defaultDay,
  busy,
  onBook,
  onCancel,
}: {
  job: DispatchJob;
  lanes: Lane[];
  defaultDay: Date;
  busy: boolean;
  onBook: (installerId: string, start: Date, end: Date) => Promise<boolean>;
  onCancel: () => void;
}) {
  const id = useId();
  // Wall-clock times on the company's clocks (see dates.ts), like the board's.
  const start0 = job.scheduledStart ? boardTime(job.scheduledStart) : atHour(defaultDay, 8);
  const end0 = job.scheduledEnd ? boardTime(job.scheduledEnd) : new Date(start0.getTime() + DEFAULT_DURATION_MS);
  const [installerId, setInstallerId] = useState(job.installerId ?? '');
  const [day, setDay] = useState(isoDay(start0));
  const [from, setFrom] = useState(hhmm(start0));
  const [to, setTo] = useState(hhmm(end0));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const start = at(day, from);
    const end = at(day, to);
    const found: Record<string, string> = {};
    if (!lanes.some((lane) => lane.installerId === installerId)) found.installer = 'Choose the installer who does the job.';
    if (!start) found.day = 'Enter the day and the start time.';
    if (!end) found.to = 'Enter the end time.';
    else if (start && end <= start) found.to = 'The appointment must end after it starts.';
    setErrors(found);
    if (Object.keys(found).length) return;
    await onBook(installerId, start!, end!);
  };

  const described = (name: string) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${name}-error` } : {});
  const error = (name: string) =>
    errors[name] && (
      <p className="field-error" id={`${id}-${name}-error`}>
        {errors[name]}
      </p>
    );

  return (
    <section className="card dispatch-booking" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Book {jobName(job)} · {job.customerName}
      </h2>
      <p className="muted small">{job.address}</p>
      <form className="dispatch-booking__form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-installer`}>Installer</label>
          <select id={`${id}-installer`} value={installerId} onChange={(event) => setInstallerId(event.target.value)} {...described('installer')}>
            <option value="">Choose an installer</option>
            {lanes.map((lane) => (
              <option key={lane.installerId} value={lane.installerId}>
                {lane.name}
              </option>
            ))}
          </select>
          {error('installer')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-day`}>Day</label>
          <input id={`${id}-day`} type="date" value={day} onChange={(event) => setDay(event.target.value)} {...described('day')} />
          {error('day')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} type="time" value={from} onChange={(event) => setFrom(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} type="time" value={to} onChange={(event) => setTo(event.target.value)} {...described('to')} />
          {error('to')}
        </div>
        <div className="dispatch-booking__actions">
          <button type="submit" className="button button--primary tap" disabled={busy}>
            {busy ? 'Booking…' : 'Book'}
          </button>
          <button type="button" className="button tap" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
