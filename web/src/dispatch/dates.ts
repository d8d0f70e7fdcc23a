// Days and weeks of the board, in the browser's time zone.
export type BoardView = 'day' | 'week';

/** The hours a day lane shows, one drop slot each. */
export const FIRST_HOUR = 7;
export const LAST_HOUR = 18;

export const dayStart = (date: Date): Date => new Date(date.getFullYear(), date.getMonth(), date.getDate());
export const addDays = (date: Date, days: number): Date => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days, date.getHours(), date.getMinutes());
export const atHour = (day: Date, hour: number, minute = 0): Date => new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, minute);

/** Monday of the date's week. */
export const weekStart = (date: Date): Date => addDays(dayStart(date), -((date.getDay() + 6) % 7));

/** `YYYY-MM-DD` of a local date (the URL's form), and back. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
export function parseDay(text: string | null): Date {
  const match = text?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : dayStart(new Date());
}

/** `HH:MM` of a local time. */
export const hhmm = (date: Date): string => `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;

export function range(view: BoardView, date: Date): { from: Date; to: Date; days: Date[] } {
  const from = view === 'day' ? dayStart(date) : weekStart(date);
  const count = view === 'day' ? 1 : 7;
  const days = Array.from({ length: count }, (_, index) => addDays(from, index));
  return { from, to: addDays(from, count), days };
}

export const sameDay = (a: Date, b: Date): boolean => a.toDateString() === b.toDateString();

/** `2026-12-01T09:00:00+10:30`: the local time with the browser's offset at that moment. */
export function withOffset(date: Date): string {
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  return `${isoDay(date)}T${hhmm(date)}:00${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
}
