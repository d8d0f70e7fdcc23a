// Worker killed: N projects, half service and half sales (with the design tool's stand-in
// as the outside system), driven concurrently over HTTP by clients that retry with their
// Idempotency-Key, while the worker is killed with SIGKILL at random moments and started
// again each time. Every project must finish, the read model must equal the workflow
// state, and nothing may happen twice: no task, timeline entry, document or PDF, and no
// second design project or stray archive at the design tool.
import { percentile } from './checks';
import { RetryingApi } from './client';
import { driveMany, expectAllFinished, projectTimes } from './load';
import { addRow } from './report';
import { designToolPerFile, designTrouble, driveSalesProject } from './sales';
import { fieldflowPerFile, sleep } from './stack';

const PROJECTS = Number(process.env.FAULTS_PROJECTS ?? 60);
const KILLS = Number(process.env.FAULTS_KILLS ?? 10);

const design = designToolPerFile();
// A short update deadline: a completion the dead worker cannot take is answered 503
// (the client retries with its key) instead of hanging.
const stack = fieldflowPerFile(Object.assign(design.env, { UPDATE_TIMEOUT: 'PT10S', READ_MODEL_RETRY_MAX: 'PT2S' }));
beforeAll(() => design.webhooksTo(stack.fieldflow.baseUrl));

test(`worker killed ${KILLS} times while ${PROJECTS} projects run: all finish, read model equals workflows, nothing twice`, async () => {
  const api = new RetryingApi(stack.fieldflow.baseUrl, 300_000);
  const started = Date.now();
  const load = driveMany(api, PROJECTS, 'Worker kill', () => stack.temporal.client, (client, title) => driveSalesProject(client, design.standIn(), title));

  // Kills at random moments while the projects run; each time the worker comes back.
  const downtimes: number[] = [];
  let kills = 0;
  while (kills < KILLS && load.running()) {
    // Spread over the run: the first kills land while projects start, the last deep in their jobs.
    await sleep(2000 + Math.random() * (PROJECTS * 60));
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
  const sales = driven.filter((d) => d.kind === 'sales').map((d) => d.flow.projectId);
  const outside = designTrouble(design.standIn(), sales);
  expect(outside.trouble).toEqual([]);

  addRow({
    fault: 'worker killed',
    done: `${PROJECTS} projects driven concurrently over HTTP: ${PROJECTS - sales.length} service (request, audit job, review), ${sales.length} sales (design tool stand-in, inspection and installation jobs, close-out); worker \`kill -9\` ${kills} times at random moments, restarted each time`,
    held: `all ${PROJECTS} finished (resolved, completed); read model = workflow state; no task, completion, timeline entry, document or work-order PDF twice; one design project per sales project, none archived (${outside.createCalls} create calls for ${sales.length})`,
    figures: `${((Date.now() - started) / 1000).toFixed(0)} s in all; worker down ${(percentile(downtimes, 50) / 1000).toFixed(1)} s p50 per kill (restart included); ${projectTimes(driven)}; ${api.seen.unavailable} 503s, ${api.seen.retries} client retries`,
  });
});
