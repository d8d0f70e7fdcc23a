// Temporal restarted: the Temporal server is killed while projects run and started again
// after a while. While it is down the API answers 503 with Retry-After (readiness and
// completions); after it is back, the API and the worker carry on by themselves (neither
// is restarted) and every project finishes with nothing lost or doubled.
import type { Client } from '@temporalio/client';
import { Api } from '../support/http';
import { temporalClient } from './checks';
import { RetryingApi } from './client';
import { driveMany, expectAllFinished, projectTimes } from './load';
import { addRow } from './report';
import { Fieldflow, readState, sleep, startTemporal, stopTemporal, temporalAddress } from './stack';

const PROJECTS = Number(process.env.FAULTS_PROJECTS ?? 20);
const DOWN_MS = Number(process.env.FAULTS_TEMPORAL_DOWN_S ?? 10) * 1000;

let fieldflow: Fieldflow;
let temporal: { client: Client; close: () => Promise<void> } | undefined;

beforeAll(async () => {
  fieldflow = new Fieldflow(readState(), { UPDATE_TIMEOUT: 'PT10S', READ_MODEL_RETRY_MAX: 'PT2S' });
  await fieldflow.start();
});

afterAll(async () => {
  await fieldflow?.stop();
  await temporal?.close();
});

test(`Temporal killed for ${DOWN_MS / 1000} s mid-run: 503 with Retry-After, then everything finishes by itself`, async () => {
  const api = new RetryingApi(fieldflow.baseUrl, 300_000);
  const plain = new Api(fieldflow.baseUrl);
  await plain.login('ops@demo.test');
  const started = Date.now();
  const load = driveMany(api, PROJECTS, 'Temporal restart');
  await sleep(3000);
  expect(load.running()).toBe(true);

  await stopTemporal(readState(), 'SIGKILL');
  const down = Date.now();
  // While it is down: readiness and a new project both say 503 and when to come back.
  const probes: { what: string; status: number; retryAfter: string | null; ms: number }[] = [];
  while (Date.now() - down < DOWN_MS) {
    const t0 = Date.now();
    const ready = await plain.request('GET', '/readyz');
    probes.push({ what: 'GET /readyz', status: ready.status, retryAfter: ready.headers.get('retry-after'), ms: Date.now() - t0 });
    const t1 = Date.now();
    const created = await plain.as('ops').post('/projects', { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title: 'While Temporal is down' });
    probes.push({ what: 'POST /projects', status: created.status, retryAfter: created.headers.get('retry-after'), ms: Date.now() - t1 });
    await sleep(1000);
  }
  const state = await startTemporal(readState());
  const downFor = Date.now() - down;
  expect(probes.length).toBeGreaterThan(0);
  expect(probes.filter((probe) => probe.status !== 503 || !probe.retryAfter)).toEqual([]);

  const driven = await load.done;
  temporal = await temporalClient(temporalAddress(state));
  // Neither process was restarted: they reconnected by themselves.
  expect([fieldflow.api!.child.exitCode, fieldflow.worker!.child.exitCode]).toEqual([null, null]);
  expect(fieldflow.services).toHaveLength(2);
  await expectAllFinished(api, temporal.client, driven);

  const slowest = Math.max(...probes.map((probe) => probe.ms));
  addRow({
    fault: 'Temporal restarted',
    done: `Temporal server \`kill -9\` 3 s into ${PROJECTS} concurrent projects, started again after ${(downFor / 1000).toFixed(0)} s; API and worker left alone`,
    held: `every probe while down (${probes.length}: readiness, new project) 503 with Retry-After; API and worker reconnected by themselves; all ${PROJECTS} closed; read model = workflows; nothing twice`,
    figures: `${((Date.now() - started) / 1000).toFixed(0)} s in all; slowest 503 ${(slowest / 1000).toFixed(1)} s; ${projectTimes(driven)}; ${api.seen.unavailable} 503s, ${api.seen.connectionErrors} connection errors, ${api.seen.retries} client retries`,
  });
});
