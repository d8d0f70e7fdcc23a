import pino from 'pino';

/** Structured JSON logs on stdout. */
export function createLogger(level: string) {
  return pino({ level, base: { service: 'fieldflow' }, redact: ['req.headers.authorization', 'req.headers["x-signature"]'] });
}

export type Logger = ReturnType<typeof createLogger>;
