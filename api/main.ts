// The API on its own, for the production layout (docker-compose `api` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { localDocumentStore } from '../runtime/document-store';
import { startStandalone } from '../runtime/standalone';
import { createApp } from './app';
import { createChangeFeed } from './changes';
import { openMail } from './mail';
import { settlePlans } from './plans';
import { serve } from './serve';

/** How long requests in flight get to finish after SIGTERM (compose's stop grace is 10 s). */
const SHUTDOWN_GRACE_MS = 8_000;

async function main() {
  const { config, logger, database } = await startStandalone('api');
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  if (!config.smtpUrl) logger.warn('SMTP_URL is unset: mails go to the local stand-in and reach nobody');
  const mail = await openMail(config, { database, logger });
  const changes = createChangeFeed(database);
  const app = createApp({ database, temporal, config, logger, changes, documentStore: localDocumentStore(path.join(config.dataDir, 'documents')) });
  const served = serve(app, config.requestTimeoutMs);
  // Links in mails and QR codes need the address people reach: PUBLIC_URL, else this one.
  if (!config.publicUrl) {
    config.publicUrl = `http://localhost:${config.port}`;
    logger.warn({ publicUrl: config.publicUrl }, 'PUBLIC_URL is unset: links in mails and QR codes point at localhost');
  }
  served.server.listen(config.port, process.env.HOST || '0.0.0.0', () => logger.info({ port: config.port }, 'api listening'));
  // Maintenance plans a crash left between their row and their schedule (api/plans.ts).
  void settlePlans({ database, temporal, config, logger }).catch((err) => logger.warn({ err }, 'maintenance plans not settled at start'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const { left } = await served.close(SHUTDOWN_GRACE_MS);
    if (left > 0) logger.warn({ left }, 'shutdown grace period over; cut the requests left');
    await changes.close();
    await mail.close();
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
