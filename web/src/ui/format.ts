// How the console writes times, sizes and machine names for people.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayOnly = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

export const formatDateTime = (iso: string | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');

/** "today 14:05", "Tue 3 Dec 09:00": short enough for a phone row. */
export function formatShort(iso: string): string {
  const date = new Date(iso);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay ? `today ${timeOnly.format(date)}` : `${dayOnly.format(date)} ${timeOnly.format(date)}`;
}

/** An appointment window, "3 Dec 2026, 09:00–11:00"; a start alone when no end was booked. */
export function formatWindow(start: string, end?: string): string {
  if (!end) return formatDateTime(start);
  const from = new Date(start);
  const to = new Date(end);
  return from.toDateString() === to.toDateString() ? `${formatDateTime(start)}–${timeOnly.format(to)}` : `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

/** The window for a phone row: "Tue 3 Dec 09:00–11:00". */
export function formatShortWindow(start: string, end?: string): string {
  if (!end) return formatShort(start);
  const from = new Date(start);
  const to = new Date(end);
  return from.toDateString() === to.toDateString() ? `${formatShort(start)}–${timeOnly.format(to)}` : `${formatShort(start)} – ${formatShort(end)}`;
}

/** "in 2 days", "3 hours ago". */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, ms] of units) if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  return diff < 0 ? 'just now' : 'in a moment';
}

export const isOverdue = (dueAt: string | undefined, now = Date.now()): boolean => Boolean(dueAt && new Date(dueAt).getTime() < now);

/** "site_visit" → "Site visit", "jobType" → "Job type". */
export function humanize(name: string): string {
  const words = name
    .replace(/Ids?$/, (match) => (match === 'Ids' ? 's' : ''))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  const sentence = words.charAt(0).toUpperCase() + words.slice(1);
  // Abbreviations stay in capitals: NMI, STC.
  return sentence.replace(/\b(nmi|stc)\b/gi, (word) => word.toUpperCase());
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An actor id as people read it: "usr_demo_ops" → "demo ops". */
export function formatActor(actor: { id: string; role: string }, meId?: string): string {
  if (actor.id === meId) return 'You';
  if (actor.role === 'system') return 'Fieldflow';
  if (actor.role === 'event') return 'Outside system';
  return `${actor.id.replace(/^usr_/, '').replace(/_/g, ' ')} (${actor.role})`;
}

export function formatAssignee(assignee: string | undefined, meId?: string): string {
  if (!assignee) return 'Unassigned';
  if (assignee === meId) return 'You';
  if (assignee.startsWith('group:')) return `${humanize(assignee.slice(6))} team`;
  return assignee.replace(/^usr_/, '').replace(/_/g, ' ');
}
