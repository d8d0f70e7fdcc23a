import pino, { type DestinationStream } from 'pino';

/** Structured JSON logs on stdout (or `destination`, for tests that read them). */
export function createLogger(level: string, destination?: DestinationStream) {
  const options = {
    level,
    base: { service: 'fieldflow' },
    // The request serializer (api/app.ts) keeps no headers or query; this is the backstop.
    redact: ['req.headers.authorization', 'req.headers["x-signature"]', 'req.headers["webhook-signature"]', 'req.headers.cookie', 'req.query'],
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;
