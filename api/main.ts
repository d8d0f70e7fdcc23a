// The API on its own, for the production layout (docker-compose `api` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS.
import { loadConfig } from '../runtime/config';
import { openDatabase } from '../db';
import { Client, Connection } from '@temporalio/client';
import { createApp } from './app';
import { createLogger } from '../runtime/logger';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error('the API alone needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything in one process instead)');
  }
  const database = await openDatabase({ url: config.databaseUrl });
  await database.migrate();
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const server = createApp({ database, temporal, config, logger }).listen(config.port, process.env.HOST || '0.0.0.0', () =>
    logger.info({ port: config.port }, 'api listening'),
  );
  const stop = () =>
    server.close(async () => {
      await connection.close();
      await database.close();
      process.exit(0);
    });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
