// Graceful shutdown under load: SIGTERM to the API with completions in flight answers
// every one of them before the process exits 0; SIGTERM to the worker while projects run
// lets it drain and exit 0; started again, every project finishes.
import crypto from 'node:crypto';
import { Flow } from '../support/flows';
import { Api } from '../support/http';
import { RetryingApi } from './client';
import { driveMany, expectAllFinished } from './load';
import { addRow } from './report';
import { fieldflowPerFile, sleep } from './stack';

const IN_FLIGHT = Number(process.env.FAULTS_SHUTDOWN_IN_FLIGHT ?? 10);
const PROJECTS = Number(process.env.FAULTS_PROJECTS ?? 20);

const stack = fieldflowPerFile({ UPDATE_TIMEOUT: 'PT30S' });

test('SIGTERM to the API answers the requests in flight; SIGTERM to the worker drains it; both restart and carry on', async () => {
  const api = new RetryingApi(stack.fieldflow.baseUrl);
  const flows = await Promise.all(Array.from({ length: IN_FLIGHT }, (_, index) => Flow.create(api, `Shutdown ${index}`)));
  const tasks = await Promise.all(flows.map((flow) => flow.openTask('service_request')));

  // Completions in flight, then SIGTERM to the API: every one is answered, none is cut.
  const plain = new Api(stack.fieldflow.baseUrl);
  await plain.login('ops@demo.test');
  const request = { description: 'Export limit wrong', resolution: 'internal' };
  const sending = tasks.map((task) =>
    plain
      .as('ops')
      .post(`/tasks/${task.id}/complete`, request, { 'Idempotency-Key': crypto.randomUUID() })
      .then(
        (answer) => ({ status: answer.status, at: Date.now() }),
        (err: Error) => ({ status: `cut: ${err.message}`, at: Date.now() }),
      ),
  );
  await sleep(30);
  const apiStopped = Date.now();
  const apiExit = stack.fieldflow.kill(stack.fieldflow.api, 'SIGTERM');
  const answers = await Promise.all(sending);
  expect(answers.map((answer) => answer.status)).toEqual(tasks.map(() => 200));
  // Some were still in flight when the signal came (else this proved nothing).
  expect(answers.filter((answer) => answer.at > apiStopped).length).toBeGreaterThan(0);
  expect(await apiExit).toEqual({ code: 0, signal: null });
  const apiStopMs = Date.now() - apiStopped;
  await stack.fieldflow.startApi();

  // The worker under load: SIGTERM, it drains and exits 0; a new one carries on.
  const load = driveMany(api, PROJECTS, 'Shutdown load');
  await sleep(3000);
  const workerStopped = Date.now();
  const workerExit = await stack.fieldflow.kill(stack.fieldflow.worker, 'SIGTERM');
  const workerStopMs = Date.now() - workerStopped;
  expect(workerExit).toEqual({ code: 0, signal: null });
  await stack.fieldflow.startWorker();
  const driven = await load.done;
  await expectAllFinished(api, stack.temporal.client, driven);
  for (const flow of flows) expect((await flow.project()).stage).toBe('investigating');

  addRow({
    fault: 'graceful shutdown (production layout)',
    done: `SIGTERM to the API with ${IN_FLIGHT} completions in flight; SIGTERM to the worker 3 s into ${PROJECTS} concurrent projects; both started again`,
    held: `all ${IN_FLIGHT} in-flight completions answered 200, API exit 0; worker drained, exit 0; all ${PROJECTS} projects closed after the restart, read model = workflows, nothing twice`,
    figures: `API stopped in ${(apiStopMs / 1000).toFixed(1)} s, worker in ${(workerStopMs / 1000).toFixed(1)} s`,
  });
});
