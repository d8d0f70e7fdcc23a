// Once per `npm test`: one Temporal dev server in memory (unless TEMPORAL_ADDRESS is
// set) and one workflow bundle, shared by every test file through the environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../../runtime/temporal-dev-server';
import { workflowPreloadModules } from '../../worker/bundle-options';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-test-'));
  const [server, bundle] = await Promise.all([
    process.env.TEMPORAL_ADDRESS ? undefined : startDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), preloadModules: workflowPreloadModules, logger: quietLogger }),
  ]);
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.FIELDFLOW_TEST_DIR = dir;
  process.env.FIELDFLOW_WORKFLOW_BUNDLE = bundlePath;
  if (server) {
    process.env.TEMPORAL_ADDRESS = server.address;
    process.env.FIELDFLOW_TEST_TEMPORAL_CLI = server.cliPath;
    (globalThis as { __devServer?: typeof server }).__devServer = server;
  }
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
