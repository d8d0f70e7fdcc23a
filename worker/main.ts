// The worker on its own, for the production layout (docker-compose `worker` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startStandalone } from '../runtime/standalone';
import { createWorker } from './create';

async function main() {
  const { config, logger, database } = await startStandalone('worker');
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  const worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, database, temporal });
  logger.info({ taskQueue: config.taskQueue, namespace: config.temporalNamespace }, 'worker running');
  await worker.run(); // returns after SIGINT/SIGTERM, which the SDK handles by draining
  await connection.close();
  await clientConnection.close();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
