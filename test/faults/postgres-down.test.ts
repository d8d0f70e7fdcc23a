// PostgreSQL down: the one cluster holding both Temporal's persistence and the read model
// is stopped while projects run and started again after 30 s. While it is down the API
// answers 503 with Retry-After; after, every project completes, the read model catches up
// with nothing written twice, and the API, the worker and the Temporal server never died.
import { Api } from '../support/http';
import { RetryingApi } from './client';
import { driveMany, expectAllFinished, projectTimes } from './load';
import { addRow } from './report';
import { alive, fieldflowPerFile, readState, sleep, startPostgres, stopPostgres } from './stack';

const PROJECTS = Number(process.env.FAULTS_PROJECTS ?? 20);
const DOWN_MS = Number(process.env.FAULTS_POSTGRES_DOWN_S ?? 30) * 1000;

const stack = fieldflowPerFile({ UPDATE_TIMEOUT: 'PT10S', READ_MODEL_RETRY_MAX: 'PT2S' });

test(`PostgreSQL down for ${DOWN_MS / 1000} s mid-run: 503s, then every project completes, nothing twice, no process dies`, async () => {
  const api = new RetryingApi(stack.fieldflow.baseUrl, 180_000);
  const plain = new Api(stack.fieldflow.baseUrl);
  await plain.login('ops@demo.test');
  const started = Date.now();
  const load = driveMany(api, PROJECTS, 'PostgreSQL down', () => stack.temporal.client);
  await sleep(3000);
  expect(load.running()).toBe(true);

  await stopPostgres(readState(), 'immediate');
  const down = Date.now();
  const probes: { what: string; status: number; retryAfter: string | null; ms: number }[] = [];
  while (Date.now() - down < DOWN_MS) {
    for (const [what, send] of [
      ['GET /readyz', () => plain.request('GET', '/readyz')],
      ['GET /projects', () => plain.as('ops').get('/projects?limit=5')],
    ] as const) {
      const t0 = Date.now();
      const answer = await send();
      probes.push({ what, status: answer.status, retryAfter: answer.headers.get('retry-after'), ms: Date.now() - t0 });
    }
    await sleep(1000);
  }
  await startPostgres(readState());
  const downFor = Date.now() - down;
  const wrong = probes.filter((probe) => probe.status !== 503 || !probe.retryAfter);
  expect(wrong).toEqual([]);

  const driven = await load.done;
  expect([stack.fieldflow.api!.child.exitCode, stack.fieldflow.worker!.child.exitCode, alive(readState().temporalPid)]).toEqual([null, null, true]);
  expect(stack.fieldflow.services).toHaveLength(2);
  await expectAllFinished(api, stack.temporal.client, driven);

  addRow({
    fault: 'PostgreSQL down',
    done: `the one cluster (Temporal's persistence and the read model) stopped (\`pg_ctl -m immediate\`) 3 s into ${PROJECTS} concurrent projects, started again after ${(downFor / 1000).toFixed(0)} s`,
    held: `every probe while down (${probes.length}: readiness, project list) 503 with Retry-After; API, worker and Temporal server survived; all ${PROJECTS} closed; read model = workflows; nothing twice`,
    figures: `${((Date.now() - started) / 1000).toFixed(0)} s in all; slowest 503 ${(Math.max(...probes.map((p) => p.ms)) / 1000).toFixed(1)} s; ${projectTimes(driven)}; ${api.seen.unavailable} 503s, ${api.seen.retries} client retries`,
  });
});
