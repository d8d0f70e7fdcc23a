// Once per `npm run test:faults`: the workflow bundle, a PostgreSQL cluster of the suite's
// own (the faults stop it), Fieldflow's schema and demo users on it, and the production
// Temporal server on it, set up by the compose file's scripts on fresh databases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db';
import { seedDemo } from '../../runtime/demo';
import { buildWorkflowBundle, builtWorkflowBundlePath, currentBundle, workflowSourceHash } from '../../worker/bundle';
import teardown from './global-teardown';
import { ensureTemporalServer, prepareTemporal } from '../../runtime/temporal-cluster';
import { freeTemporalPort, setUpNamespace, spawnTemporal, startPostgresCluster, writeState, type StackState } from './stack';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const say = (what: string) => process.stdout.write(`faults: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-faults-'));
  fs.chmodSync(dir, 0o755);
  process.env.FAULTS_STATE = path.join(dir, 'state.json');
  process.env.FAULTS_RESULTS = path.join(dir, 'results.jsonl');
  process.stdout.write('\n');

  const sourceHash = workflowSourceHash();
  const built = currentBundle(builtWorkflowBundlePath, sourceHash);
  if (!built && process.env.FIELDFLOW_REQUIRE_BUILT_BUNDLE === '1') throw new Error(`${builtWorkflowBundlePath} is missing or stale: run npm run build first`);
  const workflowBundle = built ? builtWorkflowBundlePath : path.join(dir, 'workflow-bundle.js');
  const [serverDir, cluster] = await Promise.all([
    ensureTemporalServer(),
    startPostgresCluster(),
    built ? undefined : buildWorkflowBundle(workflowBundle, sourceHash),
  ]);
  say(`PostgreSQL on port ${cluster.pgPort}, Temporal server from ${serverDir}`);

  try {
    await bringUp(dir, cluster, workflowBundle, say);
  } catch (err) {
    // Jest runs no teardown after a failed setup: stop what was started here.
    process.env.FAULTS_KEEP = '1';
    await teardown();
    throw err;
  }
}

async function bringUp(dir: string, cluster: Awaited<ReturnType<typeof startPostgresCluster>>, workflowBundle: string, say: (what: string) => void): Promise<void> {
  const state: StackState = { dir, ...cluster, temporalRoot: path.join(dir, 'temporal'), temporalPort: await freeTemporalPort(), workflowBundle };
  writeState(state);
  const database = await openDatabase({ url: cluster.databaseUrl });
  await database.migrate();
  await seedDemo(database.db, 'demo');
  await database.close();

  await prepareTemporal(state);
  say('Temporal schemas set up (deploy/temporal/setup.sh schema)');
  const withServer = { ...state, temporalPid: spawnTemporal(state) };
  writeState(withServer);
  await setUpNamespace(withServer);
  say(`Temporal server on 127.0.0.1:${state.temporalPort}, namespace and search attributes ready (deploy/temporal/setup.sh namespace)`);
}
