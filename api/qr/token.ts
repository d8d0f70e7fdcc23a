// A site's QR token: what the printed code carries. It names its row in `site_qr_tokens`
// and its site, with an expiry, signed with a key derived from JWT_SECRET for this purpose
// only (a login token is no QR token and the other way round). The signature proves we
// made it; the row says whether it still counts (revoked, expired, superseded).
//
//   <tokenId>.<siteId>.<expiry, Unix seconds in base 36>.<HMAC-SHA256, first 16 bytes, base64url>
//
// Short on purpose: a shorter text makes a coarser code that still scans from a small label.
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db';
import { customers, siteQrTokens, sites } from '../../db/schema';
import { addDuration } from '../../runtime/config';
import { newId } from '../ids';
import { Problem, unauthorized } from '../problem';

const PURPOSE = 'fieldflow/site-qr-token/v1';
const SIGNATURE_BYTES = 16;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const keys = new Map<string, Buffer>();
/** The QR key: an HMAC of the purpose under JWT_SECRET, so the secret itself signs nothing here. */
function qrKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = crypto.createHmac('sha256', secret).update(PURPOSE).digest()));
  return key;
}

const signature = (secret: string, body: string) => crypto.createHmac('sha256', qrKey(secret)).update(body).digest().subarray(0, SIGNATURE_BYTES);

export function signQrToken(secret: string, claims: { tokenId: string; siteId: string; expiresAt: Date }): string {
  const body = `${claims.tokenId}.${claims.siteId}.${Math.floor(claims.expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${signature(secret, body).toString('base64url')}`;
}

/** The token's claims when we signed it, else undefined (malformed, altered, another key). */
export function readQrToken(secret: string, token: string): { tokenId: string; siteId: string; expiresAt: Date } | undefined {
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [tokenId, siteId, expiry, sig] = parts as [string, string, string, string];
  if (!ID.test(tokenId) || !ID.test(siteId) || !/^[0-9a-z]{1,12}$/.test(expiry) || !/^[A-Za-z0-9_-]+$/.test(sig)) return undefined;
  // The text, not the decoded bytes: decoding would forgive a changed last character's spare bits.
  const given = Buffer.from(sig);
  const expected = Buffer.from(signature(secret, `${tokenId}.${siteId}.${expiry}`).toString('base64url'));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  return { tokenId, siteId, expiresAt: new Date(parseInt(expiry, 36) * 1000) };
}

export type QrTokenRow = typeof siteQrTokens.$inferSelect;

/**
 * The site's current token, made when it has none (or its last one has expired). Stable:
 * every call answers the same token until it is revoked or expires, so printed sheets agree.
 */
export async function currentQrToken(db: Db, secret: string, siteId: string, ttl: string, by: string): Promise<{ token: string; row: QrTokenRow }> {
  for (let attempt = 0; ; attempt++) {
    const [current] = await db.select().from(siteQrTokens).where(and(eq(siteQrTokens.siteId, siteId), isNull(siteQrTokens.revokedAt)));
    if (current && current.expiresAt.getTime() > Date.now()) return { token: signQrToken(secret, { tokenId: current.id, siteId, expiresAt: current.expiresAt }), row: current };
    const now = new Date();
    // An expired one steps aside (marked so), then a new one; two scans at once make one
    // token: the partial unique index lets only one unrevoked row per site in, the other retries.
    if (current) await db.update(siteQrTokens).set({ revokedAt: now, revokedBy: 'expired' }).where(and(eq(siteQrTokens.id, current.id), isNull(siteQrTokens.revokedAt)));
    const [made] = await db
      .insert(siteQrTokens)
      .values({ id: newId('qrt'), siteId, createdAt: now, createdBy: by, expiresAt: addDuration(now, ttl) })
      .onConflictDoNothing()
      .returning();
    if (made) return { token: signQrToken(secret, { tokenId: made.id, siteId, expiresAt: made.expiresAt }), row: made };
    if (attempt >= 3) throw new Problem(503, 'Service unavailable', 'the QR code is being made; retry in a moment');
  }
}

/** Revokes the site's current token, if any; the next `currentQrToken` makes a new one. */
export async function revokeQrToken(db: Db, siteId: string, by: string): Promise<QrTokenRow | undefined> {
  const [revoked] = await db
    .update(siteQrTokens)
    .set({ revokedAt: new Date(), revokedBy: by })
    .where(and(eq(siteQrTokens.siteId, siteId), isNull(siteQrTokens.revokedAt)))
    .returning();
  return revoked;
}

export const gone = (detail: string) => new Problem(410, 'Gone', detail);

/**
 * What a scanned token opens: its site and customer. 401 when we did not sign it (a changed
 * character, another key); 410 when it was revoked or has expired. The claims are not
 * trusted alone: the row must exist and name the same site.
 */
export async function openQrToken(db: Db, secret: string, token: string) {
  const claims = readQrToken(secret, token);
  if (!claims) throw unauthorized('this QR code is not one of ours: it may be damaged or altered');
  const [found] = await db
    .select({ token: siteQrTokens, site: sites, customer: customers })
    .from(siteQrTokens)
    .innerJoin(sites, eq(sites.id, siteQrTokens.siteId))
    .innerJoin(customers, eq(customers.id, sites.customerId))
    .where(eq(siteQrTokens.id, claims.tokenId));
  if (!found || found.site.id !== claims.siteId) throw unauthorized('this QR code is not one of ours: it may be damaged or altered');
  if (found.token.revokedAt && found.token.revokedBy !== 'expired') throw gone('this QR code has been withdrawn; ask the site owner or the office for a new one');
  if (claims.expiresAt.getTime() <= Date.now() || found.token.expiresAt.getTime() <= Date.now()) throw gone('this QR code has expired; ask the site owner or the office for a new one');
  return found;
}
