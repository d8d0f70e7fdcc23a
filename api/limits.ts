// Rate limits (express-rate-limit, in memory per API process) on what a stranger can
// hammer: login, webhooks, uploads and stream connections. Client addresses come from
// the socket unless TRUST_PROXY_HOPS says how many proxies to believe.
import type { Request } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { sendProblem, Problem } from './problem';

const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

function limiter(limit: number, windowMs: number, key: (req: Request) => string, what: string) {
  const options: Partial<Options> = {
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, res) => sendProblem(res, new Problem(429, 'Too many requests', `too many ${what}; try again in a minute`)),
  };
  return rateLimit(options);
}

export const limits = {
  /** Per address and email: guessing one password, or many accounts from one place. */
  login: () => limiter(10, 60_000, (req) => `${clientKey(req)}|${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`, 'login attempts'),
  loginPerAddress: () => limiter(100, 60_000, clientKey, 'login attempts'),
  webhooks: () => limiter(600, 60_000, (req) => `${clientKey(req)}|${req.params.source ?? ''}`, 'webhook deliveries'),
  /** Per user once signed in, else per address. */
  uploads: () => limiter(60, 60_000, (req) => req.user?.id ?? clientKey(req), 'uploads'),
  stream: () => limiter(60, 60_000, (req) => req.user?.id ?? clientKey(req), 'stream connections'),
};
