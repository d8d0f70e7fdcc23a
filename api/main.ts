// The API on its own, for the production layout (docker-compose `api` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { localDocumentStore } from '../runtime/document-store';
import { startStandalone } from '../runtime/standalone';
import { createApp } from './app';
import { createChangeFeed } from './changes';

async function main() {
  const { config, logger, database } = await startStandalone('api');
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const changes = createChangeFeed(database);
  const server = createApp({ database, temporal, config, logger, changes, documentStore: localDocumentStore(path.join(config.dataDir, 'documents')) }).listen(config.port, process.env.HOST || '0.0.0.0', () =>
    logger.info({ port: config.port }, 'api listening'),
  );
  const stop = () => {
    server.close(async () => {
      await changes.close();
      await connection.close();
      await database.close();
      process.exit(0);
    });
    server.closeAllConnections(); // open event streams would hold the close forever
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
