// Worker killed: N service projects driven concurrently over HTTP by clients that retry
// with their Idempotency-Key, while the worker is killed with SIGKILL at random moments
// and started again each time. Every project must finish, the read model must equal the
// workflow state, and nothing may happen twice.
import { percentile } from './checks';
import { RetryingApi } from './client';
import { driveMany, expectAllFinished, projectTimes } from './load';
import { addRow } from './report';
import { fieldflowPerFile, sleep } from './stack';

const PROJECTS = Number(process.env.FAULTS_PROJECTS ?? 20);
const KILLS = Number(process.env.FAULTS_KILLS ?? 3);

// A short update deadline: a completion the dead worker cannot take is answered 503
// (the client retries with its key) instead of hanging.
const stack = fieldflowPerFile({ UPDATE_TIMEOUT: 'PT10S', READ_MODEL_RETRY_MAX: 'PT2S' });

test(`worker killed ${KILLS} times while ${PROJECTS} projects run: all finish, read model equals workflows, nothing twice`, async () => {
  const api = new RetryingApi(stack.fieldflow.baseUrl, 300_000);
  const started = Date.now();
  const load = driveMany(api, PROJECTS, 'Worker kill');

  // Kills at random moments while the projects run; each time the worker comes back.
  const downtimes: number[] = [];
  let kills = 0;
  while (kills < KILLS && load.running()) {
    await sleep(1000 + Math.random() * 4000);
    if (!load.running()) break;
    await stack.fieldflow.kill(stack.fieldflow.worker, 'SIGKILL');
    kills++;
    const down = Date.now();
    await sleep(Math.random() * 2000);
    await stack.fieldflow.startWorker();
    downtimes.push(Date.now() - down);
  }
  const driven = await load.done;
  // Killed while projects ran, or this proves nothing.
  expect(kills).toBe(KILLS);
  await expectAllFinished(api, stack.temporal.client, driven);

  addRow({
    fault: 'worker killed',
    done: `${PROJECTS} service projects (request, audit job, review) driven concurrently over HTTP; worker \`kill -9\` ${kills} times at random moments, restarted each time`,
    held: `all ${PROJECTS} closed as resolved; read model = workflow state; no task, completion, timeline entry or document twice`,
    figures: `${((Date.now() - started) / 1000).toFixed(0)} s in all; worker down ${(percentile(downtimes, 50) / 1000).toFixed(1)} s p50 per kill (restart included); ${projectTimes(driven)}; ${api.seen.unavailable} 503s, ${api.seen.retries} client retries`,
  });
});
