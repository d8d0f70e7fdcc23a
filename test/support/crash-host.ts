// Fieldflow in a process of its own, for test/crash.test.ts to kill with SIGKILL and start
// again: the read model (PostgreSQL of DATABASE_URL, else PGlite in DATA_DIR), the worker
// on TEMPORAL_TASK_QUEUE and the API, over the test run's Temporal (TEMPORAL_ADDRESS),
// with the prebuilt workflow bundle of FIELDFLOW_WORKFLOW_BUNDLE. Prints
// `FIELDFLOW_URL <url>` on stdout once it answers.
import fs from 'node:fs';
import { loadConfig } from '../../runtime/config';
import { startSystem } from '../../runtime/system';

async function main(): Promise<void> {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) throw new Error('TEMPORAL_ADDRESS is not set');
  const config = loadConfig(process.env);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const system = await startSystem({
    config,
    temporalAddress,
    workflowBundlePath: process.env.FIELDFLOW_WORKFLOW_BUNDLE || undefined,
    seed: true,
    host: '127.0.0.1',
  });
  process.stdout.write(`FIELDFLOW_URL ${system.url}\n`);
  const stop = () => {
    system.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
