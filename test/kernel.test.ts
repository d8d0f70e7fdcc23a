// The project kernel's promises, through HTTP and the real dev server: the loop reacts
// while a job runs, deadlines are absolute and fire on time, jobs survive continue-as-new,
// a job that fails or is terminated leaves no open row, and a read model that cannot be
// written does not stop the project and catches up later with nothing written twice.
import { execFileSync } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { jobs, notifications, projects, tasks, timeline } from '../db/schema';
import { jobIdFor, jobWorkflowId, serviceWorkflowId } from '../workflows/ids';
import { getProjectQuery, projectEventSignal } from '../workflows/projects/definitions';
import { completeTaskUpdate } from '../workflows/tasks/definitions';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({
    CHASE_MANUFACTURER_AFTER: 'PT3S',
    TASK_DUE_AFTER: 'PT4S',
    TASK_ESCALATE_AFTER: 'PT2S',
    JOB_WATCH_EVERY: 'PT2S',
    READ_MODEL_RETRY_MAX: 'PT2S',
    CONTINUE_AS_NEW_AFTER_EVENTS: '40',
  });
});
afterAll(() => system?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}
const entries = async (projectId: string) => system.database.db.select().from(timeline).where(eq(timeline.projectId, projectId));
const hasOpen = async (flow: Flow, type: string) => (await flow.project()).openTasks.some((task: { type: string }) => task.type === type);

test('while a job runs, the project takes an event, a deadline and a cancel; the job stops and leaves no open row', async () => {
  const flow = await Flow.create(system.api, 'Busy while on site');
  await flow.complete('service_request', { description: 'Inverter trips', resolution: 'site_visit', jobType: 'audit' });
  const handle = system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId));
  // An event the project does not expect, while the job runs: recorded at once.
  await handle.signal(projectEventSignal, { type: 'noise.test', source: 'test' });
  await until('the ignored event on the timeline', async () => (await entries(flow.projectId)).some((entry) => entry.summary.startsWith('Event noise.test ignored')));
  // The job's confirm task passes its due time while the job runs: overdue, then escalated.
  await until('the overdue job task escalated', async () => (await entries(flow.projectId)).some((entry) => /Confirm job escalated/.test(entry.summary)));
  // A supervisor cancels while the job still runs.
  const cancelled = await system.api.as('supervisor').post(`/projects/${flow.projectId}/cancel`, { reason: 'customer sold the house' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ stage: 'closed', outcome: 'cancelled', status: 'cancelled' });
  await until('the job stopped', async () => {
    const [job] = await system.database.db.select().from(jobs).where(eq(jobs.projectId, flow.projectId));
    return job?.status === 'done' && job.outcome === 'cancelled';
  });
  await until('no open rows', async () => (await system.database.db.select().from(tasks).where(eq(tasks.projectId, flow.projectId))).every((task) => task.status !== 'open'));
  expect(await handle.result()).toMatchObject({ outcome: 'cancelled' });
  // Ops may not cancel.
  const other = await Flow.create(system.api, 'Not for ops');
  expect((await system.api.as('ops').post(`/projects/${other.projectId}/cancel`, { reason: 'no' })).status).toBe(403);
});

test('the chase fires on time although ten ignored events arrive before it', async () => {
  const flow = await Flow.create(system.api, 'Silent manufacturer');
  const answer = await flow.complete('service_request', { description: 'Panel cracked', resolution: 'manufacturer' });
  const asked = Date.parse(answer.task.completedAt);
  const handle = system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId));
  for (let i = 0; i < 10; i++) {
    await handle.signal(projectEventSignal, { type: 'noise.test', source: 'test', n: i });
    await sleep(250);
  }
  await until('the chase task', () => hasOpen(flow, 'chase_manufacturer'));
  const chase = (await flow.openTask('chase_manufacturer')) as { createdAt: string };
  // Due 3 s after the request. A timer restarted by every event would fire 3 s after the
  // last one, at 5.5 s or later; the margin is for a loaded machine.
  expect(Date.parse(chase.createdAt) - asked).toBeGreaterThanOrEqual(2900);
  expect(Date.parse(chase.createdAt) - asked).toBeLessThan(5000);
});

