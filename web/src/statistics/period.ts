// The statistics period, kept in the URL (?from=&to=, company days, both included) so a
// view can be bookmarked and shared. Without one: the last twelve months to today.
import { effectiveTimeZone } from '../ui/format';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day in the company's time zone, as YYYY-MM-DD. */
export const companyDay = (at: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: effectiveTimeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

export function defaultPeriod(now = new Date()): { from: string; to: string } {
  const today = companyDay(now);
  const [year, month] = today.split('-').map(Number);
  // The first day of the month eleven months back: twelve whole months of bars.
  const start = new Date(Date.UTC(year!, month! - 1 - 11, 1));
  return { from: start.toISOString().slice(0, 10), to: today };
}

export function periodFrom(params: URLSearchParams): { from: string; to: string } {
  const fallback = defaultPeriod();
  const from = params.get('from');
  const to = params.get('to');
  return { from: from && DAY.test(from) ? from : fallback.from, to: to && DAY.test(to) ? to : fallback.to };
}
