// Once per `npm test`: one Temporal dev server in memory (unless TEMPORAL_ADDRESS is
// set) and one workflow bundle, shared by every test file through the environment.
// The bundle is the one `npm run build` wrote (dist/workflow-bundle.js) when the workflow
// sources are unchanged since, so the tests replay what production runs; otherwise the
// same builder makes one here. FIELDFLOW_REQUIRE_BUILT_BUNDLE=1 (CI) refuses the latter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer } from '../../runtime/temporal-dev-server';
import { buildWorkflowBundle, builtWorkflowBundlePath, currentBundle, workflowSourceHash } from '../../worker/bundle';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-test-'));
  const sourceHash = workflowSourceHash();
  const built = currentBundle(builtWorkflowBundlePath, sourceHash);
  if (!built && process.env.FIELDFLOW_REQUIRE_BUILT_BUNDLE === '1') {
    throw new Error(`${builtWorkflowBundlePath} is missing or was built from other workflow sources: run npm run build before npm test`);
  }
  const bundlePath = built ? builtWorkflowBundlePath : path.join(dir, 'workflow-bundle.js');
  const [server] = await Promise.all([
    process.env.TEMPORAL_ADDRESS ? undefined : startDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH }),
    built ? undefined : buildWorkflowBundle(bundlePath, sourceHash),
  ]);
  console.log(
    built
      ? `\nworkflow bundle: ${path.relative(process.cwd(), bundlePath)} from npm run build (sha256 ${built.sha256.slice(0, 12)}…, sources unchanged)`
      : `\nworkflow bundle: built for this run (no current dist/workflow-bundle.js)`,
  );
  process.env.FIELDFLOW_TEST_DIR = dir;
  process.env.FIELDFLOW_WORKFLOW_BUNDLE = bundlePath;
  // The production worker (worker/main.ts, started by production-layout.test.ts) runs it too.
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  if (server) {
    process.env.TEMPORAL_ADDRESS = server.address;
    process.env.FIELDFLOW_TEST_TEMPORAL_CLI = server.cliPath;
    (globalThis as { __devServer?: typeof server }).__devServer = server;
  }
}