test('an overdue task notifies its assignee, then escalates to the supervisors', async () => {
  const flow = await Flow.create(system.api, 'Nobody looks');
  const [task] = await until('the escalated task', async () => {
    const rows = await system.database.db.select().from(tasks).where(eq(tasks.projectId, flow.projectId));
    return rows[0]?.escalatedAt ? rows : undefined;
  });
  expect(task.overdueAt!.getTime()).toBeGreaterThanOrEqual(task.dueAt!.getTime());
  expect(task.escalatedAt!.getTime()).toBeGreaterThan(task.overdueAt!.getTime());
  const notices = await system.database.db.select().from(notifications).where(eq(notifications.projectId, flow.projectId));
  expect(notices.map((notice) => [notice.kind, notice.recipient]).sort()).toEqual([
    ['task.escalated', 'group:supervisor'],
    ['task.overdue', 'group:ops'],
  ]);
  // The task is still open and can be done.
  await flow.complete('service_request', { description: 'Late but done', resolution: 'not_required' });
});

test('a job runs across the project continuing as new and finishes after it', async () => {
  const flow = await Flow.create(system.api, 'Long visit');
  const workflowId = serviceWorkflowId(flow.projectId);
  await flow.complete('service_request', { description: 'Yield low', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  // Events push the project's history past the threshold while the job waits.
  const handle = system.temporal.workflow.getHandle(workflowId);
  await until('a continue-as-new while the job runs', async () => {
    await handle.signal(projectEventSignal, { type: 'noise.test', source: 'test' });
    return (await runs(workflowId)) > 1;
    // A signal and a visibility list a round: on a loaded CI machine the 40 events take a while.
  }, 60_000);
  const state = await handle.query(getProjectQuery);
  expect(state.jobs).toMatchObject([{ sequence: 1, status: 'open' }]);
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  await flow.fillProtocol();
  await flow.complete('audit_checklist', {}, 'installer');
  await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
  const done = await flow.complete('audit_review', { outcome: 'completed' });
  expect(done.project).toMatchObject({ stage: 'reviewing', jobs: [{ status: 'done', outcome: 'completed' }] });
  await flow.complete('service_review', { outcome: 'resolved' });
});

test('a job whose workflow is terminated in Temporal: the project records it, closes its rows and goes on', async () => {
  const flow = await Flow.create(system.api, 'Terminated visit');
  await flow.complete('service_request', { description: 'Meter fault', resolution: 'site_visit', jobType: 'replacement' });
  const jobWorkflow = jobWorkflowId(jobIdFor(flow.projectId, 1));
  execFileSync(process.env.FIELDFLOW_TEST_TEMPORAL_CLI ?? 'temporal', ['workflow', 'terminate', '--address', process.env.TEMPORAL_ADDRESS!, '--workflow-id', jobWorkflow, '--reason', 'admin stopped it'], { stdio: 'pipe' });
  await until('the review', () => hasOpen(flow, 'service_review'), 30_000);
  const project = await flow.project();
  expect(project.jobs).toMatchObject([{ status: 'done', outcome: 'failed' }]);
  const rows = await system.database.db.select().from(tasks).where(eq(tasks.jobId, jobIdFor(flow.projectId, 1)));
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((row) => row.status === 'open')).toEqual([]);
  expect((await entries(flow.projectId)).some((entry) => /stopped without an outcome/.test(entry.summary))).toBe(true);
  await flow.complete('service_review', { outcome: 'cannot_resolve' });
});

test('a job that cannot start (its id is taken) is recorded as failed, and the review gets it', async () => {
  const flow = await Flow.create(system.api, 'Squatted job');
  const squatter = await system.temporal.workflow.start('siteJob', {
    workflowId: jobWorkflowId(jobIdFor(flow.projectId, 1)),
    taskQueue: 'nobody-polls-this',
    args: [{}],
  });
  try {
    await flow.complete('service_request', { description: 'No power', resolution: 'site_visit', jobType: 'audit' });
    await until('the review', () => hasOpen(flow, 'service_review'));
    const project = await flow.project();
    expect(project).toMatchObject({ stage: 'reviewing', status: 'problem', jobs: [{ status: 'done', outcome: 'failed' }] });
  } finally {
    await squatter.terminate('test over');
  }
});

test('the read model refuses writes for a while: the project keeps moving, then catches up with nothing written twice', async () => {
  const { database } = system;
  await database.query(`CREATE TABLE IF NOT EXISTS ff_test_refuse (project_id text PRIMARY KEY)`, []);
  await database.query(
    `CREATE OR REPLACE FUNCTION ff_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM ff_test_refuse WHERE project_id = NEW.project_id) THEN
         RAISE EXCEPTION 'refused for the test' USING ERRCODE = '23514';
       END IF;
       RETURN NEW;
     END $$`,
    [],
  );
  await database.query(`DROP TRIGGER IF EXISTS ff_test_refuse ON tasks`, []);
  await database.query(`CREATE TRIGGER ff_test_refuse BEFORE INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION ff_test_refuse()`, []);
  try {
    const flow = await Flow.create(system.api, 'Read model down');
    await database.query(`INSERT INTO ff_test_refuse VALUES ($1)`, [flow.projectId]);
    // The completion is applied and answered from the workflow, though nothing can be written.
    const answer = await flow.complete('service_request', { description: 'Odd readings', resolution: 'internal' });
    expect(answer.task).toMatchObject({ type: 'service_request', status: 'done' });
    const handle = system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId));
    const state = await until('the projection marked stale', async () => {
      const view = await handle.query(getProjectQuery);
      return view.stale ? view : undefined;
    });
    expect(state.stage).toBe('investigating');
    const [row] = await database.db.select().from(projects).where(eq(projects.id, flow.projectId));
    expect(row.stage).toBe('requesting'); // behind, never ahead
    // The project keeps moving (straight through Temporal: the read model does not know the task yet).
    const review = state.openTasks.find((task) => task.type === 'internal_review')!;
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: review.id, payload: { outcome: 'resolved' }, actor: { id: 'usr_demo_ops', role: 'ops' } }],
    });
    await database.query(`DELETE FROM ff_test_refuse WHERE project_id = $1`, [flow.projectId]);
    const closed = await until('the read model caught up', async () => {
      const [project] = await database.db.select().from(projects).where(eq(projects.id, flow.projectId));
      return project?.stage === 'closed' ? project : undefined;
    });
    expect(closed).toMatchObject({ outcome: 'resolved', status: 'completed' });
    const rows = await database.db.select().from(tasks).where(eq(tasks.projectId, flow.projectId));
    expect(rows.map((task) => [task.type, task.status]).sort()).toEqual([
      ['internal_review', 'done'],
      ['service_request', 'done'],
    ]);
    const summaries = (await entries(flow.projectId)).map((entry) => entry.summary);
    expect(summaries.filter((summary) => summary === 'Service request completed')).toHaveLength(1);
    expect(new Set(summaries).size).toBe(summaries.length);
    expect(await handle.result()).toMatchObject({ outcome: 'resolved' });
  } finally {
    await database.query(`DROP TRIGGER IF EXISTS ff_test_refuse ON tasks`, []);
  }
});

