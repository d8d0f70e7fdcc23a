// The worker on its own, for the production layout (docker-compose `worker` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS.
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../db';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { createWorker } from './create';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error('the worker alone needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything in one process instead)');
  }
  const database = await openDatabase({ url: config.databaseUrl });
  await database.migrate();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db: database.db });
  logger.info({ taskQueue: config.taskQueue, namespace: config.temporalNamespace }, 'worker running');
  await worker.run(); // returns after SIGINT/SIGTERM, which the SDK handles by draining
  await connection.close();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
