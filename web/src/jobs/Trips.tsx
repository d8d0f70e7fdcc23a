// The job's trips: each with its planned and actual times and distance; one big button
// for the next step of the current trip ("On my way", "Arrived", "Finished"), and a
// form to plan another trip (the server fills the distance from the depot).
import { useState, type FormEvent } from 'react';
import type { Resource } from '../api/useResource';
import { useApi } from '../auth/session';
import { formatShort, humanize, isoToZoned, zonedToIso } from '../ui/format';
import { ActionError, useAction } from './useAction';
import type { Trip } from './types';

const STEPS = [
  { field: 'startedAt', op: 'start', label: 'On my way' },
  { field: 'arrivedAt', op: 'arrive', label: 'Arrived' },
  { field: 'finishedAt', op: 'finish', label: 'Finished' },
] as const;

/** The trip to move on with: the earliest planned one that is not finished. */
export const currentTrip = (trips: Trip[]): Trip | undefined =>
  [...trips].sort((a, b) => a.plannedStart.localeCompare(b.plannedStart)).find((trip) => !trip.finishedAt);

const nextStep = (trip: Trip) => STEPS.find((step) => !trip[step.field]);

/** "2026-12-01T09:00" on the company's clocks, for a datetime-local input. */
const localInput = isoToZoned;

export function Trips({ jobId, trips, scheduledStart, readOnly }: { jobId: string; trips: Resource<{ items: Trip[] }>; scheduledStart?: string; readOnly?: boolean }) {
  const api = useApi();
  const action = useAction();
  const base = `/jobs/${encodeURIComponent(jobId)}/trips`;
  const items = [...(trips.data?.items ?? [])].sort((a, b) => a.plannedStart.localeCompare(b.plannedStart));
  const current = currentTrip(items);
  const step = current && nextStep(current);
  const [planning, setPlanning] = useState(false);

  const advance = async () => {
    if (!current || !step) return;
    const done = await action.run(`${step.op}:${current.id}`, null, (key) => api.post<Trip>(`${base}/${encodeURIComponent(current.id)}/${step.op}`, {}, { idempotencyKey: key }));
    if (done) await trips.reload();
  };

  return (
    <section className="card trips" aria-labelledby={`trips-${jobId}`}>
      <h2 id={`trips-${jobId}`} className="card__title">
        Trips <span className="count">{items.length}</span>
      </h2>
      {!readOnly && current && step && (
        <div className="trips__next">
          <button type="button" className="button button--primary button--block tap trips__step" disabled={Boolean(action.busy)} onClick={() => void advance()}>
            {step.label}
          </button>
          <p className="muted small">
            {humanize(current.type)}:{' '}
            {current.arrivedAt
              ? `arrived ${formatShort(current.arrivedAt)}. Tap "Finished" when you leave the site.`
              : current.startedAt
                ? `on the way since ${formatShort(current.startedAt)}.`
                : `planned ${formatShort(current.plannedStart)}.`}
          </p>
          <ActionError action={action} name={/^(start|arrive|finish):/} />
        </div>
      )}
      {items.length === 0 ? (
        <p className="muted">No trips yet.{readOnly ? '' : ' Plan one to say when you go.'}</p>
      ) : (
        <ol className="trips__list">
          {items.map((trip) => (
            <TripRow key={trip.id} trip={trip} base={base} readOnly={readOnly} onChanged={() => void trips.reload()} />
          ))}
        </ol>
      )}
      {!readOnly &&
        (planning ? (
          <PlanTrip base={base} scheduledStart={scheduledStart} onDone={(made) => (setPlanning(false), made && void trips.reload())} />
        ) : (
          <button type="button" className="button tap" onClick={() => setPlanning(true)}>
            Plan a trip
          </button>
        ))}
    </section>
  );
}

