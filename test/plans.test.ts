// Maintenance plans against the real dev server: a plan is a Temporal Schedule that starts
// maintenance cases on time; pausing stops them, resuming restarts them, deleting removes
// the schedule; a worker restart does not double a run; bad bodies change nothing; the
// site's customer reads the plans and nobody but the office changes them.
import crypto from 'node:crypto';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { count, eq } from 'drizzle-orm';
import { createPlanActivities, plannedProjectId } from '../activities/plans';
import { settlePlans } from '../api/plans';
import { cases, maintenancePlans } from '../db/schema';
import { localDocumentStore } from '../runtime/document-store';
import { createWorker } from '../worker/create';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Every plan a test made, deleted at the end: the dev server outlives this file. */
const made = new Set<string>();

beforeAll(async () => {
  system = await startTestSystem({ PLAN_MIN_INTERVAL: 'PT2S', PLAN_CATCHUP_WINDOW: 'PT1M' });
});
afterAll(async () => {
  for (const id of made) await system?.temporal.schedule.getHandle(id).delete().catch(() => undefined);
  await system?.stop();
});

async function newSite(customerId = 'cus_demo'): Promise<string> {
  const site = await api().as('ops').post(`/customers/${customerId}/sites`, { address: `${crypto.randomUUID()}, 7 Plan Street` });
  expect(site.status).toBe(201);
  return site.body.id;
}

async function createPlan(siteId: string, body: Record<string, unknown>, headers?: Record<string, string>) {
  const answer = await api().as('ops').post(`/sites/${siteId}/plans`, body, headers);
  if (answer.body?.id) made.add(answer.body.id);
  return answer;
}

const as = (role: string) => ({
  ...api().as(role),
  delete: async (path: string) => api().request('DELETE', path, { headers: { Authorization: `Bearer ${await api().login(`${role}@demo.test`)}` } }),
});

const casesOf = (planId: string) => system.database.db.select().from(cases).where(eq(cases.planId, planId));
const planRows = async (siteId: string) => (await system.database.db.select({ n: count() }).from(maintenancePlans).where(eq(maintenancePlans.siteId, siteId)))[0]!.n;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** The plan's case count once every run the schedule took has finished (none running, each with its case). */
async function settledCases(planId: string): Promise<number> {
  return (
    (await until('the runs to finish', async () => {
      const { info } = await system.temporal.schedule.getHandle(planId).describe();
      const rows = await casesOf(planId);
      return info.runningActions.length === 0 && rows.length >= info.numActionsTaken ? rows.length + 1 : undefined;
    }, 20_000)) - 1
  );
}

const soon = (ms = 1000) => new Date(Date.now() + ms).toISOString();

