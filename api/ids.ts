import crypto from 'node:crypto';

/** Ids that sort by creation time: prefix, time in base 36, then randomness. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${crypto.randomBytes(6).toString('hex')}`;
}

/** The same id for the same key, so a repeated create has one effect. */
export function idFromKey(prefix: string, ...parts: string[]): string {
  const digest = crypto.createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${prefix}_k${digest.slice(0, 20)}`;
}
