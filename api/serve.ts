// The HTTP server around the app, with a shutdown that answers what is in flight: no new
// connections, idle ones closed, requests being answered get up to `graceMs`, then the
// rest (event streams, which never end by themselves) is cut.
import http from 'node:http';
import type { RequestListener } from 'node:http';

export interface Served {
  server: http.Server;
  /** Resolves once the server is closed; `left` is how many requests were cut. */
  close(graceMs: number): Promise<{ left: number }>;
}

export function serve(app: RequestListener, requestTimeoutMs: number): Served {
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith('/stream')) {
      inFlight++;
      res.once('close', () => inFlight--);
    }
    app(req, res);
  });
  // Slow clients: headers within 10 s, the whole request within REQUEST_TIMEOUT.
  server.headersTimeout = Math.min(10_000, requestTimeoutMs);
  server.requestTimeout = requestTimeoutMs;
  return {
    server,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const left = inFlight;
      server.closeAllConnections();
      await closed;
      return { left };
    },
  };
}