test('a 2-second plan starts maintenance cases on schedule; pausing stops them, resuming restarts them; deleting removes the schedule', async () => {
  const siteId = await newSite();
  const created = await createPlan(siteId, { title: 'Inverter check', category: 'inverter', every: 'PT2S', startAt: soon() });
  expect(created.status).toBe(201);
  const plan = created.body;
  expect(plan).toMatchObject({ siteId, customerId: 'cus_demo', title: 'Inverter check', category: 'inverter', every: 'PT2S', paused: false });
  expect(Date.parse(plan.nextRunAt)).toBeGreaterThan(Date.now() - 5000);
  // The schedule's id is the plan's.
  expect((await system.temporal.schedule.getHandle(plan.id).describe()).scheduleId).toBe(plan.id);

  const began = Date.now();
  const first = await until('two cases', async () => ((await casesOf(plan.id)).length >= 2 ? casesOf(plan.id) : undefined), 10_000);
  expect(Date.now() - began).toBeLessThan(10_000);
  for (const row of first) {
    expect(row).toMatchObject({ kind: 'maintenance', category: 'inverter', source: 'plan', planId: plan.id });
    expect(row.description).toMatch(/^Inverter check \(planned for /);
    const project = await until('the case in the read model', async () => {
      const answer = await api().as('ops').get(`/projects/${row.projectId}`);
      return answer.status === 200 ? answer.body : undefined;
    }, 10_000);
    expect(project).toMatchObject({ kind: 'service', siteId, customerId: 'cus_demo', title: 'Maintenance: inverter', workflowId: `service-${row.projectId}` });
  }

  const paused = await as('ops').post(`/plans/${plan.id}/pause`);
  expect(paused.status).toBe(200);
  expect(paused.body.paused).toBe(true);
  expect((await system.temporal.schedule.getHandle(plan.id).describe()).state.paused).toBe(true);
  // A run that fired just before the pause finishes its case first.
  const atPause = await settledCases(plan.id);
  await sleep(5000);
  expect((await casesOf(plan.id)).length).toBe(atPause);

  const resumed = await as('ops').post(`/plans/${plan.id}/resume`);
  expect(resumed.status).toBe(200);
  expect(resumed.body.paused).toBe(false);
  await until('a case after resuming', async () => (await casesOf(plan.id)).length > atPause, 8000);

  // Every run the schedule took has its case, under the id derived from the run's time.
  const listed = (await api().as('ops').get(`/sites/${siteId}/plans`)).body.items;
  const view = listed.find((item: { id: string }) => item.id === plan.id);
  const caseIds = new Set((await casesOf(plan.id)).map((row) => row.projectId));
  for (const run of view.recentRuns) {
    expect(run.projectId).toBe(plannedProjectId(plan.id, run.scheduledAt));
  }

  const taken = (await system.temporal.schedule.getHandle(plan.id).describe()).info.recentActions.map((action) => action.action.workflow.workflowId);
  expect((await as('ops').delete(`/plans/${plan.id}`)).status).toBe(204);
  await expect(system.temporal.schedule.getHandle(plan.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  expect((await api().as('ops').get(`/sites/${siteId}/plans`)).body.items).toEqual([]);
  expect((await as('ops').delete(`/plans/${plan.id}`)).status).toBe(404);
  // No run is taken after the delete; those taken before it finish (one that reaches its
  // activity after the delete makes no case).
  for (const workflowId of taken) await system.temporal.workflow.getHandle(workflowId).result();
  const afterDelete = (await casesOf(plan.id)).length;
  await sleep(3000);
  expect((await casesOf(plan.id)).length).toBe(afterDelete);
  // The cases stay, with the plan's id.
  expect(afterDelete).toBeGreaterThanOrEqual(caseIds.size);
});

test('a worker restart does not double a run: each fire time the schedule took has exactly one case', async () => {
  const siteId = await newSite();
  const plan = (await createPlan(siteId, { title: 'Battery check', category: 'battery', every: 'PT2S', startAt: soon() })).body;
  await until('a first case', async () => (await casesOf(plan.id)).length >= 1, 10_000);

  // The system's worker stops; the schedule fires while nobody runs the starter.
  system.worker.shutdown();
  await until('the worker to stop', async () => system.worker.getState() === 'STOPPED', 30_000);
  const beforeGap = (await casesOf(plan.id)).length;
  await sleep(5000);
  expect((await casesOf(plan.id)).length).toBe(beforeGap);

  // A new worker on the same task queue picks the waiting run up.
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    worker = await createWorker({
      connection,
      namespace: system.config.temporalNamespace,
      taskQueue: system.config.taskQueue,
      database: system.database,
      temporal: system.temporal,
      config: system.config,
      documentStore: localDocumentStore(path.join(system.config.dataDir, 'documents')),
      workflowBundlePath: process.env.FIELDFLOW_WORKFLOW_BUNDLE,
    });
    running = worker.run();
    await until('the run that waited', async () => (await casesOf(plan.id)).length > beforeGap, 20_000);
    await sleep(4000);
    expect((await as('ops').post(`/plans/${plan.id}/pause`)).status).toBe(200);

    // Every run taken has finished its case: then count.
    const handle = system.temporal.schedule.getHandle(plan.id);
    const settled = await until('the runs to finish', async () => {
      const { info } = await handle.describe();
      const rows = await casesOf(plan.id);
      return info.runningActions.length === 0 && rows.length >= info.recentActions.length ? { info, rows } : undefined;
    }, 20_000);
    const taken = settled.info.recentActions.map((action) => plannedProjectId(plan.id, action.scheduledAt.toISOString()));
    expect(settled.info.numActionsTaken).toBeLessThanOrEqual(10); // all of them are in recentActions
    expect(new Set(taken).size).toBe(taken.length);
    expect(settled.rows.map((row) => row.projectId).sort()).toEqual([...taken].sort());
    // The gap's fire times were caught up as one run, not one per missed fire (overlap SKIP).
    expect(settled.info.numActionsSkippedOverlap).toBeGreaterThan(0);

    // The run's activity again, as a retry would: the same case, nothing new.
    const activities = createPlanActivities({ database: system.database, temporal: system.temporal, config: system.config });
    const again = await activities.startPlannedCase({ planId: plan.id, scheduledAt: settled.info.recentActions[0]!.scheduledAt.toISOString() });
    expect(again).toEqual({ projectId: taken[0] });
    expect((await casesOf(plan.id)).length).toBe(settled.rows.length);
    for (const projectId of taken) {
      const { status } = await system.temporal.workflow.getHandle(`service-${projectId}`).describe();
      expect(status.name).toBe('RUNNING');
    }
  } finally {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await connection.close();
  }
});

test('bad bodies are 400 with every field named, and change nothing', async () => {
  const siteId = await newSite();
  const before = await planRows(siteId);
  const empty = await createPlan(siteId, {});
  expect(empty.status).toBe(400);
  expect(empty.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['category', 'every', 'startAt', 'title']);
  const refusals = [
    [{ every: 'P5Q' }, 'every'],
    [{ every: 'PT1S' }, 'every'], // under PLAN_MIN_INTERVAL (2 s here)
    [{ every: 'P5M' }, 'every'], // months that do not repeat on the same months each year
    [{ every: 'P1M2D' }, 'every'],
    [{ every: 'P1Y', cron: '0 8 1 * *' }, 'cron'],
    [{ cron: 'every tuesday' }, 'cron'],
  ] as const;
  for (const [interval, field] of refusals) {
    const answer = await createPlan(siteId, { title: 'Bad', category: 'inverter', startAt: soon(60_000), ...interval });
    expect({ interval, status: answer.status, paths: answer.body.errors?.map((e: { path: string }) => e.path) }).toEqual({ interval, status: 400, paths: [field] });
  }
  // A cron expression Temporal refuses is the caller's 400 too, and leaves no plan behind.
  const refused = await createPlan(siteId, { title: 'Bad cron', category: 'inverter', cron: '99 * * * *', startAt: soon(60_000) });
  expect(refused.status).toBe(400);
  expect(refused.body.errors[0].path).toBe('cron');
  const startAt = await createPlan(siteId, { title: 'Too early', category: 'inverter', every: 'P1Y', startAt: '1999-01-01T00:00:00Z' });
  expect(startAt.status).toBe(400);
  expect(startAt.body.errors[0].path).toBe('startAt');
  expect(await planRows(siteId)).toBe(before);
  expect((await api().as('ops').get(`/sites/${siteId}/plans`)).body.items).toEqual([]);
  expect((await createPlan('sit_nothere', { title: 'x', category: 'y', every: 'P1Y', startAt: soon() })).status).toBe(404);
});

test('a cron plan that runs more often than PLAN_MIN_INTERVAL is refused after Temporal reads it, and no schedule stays', async () => {
  // A separate system whose minimum is an hour, so a cron of every minute is too often.
  const strict = await startTestSystem({ PLAN_MIN_INTERVAL: 'PT1H' });
  try {
    const site = await strict.api.as('ops').post('/customers/cus_demo/sites', { address: `${crypto.randomUUID()}, 9 Cron Lane` });
    const answer = await strict.api.as('ops').post(`/sites/${site.body.id}/plans`, { title: 'Each minute', category: 'inverter', cron: '* * * * *', startAt: soon() });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ path: 'cron', message: 'at least 1 hour between runs' }]);
    expect((await strict.database.db.select().from(maintenancePlans).where(eq(maintenancePlans.siteId, site.body.id))).length).toBe(0);
    const monthly = await strict.api.as('ops').post(`/sites/${site.body.id}/plans`, { title: 'Monthly', category: 'inverter', cron: '0 8 1 * *', startAt: '2090-01-01T00:00:00Z' });
    expect(monthly.status).toBe(201);
    made.add(monthly.body.id);
    expect(monthly.body.nextRuns.length).toBeGreaterThan(1);
  } finally {
    await strict.stop();
  }
});

