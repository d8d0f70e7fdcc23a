// Once per `npm test`: one Temporal dev server in memory (unless TEMPORAL_ADDRESS is
// set) and one workflow bundle, shared by every test file through the environment.
// The bundle is the one `npm run build` wrote (dist/workflow-bundle.js) when the workflow
// sources are unchanged since, so the tests replay what production runs; otherwise the
// same builder makes one here. FIELDFLOW_REQUIRE_BUILT_BUNDLE=1 (CI) refuses the latter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMailStandIn } from '../../api/mail/stand-in';
import { createLogger } from '../../runtime/logger';
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
  // One mail server for every test file: their systems share the outbox table when they
  // share a PostgreSQL database, so any of them may send a mail another file queued.
  // Tests read what arrived with test/support/mailbox.ts.
  const mail = await startMailStandIn({ port: 0, httpPort: 0, logger: createLogger('silent') });
  (globalThis as { __mailStandIn?: typeof mail }).__mailStandIn = mail;
  process.env.SMTP_URL = mail.url;
  process.env.FIELDFLOW_TEST_MAILBOX = mail.inboxUrl;
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