function TripRow({ trip, base, readOnly, onChanged }: { trip: Trip; base: string; readOnly?: boolean; onChanged: () => void }) {
  const api = useApi();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [km, setKm] = useState(trip.distanceKm?.toString() ?? '');
  const inputId = `trip-km-${trip.id}`;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const distanceKm = Number(km);
    if (km.trim() === '' || !Number.isFinite(distanceKm) || distanceKm < 0) {
      void action.run('km', km, () => Promise.reject(new Error('Give the distance in km, for example 12.5')));
      return;
    }
    const body = { distanceKm: Math.round(distanceKm * 10) / 10 };
    const done = await action.run('km', body, (key) => api.patch<Trip>(`${base}/${encodeURIComponent(trip.id)}`, body, { idempotencyKey: key }));
    if (done) {
      setEditing(false);
      onChanged();
    }
  };

  const times = [
    trip.startedAt && `on the way ${formatShort(trip.startedAt)}`,
    trip.arrivedAt && `arrived ${formatShort(trip.arrivedAt)}`,
    trip.finishedAt && `finished ${formatShort(trip.finishedAt)}`,
  ].filter(Boolean);
  return (
    <li className="trip" data-testid={`trip-${trip.id}`}>
      <p className="trip__head">
        <strong>{humanize(trip.type)}</strong> · planned {formatShort(trip.plannedStart)}
      </p>
      <p className="muted small">{times.length ? times.join(' · ') : 'Not started'}</p>
      {editing ? (
        <form className="trip__km" onSubmit={(event) => void save(event)}>
          <label htmlFor={inputId}>Distance (km)</label>
          <input id={inputId} type="number" inputMode="decimal" min={0} step={0.1} value={km} onChange={(event) => setKm(event.target.value)} />
          <button type="submit" className="button button--primary tap" disabled={Boolean(action.busy)}>
            Save
          </button>
          <button type="button" className="button button--quiet tap" onClick={() => setEditing(false)}>
            Cancel
          </button>
          <ActionError action={action} name="km" />
        </form>
      ) : (
        <p className="trip__distance">
          {trip.distanceKm !== undefined ? `${trip.distanceKm} km` : 'Distance not known'}
          {!readOnly && !trip.finishedAt && (
            <button type="button" className="button button--quiet tap" onClick={() => setEditing(true)}>
              Change distance<span className="visually-hidden"> of the trip planned {formatShort(trip.plannedStart)}</span>
            </button>
          )}
        </p>
      )}
    </li>
  );
}

function PlanTrip({ base, scheduledStart, onDone }: { base: string; scheduledStart?: string; onDone: (made: boolean) => void }) {
  const api = useApi();
  const action = useAction();
  const [type, setType] = useState<Trip['type']>('field_trip');
  const [start, setStart] = useState(() => localInput(scheduledStart && new Date(scheduledStart).getTime() > Date.now() ? new Date(scheduledStart) : new Date()));
  const [km, setKm] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const planned = new Date(zonedToIso(start));
    if (!start || Number.isNaN(planned.getTime())) {
      void action.run('plan', start, () => Promise.reject(new Error('Give the planned start')));
      return;
    }
    const body = { type, plannedStart: planned.toISOString(), ...(km.trim() ? { distanceKm: Math.round(Number(km) * 10) / 10 } : {}) };
    const made = await action.run('plan', body, (key) => api.post<Trip>(base, body, { idempotencyKey: key }));
    if (made) onDone(true);
  };

  return (
    <form className="trip-plan" onSubmit={(event) => void submit(event)} aria-label="Plan a trip">
      <fieldset className="field">
        <legend>Type</legend>
        <div className="choices">
          {(['field_trip', 'customer_visit'] as const).map((option) => (
            <label key={option} className="choice tap">
              <input type="radio" name="trip-type" value={option} checked={type === option} onChange={() => setType(option)} />
              {humanize(option)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="trip-start">Planned start</label>
        <input id="trip-start" type="datetime-local" value={start} onChange={(event) => setStart(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="trip-km">
          Distance (km) <span className="optional">(optional)</span>
        </label>
        <p id="trip-km-hint" className="hint">
          Left empty, it is worked out from the depot to the site.
        </p>
        <input id="trip-km" type="number" inputMode="decimal" min={0} step={0.1} aria-describedby="trip-km-hint" value={km} onChange={(event) => setKm(event.target.value)} />
      </div>
      <ActionError action={action} name="plan" />
      <div className="form-buttons">
        <button type="submit" className="button button--primary tap" disabled={Boolean(action.busy)}>
          Plan the trip
        </button>
        <button type="button" className="button button--quiet tap" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
