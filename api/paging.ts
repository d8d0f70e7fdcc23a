// Keyset paging: the cursor is the sort key of the last item, opaque to clients.
import { badRequest } from './problem';

export const encodeCursor = (parts: (string | number)[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

export function decodeCursor(cursor: string | undefined): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts)) return parts;
  } catch {
    // fall through
  }
  throw badRequest('the cursor is not one this API gave out', [{ path: 'cursor', message: 'invalid cursor' }]);
}

/** Takes one item more than asked to know whether another page exists. */
export function page<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null };
}

/** The time in a cursor, or 400 (never a query with an invalid date, which would be a 500). */
export function cursorTime(value: unknown): Date {
  const at = new Date(String(value));
  if (Number.isNaN(at.getTime())) throw badRequest('the cursor is not one this API gave out', [{ path: 'cursor', message: 'invalid cursor' }]);
  return at;
}
