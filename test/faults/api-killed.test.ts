// API killed mid-request: completions are sent at once with Idempotency-Keys and the API
// process is killed with SIGKILL while they are in flight. After it is started again,
// every client retries with its key: each completion is applied exactly once, and each
// retry gets the first answer (the same task as completed the first time).
import crypto from 'node:crypto';
import { Pool } from 'pg';
import { Flow } from '../support/flows';
import { Api, type Answer } from '../support/http';
import { duplicates, readModelCatchesUp } from './checks';
import { RetryingApi } from './client';
import { addRow } from './report';
import { fieldflowPerFile } from './stack';

const PROJECTS = Number(process.env.FAULTS_API_PROJECTS ?? 10);
const REQUEST = { description: 'Export limit wrong', resolution: 'internal' };

const stack = fieldflowPerFile({ UPDATE_TIMEOUT: 'PT30S' });

interface Case {
  flow: Flow;
  taskId: string;
  key: string;
  first?: Answer;
  error?: unknown;
}

test(`API killed with ${PROJECTS} keyed completions in flight: each applied once, each retry gets the first answer`, async () => {
  const api = new RetryingApi(stack.fieldflow.baseUrl);
  const cases: Case[] = [];
  for (let index = 0; index < PROJECTS; index++) {
    const flow = await Flow.create(api, `API kill ${index}`);
    cases.push({ flow, taskId: (await flow.openTask('service_request')).id, key: crypto.randomUUID() });
  }

  // All at once.
  const plain = new Api(stack.fieldflow.baseUrl);
  await plain.login('ops@demo.test');
  const sending = cases.map(async (c) => {
    try {
      c.first = await plain.as('ops').post(`/tasks/${c.taskId}/complete`, REQUEST, { 'Idempotency-Key': c.key });
    } catch (err) {
      c.error = err;
    }
  });
  // The kill comes as soon as the read model shows the first of them applied: the others
  // are then anywhere between sent and answered.
  const watcher = new Pool({ connectionString: stack.fieldflow.state.databaseUrl, max: 1 });
  const ids = cases.map((c) => c.taskId);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { rows } = await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1) AND status <> 'open'`, [ids]);
    if (rows[0]!.n > 0 || cases.some((c) => c.first)) break;
  }
  await watcher.end();
  await stack.fieldflow.kill(stack.fieldflow.api, 'SIGKILL');
  await Promise.all(sending);
  const answered = cases.filter((c) => c.first);
  const interrupted = cases.filter((c) => !c.first);
  expect(answered.filter((c) => c.first!.status !== 200).map((c) => c.first!.body)).toEqual([]);
  // The kill must have cut requests in flight, or this proves nothing.
  expect(interrupted.length).toBeGreaterThan(0);
  await stack.fieldflow.startApi();
  // How many of the cut ones the workflows had applied anyway (the rest never reached them).
  const applied = (await Promise.all(interrupted.map(async (c) => (await api.as('admin').get(`/tasks/${c.taskId}`)).body.status === 'done'))).filter(Boolean).length;
  // Every client retries with its key, the answered ones too.
  const retries = await Promise.all(cases.map((c) => api.as('ops').post(`/tasks/${c.taskId}/complete`, REQUEST, { 'Idempotency-Key': c.key })));
  expect(retries.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
  cases.forEach((c, index) => {
    const task = retries[index]!.body.task;
    expect(task).toMatchObject({ id: c.taskId, status: 'done', payload: REQUEST });
    if (c.first) expect(task).toEqual(c.first.body.task);
  });
  // And a second retry of an interrupted one answers the same again.
  const again = await api.as('ops').post(`/tasks/${interrupted[0]!.taskId}/complete`, REQUEST, { 'Idempotency-Key': interrupted[0]!.key });
  expect(again.body.task).toEqual(retries[cases.indexOf(interrupted[0]!)]!.body.task);

  for (const c of cases) {
    await readModelCatchesUp(c.flow, stack.temporal.client);
    expect(await duplicates(api, c.flow.projectId)).toEqual([]);
    const open = (await c.flow.project()).openTasks.map((task: { type: string }) => task.type);
    expect(open).toEqual(['internal_review']);
    await c.flow.complete('internal_review', { outcome: 'resolved' });
    expect((await c.flow.project()).stage).toBe('closed');
  }

  addRow({
    fault: 'API killed mid-request',
    done: `${PROJECTS} keyed completions sent at once; API \`kill -9\` while they were in flight (${interrupted.length} cut, ${answered.length} answered); API restarted; every client retried with its key`,
    held: `each completion applied exactly once (one completion and one next task per project); every retry 200; where a first answer had arrived, the retry's task is that answer's; a second retry the same`,
    figures: `${interrupted.length}/${PROJECTS} cut by the kill, of which ${applied} had been applied before the retry; ${api.seen.retries} client retries while the API came back`,
  });
});
