// The read-model activity on its own: a batch applied twice (a retry after a crash)
// leaves the same rows as once, and later states overwrite earlier ones.
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { createReadModelActivities } from '../../activities/read-model';
import { openDatabase, type Database } from '../../db';
import { assetHistory, assets, jobs, projects, tasks, timeline } from '../../db/schema';
import { seedDemo } from '../../runtime/demo';
import type { ReadModelChanges, Task } from '../../workflows/tasks/definitions';

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ pgliteDir: null });
  await database.migrate();
  await seedDemo(database.db, 'demo');
});
afterAll(() => database?.close());

const task = (status: Task['status']): Task => ({
  id: 'prj_unit-t1',
  projectId: 'prj_unit',
  workflowId: 'service-prj_unit',
  type: 'service_request',
  stage: 'requesting',
  status,
  assignee: 'group:ops',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...(status === 'done' ? { payload: { description: 'x', resolution: 'internal' }, completedBy: 'usr_demo_ops', completedAt: '2026-11-01T00:01:00.000Z' } : {}),
});

const batch = (stage: string, status: Task['status'], entry: number, revision = entry * 1000): ReadModelChanges => ({
  revision,
  project: { id: 'prj_unit', kind: 'service', stage, status: 'planned', customerId: 'cus_demo', siteId: 'sit_demo', workflowId: 'service-prj_unit', createdBy: 'usr_demo_ops' },
  job: { id: 'prj_unit-j1', projectId: 'prj_unit', workflowId: 'job-prj_unit-j1', type: 'audit', sequence: 1, status: 'open' },
  tasks: [task(status)],
  timeline: [{ id: `prj_unit-e${entry}`, projectId: 'prj_unit', at: '2026-11-01T00:00:00.000Z', kind: 'stage', actor: { id: 'system', role: 'system' }, summary: stage }],
  assets: [],
  notifications: [],
  closedJobs: [],
});

test('applying the same batch twice writes it once; a later batch overwrites state', async () => {
  const { applyReadModelChanges } = createReadModelActivities({ database });
  const env = new MockActivityEnvironment();
  const first = batch('requesting', 'open', 1);
  await env.run(applyReadModelChanges, first);
  await env.run(applyReadModelChanges, first);
  const db = database.db;
  expect(await db.select().from(timeline).where(eq(timeline.projectId, 'prj_unit'))).toHaveLength(1);
  expect(await db.select().from(tasks).where(eq(tasks.projectId, 'prj_unit'))).toHaveLength(1);
  expect(await db.select().from(jobs).where(eq(jobs.projectId, 'prj_unit'))).toHaveLength(1);

  await env.run(applyReadModelChanges, batch('investigating', 'done', 2));
  const [project] = await db.select().from(projects).where(eq(projects.id, 'prj_unit'));
  const [row] = await db.select().from(tasks).where(eq(tasks.id, 'prj_unit-t1'));
  expect(project.stage).toBe('investigating');
  expect(row).toMatchObject({ status: 'done', completedBy: 'usr_demo_ops', payload: { description: 'x', resolution: 'internal' } });
  expect(await db.select().from(timeline).where(eq(timeline.projectId, 'prj_unit'))).toHaveLength(2);
});

test('a write of an older revision never replaces a newer row (a late retry commits after its successor)', async () => {
  const { applyReadModelChanges } = createReadModelActivities({ database });
  const env = new MockActivityEnvironment();
  await env.run(applyReadModelChanges, batch('reviewing', 'done', 5));
  // The attempt that timed out earlier commits now, with the older revision.
  await env.run(applyReadModelChanges, batch('requesting', 'open', 3));
  const [project] = await database.db.select().from(projects).where(eq(projects.id, 'prj_unit'));
  const [row] = await database.db.select().from(tasks).where(eq(tasks.id, 'prj_unit-t1'));
  expect(project).toMatchObject({ stage: 'reviewing', revision: 5000 });
  expect(row).toMatchObject({ status: 'done', revision: 5000 });
});

test('a batch the database refuses for good fails as ReadModelRejected, not as a retryable error', async () => {
  const { applyReadModelChanges } = createReadModelActivities({ database });
  const env = new MockActivityEnvironment();
  const orphan = { ...batch('requesting', 'open', 9, 9000), project: undefined, job: undefined };
  orphan.tasks = [{ ...task('open'), id: 'prj_missing-t1', projectId: 'prj_missing' }];
  orphan.timeline = [];
  await expect(env.run(applyReadModelChanges, orphan)).rejects.toMatchObject({ type: 'ReadModelRejected', nonRetryable: true });
});

test('asset lineage: a new serial on a position adds one step, retried or late writes add none', async () => {
  const { applyReadModelChanges } = createReadModelActivities({ database });
  const env = new MockActivityEnvironment();
  const write = (serial: string, taskId: string, revision: number): ReadModelChanges => ({
    revision,
    tasks: [],
    timeline: [],
    assets: [{ id: 'prj_unit-j1-t9-a1', siteId: 'sit_demo', make: 'Fronius', model: 'Primo 5.0', serial, taskId }],
    notifications: [],
    closedJobs: [],
  });
  const installed = write('FR-1', 'prj_unit-j1-t9', 10_000);
  await env.run(applyReadModelChanges, installed);
  await env.run(applyReadModelChanges, installed);
  const replaced = write('FR-2', 'prj_unit-j2-t7', 11_000);
  await env.run(applyReadModelChanges, replaced);
  await env.run(applyReadModelChanges, replaced); // a retry after a crash
  await env.run(applyReadModelChanges, write('FR-OLD', 'prj_unit-j0-t1', 9_000)); // a late, older attempt
  const steps = await database.db.select().from(assetHistory).where(eq(assetHistory.assetId, 'prj_unit-j1-t9-a1'));
  expect(steps.map(({ serial, previousSerial, taskId }) => ({ serial, previousSerial, taskId })).sort((a, b) => a.serial!.localeCompare(b.serial!))).toEqual([
    { serial: 'FR-1', previousSerial: null, taskId: 'prj_unit-j1-t9' },
    { serial: 'FR-2', previousSerial: 'FR-1', taskId: 'prj_unit-j2-t7' },
  ]);
  const [asset] = await database.db.select().from(assets).where(eq(assets.id, 'prj_unit-j1-t9-a1'));
  expect(asset).toMatchObject({ serial: 'FR-2', revision: 11_000 });
  expect(asset.replacedAt).toBeInstanceOf(Date);
});
