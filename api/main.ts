// The API on its own, for the production layout (docker-compose `api` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS.
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { localDocumentStore } from '../runtime/document-store';
import { startStandalone } from '../runtime/standalone';
import { createApp } from './app';
import { createChangeFeed } from './changes';

/** How long requests in flight get to finish after SIGTERM (compose's stop grace is 10 s). */
const SHUTDOWN_GRACE_MS = 8_000;

async function main() {
  const { config, logger, database } = await startStandalone('api');
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const changes = createChangeFeed(database);
  const app = createApp({ database, temporal, config, logger, changes, documentStore: localDocumentStore(path.join(config.dataDir, 'documents')) });
  // Requests being answered, event streams aside (they never end by themselves).
  let inFlight = 0;
  const server = http
    .createServer((req, res) => {
      if (!req.url?.startsWith('/stream')) {
        inFlight++;
        res.once('close', () => inFlight--);
      }
      app(req, res);
    })
    .listen(config.port, process.env.HOST || '0.0.0.0', () => logger.info({ port: config.port }, 'api listening'));
  // Slow clients: headers within 10 s, the whole request within REQUEST_TIMEOUT.
  server.headersTimeout = Math.min(10_000, config.requestTimeoutMs);
  server.requestTimeout = config.requestTimeoutMs;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // No new connections; requests in flight are answered (up to the grace period),
    // then the event streams are cut and the rest closes.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (inFlight > 0) logger.warn({ inFlight }, 'shutdown grace period over; cutting the requests left');
    server.closeAllConnections();
    await closed;
    await changes.close();
    await connection.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