test('every 6 months runs on the same day and time of the start date, on the company clock', async () => {
  const siteId = await newSite();
  const answer = await createPlan(siteId, { title: 'Half-yearly service', category: 'panels', every: 'P6M', startAt: '2090-03-15T09:30:00+10:30' });
  expect(answer.status).toBe(201);
  expect(answer.body.timeZone).toBe(system.config.companyTimeZone);
  const runs: string[] = answer.body.nextRuns;
  expect(runs[0]).toBe(new Date('2090-03-15T09:30:00+10:30').toISOString());
  // September is daylight saving time in Adelaide (+09:30 → +10:30): the local time stays 09:30.
  const local = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: system.config.companyTimeZone, month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).format(new Date(iso));
  expect(runs.slice(0, 3).map(local)).toEqual(['15/03, 09:30', '15/09, 09:30', '15/03, 09:30']);
});

test('one Idempotency-Key makes one plan; a row a crash left without its schedule is finished by the next list and by the start-up sweep', async () => {
  const siteId = await newSite();
  const key = crypto.randomUUID();
  const body = { title: 'Yearly', category: 'inverter', every: 'P1Y', startAt: '2090-01-01T00:00:00Z' };
  const [a, b] = await Promise.all([createPlan(siteId, body, { 'Idempotency-Key': key }), createPlan(siteId, body, { 'Idempotency-Key': key })]);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(a.body.id).toBe(b.body.id);
  expect(await planRows(siteId)).toBe(1);
  expect((await createPlan(siteId, { ...body, title: 'Other' }, { 'Idempotency-Key': key })).status).toBe(422);

  // The crash: the row is written, the schedule never made.
  const pending = (id: string) => ({ id, siteId, customerId: 'cus_demo', title: 'Half made', category: 'inverter', every: 'P1Y', startAt: new Date('2090-01-01T00:00:00Z'), timeZone: system.config.companyTimeZone, createdBy: 'usr_ops' });
  const listedId = `pln_crash_${crypto.randomUUID()}`;
  const sweptId = `pln_crash_${crypto.randomUUID()}`;
  made.add(listedId);
  made.add(sweptId);
  await system.database.db.insert(maintenancePlans).values([pending(listedId), pending(sweptId)]);
  await expect(system.temporal.schedule.getHandle(listedId).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  await settlePlans({ database: system.database, temporal: system.temporal, config: system.config, logger: system.logger });
  expect((await system.temporal.schedule.getHandle(sweptId).describe()).scheduleId).toBe(sweptId);
  // (The sweep made both; a list finishes one the same way: drop the schedule and list.)
  await system.temporal.schedule.getHandle(listedId).delete();
  await system.database.db.update(maintenancePlans).set({ state: 'pending' }).where(eq(maintenancePlans.id, listedId));
  const listed = (await api().as('ops').get(`/sites/${siteId}/plans`)).body.items.map((item: { id: string }) => item.id);
  expect(listed).toEqual(expect.arrayContaining([a.body.id, listedId, sweptId]));
  expect((await system.temporal.schedule.getHandle(listedId).describe()).scheduleId).toBe(listedId);
  const states = await system.database.db.select({ id: maintenancePlans.id, state: maintenancePlans.state }).from(maintenancePlans).where(eq(maintenancePlans.siteId, siteId));
  expect(states.every((row) => row.state === 'active')).toBe(true);
});

test("the site's customer reads its plans; other customers, installers and customers changing anything are refused", async () => {
  const siteId = await newSite('cus_demo');
  const plan = (await createPlan(siteId, { title: 'Yearly', category: 'inverter', every: 'P1Y', startAt: '2090-01-01T00:00:00Z' })).body;
  const own = await as('customer').get(`/sites/${siteId}/plans`);
  expect(own.status).toBe(200);
  expect(own.body.items).toHaveLength(1);
  expect(own.body.items[0]).toMatchObject({ id: plan.id, title: 'Yearly', category: 'inverter', every: 'P1Y' });
  expect(own.body.items[0]).not.toHaveProperty('createdBy');
  const foreign = await as('customer2').get(`/sites/${siteId}/plans`);
  expect(foreign.status).toBe(403);
  expect(JSON.stringify(foreign.body)).not.toContain(plan.id);
  expect((await as('installer').get(`/sites/${siteId}/plans`)).status).toBe(403);
  for (const role of ['customer', 'customer2', 'installer']) {
    expect((await as(role).post(`/sites/${siteId}/plans`, { title: 'Mine', category: 'x', every: 'P1Y', startAt: '2090-01-01T00:00:00Z' })).status).toBe(403);
    expect((await as(role).post(`/plans/${plan.id}/pause`)).status).toBe(403);
    expect((await as(role).post(`/plans/${plan.id}/resume`)).status).toBe(403);
    expect((await as(role).delete(`/plans/${plan.id}`)).status).toBe(403);
  }
  expect((await system.temporal.schedule.getHandle(plan.id).describe()).state.paused).toBe(false);
  expect(await planRows(siteId)).toBe(1);
  expect((await as('ops').post('/plans/pln_nothere/pause')).status).toBe(404);
});
