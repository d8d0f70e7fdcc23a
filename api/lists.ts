// Sortable, counted lists over the read model: the sort keys each list offers, keyset
// paging over any of them, and the total that goes with the filters.
//
// The cursor holds the last row's sort value as PostgreSQL printed it (`::text`, so a
// timestamp keeps its microseconds) and its id; the next page is the rows after that
// pair, compared as a row: `(key, id) < (value, id)`. Any sort pages without gaps or
// repeats, and an index on (key, id) serves it where one exists.
import { sql, type SQL } from 'drizzle-orm';
import { badRequest } from './problem';
import { decodeCursor } from './paging';

/** A timestamp as PostgreSQL prints it, or in ISO 8601: nothing else reaches the cast. */
const TIMESTAMP = /^-?infinity$|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** A timestamp whose month, day and time exist (the pattern alone lets February 30th by). */
function realInstant(text: string): boolean {
  if (/infinity$/.test(text)) return true;
  const [, y, mo, d, h, mi, se] = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text)!.map(Number);
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= daysInMonth && h! < 24 && mi! < 60 && se! < 60;
}

export interface SortKey {
  /** The expression sorted on (never null: coalesce it). */
  expression: SQL;
  /** The SQL type its cursor text is read back as. */
  type: 'timestamptz' | 'text';
  /** The direction when the request names none. */
  defaultOrder: 'asc' | 'desc';
}

export interface Sorting {
  orderBy: SQL[];
  /** The sort value as text, for the cursor. */
  cursorValue: SQL<string>;
  /** The condition for rows after the cursor, when there is one. */
  after?: SQL;
}

/** ORDER BY, the cursor's value, and the keyset condition of `key` over rows whose id is `id`. */
export function sorting(key: SortKey, id: SQL | unknown, order: 'asc' | 'desc' | undefined, cursor: string | undefined): Sorting {
  const direction = order ?? key.defaultOrder;
  const descending = direction === 'desc';
  const orderBy = descending ? [sql`${key.expression} DESC`, sql`${id} DESC`] : [sql`${key.expression} ASC`, sql`${id} ASC`];
  const parts = decodeCursor(cursor);
  let after: SQL | undefined;
  if (parts) {
    const wellFormed =
      parts.length === 2 &&
      typeof parts[0] === 'string' &&
      typeof parts[1] === 'string' &&
      !parts.some((part) => String(part).includes('\u0000')) &&
      // A date that fits the pattern but does not exist (February 30th) would fail the cast.
      (key.type !== 'timestamptz' || (TIMESTAMP.test(parts[0]) && realInstant(parts[0])));
    if (!wellFormed) {
      throw badRequest('the cursor is not one this API gave out', [{ path: 'cursor', message: 'invalid cursor' }]);
    }
    const value = key.type === 'timestamptz' ? sql`${parts[0]}::timestamptz` : sql`${parts[0]}::text`;
    after = descending ? sql`(${key.expression}, ${id}) < (${value}, ${parts[1]}::text)` : sql`(${key.expression}, ${id}) > (${value}, ${parts[1]}::text)`;
  }
  return { orderBy, cursorValue: sql<string>`(${key.expression})::text`, after };
}

/**
 * Counting every match of a broad filter reads every matching index entry (20,000 rows of
 * one stage at 100,000 projects cost more than the page itself), so totals are exact up to
 * this many and "at least this many" beyond.
 */
export const TOTAL_CAP = 1000;

/** `{total, totalCapped}` from a count of at most TOTAL_CAP + 1 rows. */
export const totalOf = (counted: number) => (counted > TOTAL_CAP ? { total: TOTAL_CAP, totalCapped: true } : { total: counted, totalCapped: false });
