// The worker on its own, for the production layout (docker-compose `worker` service).
// Configured only by the environment; needs DATABASE_URL and TEMPORAL_ADDRESS. It runs
// the workflow bundle `npm run build` made (dist/workflow-bundle.js, or
// WORKFLOW_BUNDLE_PATH), the one the tests replayed, and never bundles at start.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { designToolFromConfig } from '../activities/design';
import { erpFromConfig } from '../activities/erp';
import { localDocumentStore } from '../runtime/document-store';
import { startStandalone } from '../runtime/standalone';
import { productionWorkflowBundle } from './bundle';
import { createWorker } from './create';

async function main() {
  let bundle: ReturnType<typeof productionWorkflowBundle>;
  try {
    bundle = productionWorkflowBundle();
  } catch (err) {
    console.error(`worker: ${(err as Error).message}`);
    process.exit(1);
  }
  const { config, logger, database } = await startStandalone('worker');
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  const worker = await createWorker({
    temporal,
    config,
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    database,
    designTool: designToolFromConfig(config),
    erp: { erp: erpFromConfig(config), currency: config.invoice.currency, timeZone: config.companyTimeZone },
    documentStore: localDocumentStore(path.join(config.dataDir, 'documents')),
    workflowBundlePath: bundle.path,
  });
  logger.info(
    {
      taskQueue: config.taskQueue,
      namespace: config.temporalNamespace,
      workflowBundle: bundle.path,
      bundleSha256: bundle.manifest?.sha256 ?? 'no manifest',
      sourceHash: bundle.manifest?.sourceHash ?? 'no manifest',
    },
    'worker running',
  );
  await worker.run(); // returns after SIGINT/SIGTERM, which the SDK handles by draining
  await connection.close();
  await clientConnection.close();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
