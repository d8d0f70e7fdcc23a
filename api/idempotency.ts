// Idempotency-Key handling shared by the routes that take one: the key's shape, and the
// remembered hash of the body it was first used with, so the same key with another body
// is refused (422) rather than silently answered with the first request's result.
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Request } from 'express';
import type { Db } from '../db';
import { idempotencyKeys } from '../db/schema';
import { badRequest, Problem } from './problem';

/** Longer keys would not fit PostgreSQL's index rows (and no client needs them). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The request's Idempotency-Key, if any; 400 when it is empty or too long. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!key.length || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badRequest(`Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, [
      { path: 'Idempotency-Key', message: `${key.length} characters; at most ${MAX_IDEMPOTENCY_KEY_LENGTH}` },
    ]);
  }
  return key;
}

/**
 * The resource a key made or will make within `scope` (route and user, say): the one
 * remembered with this key, or `fresh` remembered with the key and the body's hash.
 * Refused with 422 when the key was used before with a different body.
 */
export async function keyedResource(db: Db, scope: string, key: string, body: unknown, fresh: string): Promise<string> {
  const bodySha256 = crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
  await db.insert(idempotencyKeys).values({ scope, key, bodySha256, resourceId: fresh }).onConflictDoNothing();
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (row!.bodySha256 !== bodySha256) throw new Problem(422, 'Unprocessable content', 'this Idempotency-Key was used before with a different body');
  return row!.resourceId;
}

/**
 * Claims `key` within `scope` for this body: true the first time, false when the same body
 * came with it before (a retry: its effect is already there), 422 for another body. Run it
 * in the transaction of the effect, so the key and the effect commit together or not at all.
 */
export async function firstUse(db: Pick<Db, 'insert' | 'select'>, scope: string, key: string, body: unknown): Promise<boolean> {
  const bodySha256 = crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
  const inserted = await db.insert(idempotencyKeys).values({ scope, key, bodySha256, resourceId: scope }).onConflictDoNothing().returning();
  if (inserted.length) return true;
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (row!.bodySha256 !== bodySha256) throw new Problem(422, 'Unprocessable content', 'this Idempotency-Key was used before with a different body');
  return false;
}

/** JSON with sorted keys, so equal bodies hash alike whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
