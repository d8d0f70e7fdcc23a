// How the console writes times, sizes and machine names for people. Dates and times are
// in the company's time zone (GET /settings: COMPANY_TIME_ZONE) in the browser's own
// language and format; people are named by their display names (GET /people).
let timeZone: string | undefined;
const makeFormats = (zone: string | undefined) => ({
  dateTime: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }),
  timeOnly: new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: zone }),
  dayOnly: new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone }),
  dayKey: new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }),
  full: new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long', timeZone: zone }),
});
let formats = makeFormats(undefined);

/** The company's time zone, once GET /settings has said it; an unknown name keeps the browser's. */
export function setCompanyTimeZone(zone: string | undefined): void {
  if (zone === timeZone) return;
  try {
    formats = makeFormats(zone);
    timeZone = zone;
  } catch {
    formats = makeFormats(undefined);
    timeZone = undefined;
  }
}
export const companyTimeZone = (): string | undefined => timeZone;

/** The zone times are written and entered in: the company's, or the browser's until it is known. */
export const effectiveTimeZone = (): string => timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

const wallClock = (instant: number, zone: string): number => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
};
/** Minutes the zone is ahead of UTC at this instant (Adelaide in summer: 630). */
const offsetMinutes = (instant: number, zone: string): number => Math.round((wallClock(instant, zone) - Math.floor(instant / 1000) * 1000) / 60_000);

/** "2026-12-01T09:00" on the company's clocks → "2026-12-01T09:00:00+10:30". */
export function zonedToIso(local: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(local);
  if (!match) return local;
  const [, y, mo, d, h, mi, se] = match.map(Number);
  const zone = effectiveTimeZone();
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, se || 0);
  let offset = offsetMinutes(asUtc, zone);
  offset = offsetMinutes(asUtc - offset * 60_000, zone);
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const base = local.length === 16 ? `${local}:00` : local;
  return `${base}${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(Math.abs(offset) % 60)}`;
}

/** An instant as "2026-12-01T09:00" on the company's clocks, for a datetime-local input. */
export function isoToZoned(instant: Date): string {
  return new Date(wallClock(instant.getTime(), effectiveTimeZone())).toISOString().slice(0, 16);
}

export const formatDateTime = (iso: string | undefined): string => (iso ? formats.dateTime.format(new Date(iso)) : '—');

/** The whole moment with its zone, for a tooltip: "Tuesday 1 December 2026 at 9:00:00 am ACDT". */
export const formatFull = (iso: string): string => formats.full.format(new Date(iso));

const sameCompanyDay = (a: Date, b: Date): boolean => formats.dayKey.format(a) === formats.dayKey.format(b);

/** "today 14:05", "Tue 3 Dec 09:00": short enough for a phone row. */
export function formatShort(iso: string): string {
  const date = new Date(iso);
  const sameDay = sameCompanyDay(date, new Date());
  return sameDay ? `today ${formats.timeOnly.format(date)}` : `${formats.dayOnly.format(date)} ${formats.timeOnly.format(date)}`;
}

/** An appointment window, "3 Dec 2026, 09:00–11:00"; a start alone when no end was booked. */
export function formatWindow(start: string, end?: string): string {
  if (!end) return formatDateTime(start);
  const to = new Date(end);
  return sameCompanyDay(new Date(start), to) ? `${formatDateTime(start)}–${formats.timeOnly.format(to)}` : `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

/** The window for a phone row: "Tue 3 Dec 09:00–11:00". */
export function formatShortWindow(start: string, end?: string): string {
  if (!end) return formatShort(start);
  const to = new Date(end);
  return sameCompanyDay(new Date(start), to) ? `${formatShort(start)}–${formats.timeOnly.format(to)}` : `${formatShort(start)} – ${formatShort(end)}`;
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

const people = new Map<string, { name: string; role: string }>();

/** The display names the console may show (GET /people). */
export function setPeople(items: { id: string; name: string; role: string }[]): void {
  people.clear();
  for (const person of items) people.set(person.id, { name: person.name, role: person.role });
}

/** A person's display name, or their id made readable when the console does not know them. */
export const personName = (id: string): string => people.get(id)?.name ?? id.replace(/^usr_/, '').replace(/_/g, ' ');

/** An actor as people read it: "Olle Ops (ops)"; "You" for the reader. */
export function formatActor(actor: { id: string; role: string }, meId?: string): string {
  if (actor.id === meId) return 'You';
  if (actor.role === 'system') return 'Fieldflow';
  if (actor.role === 'event') return 'Outside system';
  const role = actor.role || people.get(actor.id)?.role;
  return role ? `${personName(actor.id)} (${role})` : personName(actor.id);
}

/** A person by id alone (who completed, uploaded, is assigned): "Ivy Installer". */
export const formatPerson = (id: string | undefined, meId?: string): string => (!id ? '—' : id === meId ? 'You' : personName(id));

const groups = new Map<string, { name: string; memberIds: string[] }>();

/** The staff groups routing rules send work to (GET /groups; the office only), by assignee `group:<id>`. */
export function setGroups(items: { assignee: string; name: string; members: { id: string }[] }[]): void {
  groups.clear();
  for (const group of items) groups.set(group.assignee, { name: group.name, memberIds: group.members.map((member) => member.id) });
}

/** Is the person a member of the staff group an assignee names (`group:<id>`; not a role's group). */
export function inStaffGroup(assignee: string | undefined, userId: string): boolean {
  return Boolean(assignee && groups.get(assignee)?.memberIds.includes(userId));
}

export function formatAssignee(assignee: string | undefined, meId?: string): string {
  if (!assignee) return 'Unassigned';
  if (assignee === meId) return 'You';
  const group = groups.get(assignee);
  if (group) return group.name;
  if (assignee.startsWith('group:')) return `${humanize(assignee.slice(6))} team`;
  return personName(assignee);
}

/** The people of one role the console knows (GET /people), by name: the installers for a filter. */
export const peopleWithRole = (role: string): { id: string; name: string }[] =>
  [...people].filter(([, person]) => person.role === role).map(([id, person]) => ({ id, name: person.name })).sort((a, b) => a.name.localeCompare(b.name));