test('an update racing continue-as-new is applied once and answered once', async () => {
  const flow = await Flow.create(system.api, 'Racing');
  const handle = system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId));
  const task = await flow.openTask('service_request');
  const key = { 'Idempotency-Key': 'race-1' };
  const body = { description: 'Race', resolution: 'internal' };
  // Signals push the history over the threshold while the same keyed completion is sent four times.
  const noise = Promise.all(Array.from({ length: 20 }, (_, n) => handle.signal(projectEventSignal, { type: 'noise.test', source: 'test', n })));
  const answers = await Promise.all(Array.from({ length: 4 }, () => system.api.as('ops').post(`/tasks/${task.id}/complete`, body, key)));
  await noise;
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  expect(new Set(answers.map((answer) => answer.body.task.completedAt)).size).toBe(1);
  await until('the project settled', async () => (await flow.project()).stage === 'investigating');
  const summaries = (await entries(flow.projectId)).map((entry) => entry.summary);
  expect(summaries.filter((summary) => summary === 'Service request completed')).toHaveLength(1);
  // And once more after continue-as-new: the same key still gets the first answer.
  await until('a continue-as-new', async () => {
    await handle.signal(projectEventSignal, { type: 'noise.test', source: 'test' });
    return (await runs(serviceWorkflowId(flow.projectId))) > 1;
  });
  const again = await system.api.as('ops').post(`/tasks/${task.id}/complete`, body, key);
  expect(again.status).toBe(200);
  expect(again.body.task.completedAt).toBe(answers[0].body.task.completedAt);
});

