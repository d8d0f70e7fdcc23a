// A reporting period from `?from=&to=`: each a day (YYYY-MM-DD, in the company's time
// zone, both days included) or an instant (ISO 8601 with offset; `to` excluded). Either
// may be left out for an open end. The database turns them into instants, so a day
// means the company's day whatever the server's zone.
import { z } from 'zod';

const bound = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a day (YYYY-MM-DD) or a time with offset (2026-11-24T09:00:00+10:30)' })
  // What the database can take as a time: years it counts (there is no year 0) and real UTC offsets.
  .refine((value) => Number(value.slice(0, 4)) >= 1900 && Number(value.slice(0, 4)) <= 9999, 'a year from 1900 to 9999')
  .refine((value) => !/[+-](\d{2}):\d{2}$/.test(value) || Number(value.slice(-5, -3)) <= 14, 'a UTC offset of at most 14 hours');

/** Comparable instants for the check that the period does not end before it starts. */
const startOf = (value: string) => Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
const endOf = (value: string) => (value.length === 10 ? Date.parse(`${value}T00:00:00Z`) + 86_400_000 : Date.parse(value));

/** The period's fields, for query schemas that add their own. */
export const periodFields = {
  from: bound.optional().meta({ description: 'First day (YYYY-MM-DD, company time zone) or instant (ISO 8601 with offset); open when absent' }),
  to: bound.optional().meta({ description: 'Last day, included (YYYY-MM-DD), or instant, excluded; open when absent' }),
};

/** Refines a query schema with period fields: it may not end before it starts. */
export const withOrderedPeriod = <S extends z.ZodType<{ from?: string | undefined; to?: string | undefined }>>(schema: S) =>
  schema.refine((period) => !period.from || !period.to || startOf(period.from) < endOf(period.to), { path: ['to'], message: 'the period ends before it starts' });

export const PeriodQuery = withOrderedPeriod(z.object(periodFields)).meta({ id: 'PeriodQuery' });

export type Period = { from?: string | undefined; to?: string | undefined };

/**
 * SQL conditions that `column` lies in the period, with `$n` placeholders from `first` on:
 * the from bound, the to bound and the time zone, in that order.
 */
export function periodCondition(column: string, first: number): string {
  const [from, to, zone] = [`$${first}`, `$${first + 1}`, `$${first + 2}`];
  return `(${from}::text IS NULL OR ${column} >= CASE WHEN length(${from}) = 10 THEN (${from}::date)::timestamp AT TIME ZONE ${zone} ELSE ${from}::timestamptz END)
  AND (${to}::text IS NULL OR ${column} < CASE WHEN length(${to}) = 10 THEN (${to}::date + 1)::timestamp AT TIME ZONE ${zone} ELSE ${to}::timestamptz END)`;
}

/** The parameters `periodCondition` expects. */
export const periodParams = (period: Period, timeZone: string) => [period.from ?? null, period.to ?? null, timeZone];
