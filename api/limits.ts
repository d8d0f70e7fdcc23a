// Rate limits (express-rate-limit, in memory per API process) on what a stranger can
// hammer: login, webhooks, uploads, stream connections and the public QR form. Client
// addresses come from the socket unless TRUST_PROXY_HOPS says how many proxies to believe.
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../runtime/logger';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { sendProblem, Problem } from './problem';

const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

function limiter(limit: number, windowMs: number, key: (req: Request) => string, what: string, extra: Partial<Options> = {}) {
  const options: Partial<Options> = {
    ...extra,
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
  /**
   * Per email across all addresses: one account guessed from many places (a botnet, or
   * forged addresses). Only failed attempts count, so its owner still signs in.
   */
  loginPerEmail: () =>
    limiter(30, 15 * 60_000, (req) => `email|${String((req.body as { email?: unknown })?.email ?? '').trim().toLowerCase()}`, 'login attempts for this account', {
      skipSuccessfulRequests: true,
    }),
  webhooks: () => limiter(600, 60_000, (req) => `${clientKey(req)}|${req.params.source ?? ''}`, 'webhook deliveries'),
  /** Per user once signed in, else per address (UPLOADS_PER_MINUTE: a crew's phone sends photos in bursts). */
  uploads: (perMinute = 120) => limiter(perMinute, 60_000, (req) => req.user?.id ?? clientKey(req), 'uploads'),
  /** Invitation links (public): opening and accepting them, per address; a token has 256 bits, so this only stops floods. */
  invitations: () => limiter(30, 60_000, clientKey, 'invitation requests'),
  /**
   * Cases a customer's contact raises (CASES_PER_HOUR): each starts a workflow, so a
   * signed-in customer cannot start thousands. The office, raising cases for customers on
   * the phone, is not limited.
   */
  cases: (perHour = 30) => limiter(perHour, 60 * 60_000, (req) => `cases|${req.user?.id ?? clientKey(req)}`, 'cases raised; call the office if it is urgent', { skip: (req) => req.user?.role !== 'customer', skipFailedRequests: true }),
  stream: () => limiter(60, 60_000, (req) => req.user?.id ?? clientKey(req), 'stream connections'),
  /** The public QR form's cases (no account behind them): per address, and per code (its token id, so altered copies count too). */
  qrFormPerAddress: () => limiter(30, 60 * 60_000, (req) => `qr|${clientKey(req)}`, 'reports from this address'),
  qrFormPerToken: (signed: (token: string) => boolean) =>
    limiter(10, 60 * 60_000, (req) => `qr-token|${String(req.params.token ?? '').split('.')[0]}`, 'reports through this QR code', {
      // Only a correctly signed code counts: forged copies of a printed code's id must not use up its reports.
      skip: (req) => !signed(String(req.params.token ?? '')),
    }),
  /** Opening the form: cheap, but every look-up reads the database. */
  qrLookups: () => limiter(120, 60_000, (req) => `qr-open|${clientKey(req)}`, 'QR look-ups'),
};

/**
 * Warns (at most once a minute) when requests carry X-Forwarded-For while no proxy is
 * trusted: behind an unconfigured proxy every client shares the proxy's address, so the
 * rate limits would key on it. Set TRUST_PROXY_HOPS to the number of proxies in front.
 */
export function untrustedForwardingWarning(logger: Logger, trustProxyHops: number, everyMs = 60_000): RequestHandler {
  let last = 0;
  return (req, _res, next) => {
    if (trustProxyHops === 0 && req.headers['x-forwarded-for'] !== undefined && Date.now() - last >= everyMs) {
      last = Date.now();
      logger.warn(
        { remoteAddress: req.socket.remoteAddress },
        'X-Forwarded-For arrived but TRUST_PROXY_HOPS is 0: clients are told apart (and rate limited) by the proxy\'s address; set TRUST_PROXY_HOPS to the number of proxies in front of the API',
      );
    }
    next();
  };
}
