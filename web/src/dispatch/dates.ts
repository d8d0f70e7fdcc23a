// Days, weeks and hours of the board, on the company's clocks (COMPANY_TIME_ZONE, from GET
// /settings), whatever zone the browser is in: an office in Perth books Adelaide's 09:00
// when it drops a job on the 9 o'clock slot.
//
// The board counts in wall-clock dates: a `Date` whose UTC fields are the company's local
// date and time ("09:00 on 10 March" is 2027-03-10T09:00Z here). Wall-clock dates have no
// daylight saving, so adding days and hours is plain arithmetic; `boardTime` and
// `instantOf` cross between them and real instants at the edges (the API's answers and
// requests).
import { isoToZoned, zonedToIso } from '../ui/format';

export type BoardView = 'day' | 'week';

/** The hours a day lane shows, one drop slot each. */
export const FIRST_HOUR = 7;
export const LAST_HOUR = 18;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const pad = (n: number) => String(n).padStart(2, '0');

/** An instant (an API time) as the company's wall clock reads it. */
export const boardTime = (instant: Date | string): Date => new Date(`${isoToZoned(new Date(instant))}:00Z`);

/** `2026-12-01T09:00:00+10:30`: the wall-clock time with the company's offset at that moment. */
export const withOffset = (date: Date): string => zonedToIso(`${isoDay(date)}T${hhmm(date)}`);

/** The real instant of a wall-clock time. */
export const instantOf = (date: Date): Date => new Date(withOffset(date));

export const dayStart = (date: Date): Date => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);
export const atHour = (day: Date, hour: number, minute = 0): Date => new Date(dayStart(day).getTime() + hour * HOUR_MS + minute * 60_000);

/** Today on the company's clocks. */
export const today = (): Date => dayStart(boardTime(new Date()));

/** Monday of the date's week. */
export const weekStart = (date: Date): Date => addDays(dayStart(date), -((date.getUTCDay() + 6) % 7));

/** `YYYY-MM-DD` of a wall-clock date (the URL's form), and back. */
export const isoDay = (date: Date): string => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
export function parseDay(text: string | null): Date {
  const match = text?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : today();
}

/** `HH:MM` of a wall-clock time. */
export const hhmm = (date: Date): string => `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;

/** Hours since the day's midnight, as a fraction: where a time sits on a day lane. */
export const hourOfDay = (date: Date): number => date.getUTCHours() + date.getUTCMinutes() / 60;

export function range(view: BoardView, date: Date): { from: Date; to: Date; days: Date[] } {
  const from = view === 'day' ? dayStart(date) : weekStart(date);
  const count = view === 'day' ? 1 : 7;
  const days = Array.from({ length: count }, (_, index) => addDays(from, index));
  return { from, to: addDays(from, count), days };
}

export const sameDay = (a: Date, b: Date): boolean => isoDay(a) === isoDay(b);

/** Formats for wall-clock dates: their UTC fields are the company's, so they are written in UTC. */
export const wallClockFormat = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