test('NUL and broken surrogates: the API refuses them; one that reaches a workflow reaches neither the database nor a stuck batch', async () => {
  const flow = await Flow.create(system.api, 'Odd characters');
  const task = await flow.openTask('service_request');
  // Over HTTP: a clear 400 that changes nothing.
  for (const note of ['a\u0000b', 'a\ud800b']) {
    const refused = await system.api.as('ops').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'internal', note });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/cannot be stored/);
  }
  expect((await flow.project()).stage).toBe('requesting');
  // In the address too: a 400, not a database error.
  for (const path of ['/documents/%00', `/projects/${flow.projectId}%00`, '/tasks?projectId=%00']) expect((await system.api.as('ops').get(path)).status).toBe(400);
  // Straight to the workflow (a client inside the network): the read model still copes.
  const handle = system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId));
  await handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: task.id, payload: { description: 'Display shows \u0000 garbage \udc00', resolution: 'internal', note: 'a\u0000b\ud800' }, actor: { id: 'usr_demo_ops', role: 'ops' } }],
  });
  await until('the read model has the request', async () => (await flow.project()).stage === 'investigating');
  const view = await handle.query(getProjectQuery);
  expect(view.stale).toBeUndefined();
  const [row] = await system.database.db.select().from(tasks).where(and(eq(tasks.type, 'service_request'), eq(tasks.projectId, flow.projectId)));
  expect(row.payload).toMatchObject({ note: 'ab\uFFFD', description: 'Display shows  garbage \uFFFD' });
});

test('a project cancelled in Temporal closes as cancelled and leaves no open row', async () => {
  const flow = await Flow.create(system.api, 'Cancelled by an admin in the UI');
  await flow.complete('service_request', { description: 'Wrong site', resolution: 'site_visit', jobType: 'audit' });
  const handle = system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId));
  await handle.cancel();
  expect(await handle.result()).toMatchObject({ outcome: 'cancelled' });
  await until('every row closed', async () => {
    const [project] = await system.database.db.select().from(projects).where(eq(projects.id, flow.projectId));
    const rows = await system.database.db.select().from(tasks).where(eq(tasks.projectId, flow.projectId));
    const [job] = await system.database.db.select().from(jobs).where(eq(jobs.projectId, flow.projectId));
    return project.outcome === 'cancelled' && rows.every((task) => task.status !== 'open') && job?.status === 'done';
  });
});

test("someone else's Idempotency-Key on the same task is not their answer", async () => {
  const flow = await Flow.create(system.api, 'Shared key');
  const task = await flow.openTask('service_request');
  const key = { 'Idempotency-Key': 'guessable-1' };
  const first = await system.api.as('ops').post(`/tasks/${task.id}/complete`, { description: 'Mine', resolution: 'internal' }, key);
  expect(first.status).toBe(200);
  const other = await system.api.as('supervisor').post(`/tasks/${task.id}/complete`, { description: 'Theirs', resolution: 'not_required' }, key);
  expect(other.status).toBe(409);
  expect(JSON.stringify(other.body)).not.toContain('Mine');
});

test('the Temporal UI tells projects, jobs and waits apart without opening payloads', async () => {
  const flow = await Flow.create(system.api, 'Summary please');
  await flow.complete('service_request', { description: 'Check', resolution: 'site_visit', jobType: 'audit' });
  const project = await system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId)).describe();
  expect(await project.staticSummary()).toMatch(/^Service project: Summary please · .+ · .+/);
  const job = await system.temporal.workflow.getHandle(jobWorkflowId(jobIdFor(flow.projectId, 1))).describe();
  expect(await job.staticSummary()).toBe('audit job 1 of service project Summary please');
  // The job's timer says which deadline it serves.
  const history = execFileSync(process.env.FIELDFLOW_TEST_TEMPORAL_CLI ?? 'temporal', ['workflow', 'show', '--address', process.env.TEMPORAL_ADDRESS!, '--workflow-id', jobWorkflowId(jobIdFor(flow.projectId, 1)), '-o', 'json']).toString();
  expect(history).toContain('TIMER_STARTED');
  expect(Buffer.from(JSON.parse(history).events.find((e: { eventType: string }) => e.eventType === 'EVENT_TYPE_TIMER_STARTED').userMetadata.summary.data, 'base64').toString()).toContain('Confirm job due');
});

async function runs(workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of system.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) count++;
  return count;
}
