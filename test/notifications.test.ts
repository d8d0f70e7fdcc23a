// Notifications and the supervisor's overview through HTTP, against the real dev server
// and read model, with deadlines of seconds: a task left alone goes overdue (its
// assignee's group hears of it) and then escalates (the supervisors hear); each person
// sees only what was sent to them or their group, and reads it for themselves. Other
// test files may share the database, so everything is looked up by this file's projects.
import crypto from 'node:crypto';
import { notice } from '../activities/read-model';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(120_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({
    TASK_DUE_AFTER: 'PT3S',
    TASK_ESCALATE_AFTER: 'PT2S',
    // An installer's checklist falls due a second after the job's start (which is now).
    FIELD_TASK_DUE_AFTER_START: 'PT1S',
    APPROVAL_LIMIT_CENTS: '50000',
  });
});
afterAll(() => system?.stop());

interface Notice {
  id: string;
  projectId: string;
  taskId?: string;
  kind: string;
  recipient: string;
  read: boolean;
  at: string;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The notifications `role` sees about one project (all pages of them). */
async function noticesOf(role: string, projectId: string, query = ''): Promise<Notice[]> {
  const found: Notice[] = [];
  let cursor: string | null = null;
  do {
    const answer = await system.api.as(role).get(`/notifications?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(answer.status).toBe(200);
    found.push(...(answer.body.items as Notice[]).filter((item) => item.projectId === projectId));
    cursor = answer.body.nextCursor;
  } while (cursor);
  return found;
}

const unreadCount = async (role: string): Promise<number> => (await system.api.as(role).get('/notifications?limit=1')).body.unreadCount;

let late: Flow;

beforeAll(async () => {
  // Nobody looks at this one's service request: overdue for the ops team, then escalated.
  late = await Flow.create(system.api, `Nobody looks ${crypto.randomUUID()}`);
  await until('the escalation', async () => {
    const seen = await noticesOf('supervisor', late.projectId);
    return seen.some((item) => item.kind === 'task.escalated') ? seen : undefined;
  });
});

test('each person sees what was sent to them or their group, newest first, and nobody else does', async () => {
  const [forOps] = await noticesOf('ops', late.projectId);
  expect(forOps).toMatchObject({ kind: 'task.overdue', recipient: 'group:ops', read: false });
  expect(await noticesOf('ops', late.projectId)).toHaveLength(1);
  const forSupervisor = await noticesOf('supervisor', late.projectId);
  expect(forSupervisor.map((item) => [item.kind, item.recipient])).toEqual([['task.escalated', 'group:supervisor']]);
  // An admin may do a supervisor's work, so hears of escalations too.
  expect((await noticesOf('admin', late.projectId)).map((item) => item.kind)).toEqual(['task.escalated']);
  expect(await noticesOf('installer', late.projectId)).toEqual([]);
  expect(await noticesOf('customer', late.projectId)).toEqual([]);

  const page = await system.api.as('supervisor').get('/notifications?limit=200');
  const times = (page.body.items as Notice[]).map((item) => item.at);
  expect([...times].sort().reverse()).toEqual(times);
});

test("an installer hears of their own job's overdue checklist; the other installer does not", async () => {
  const flow = await Flow.create(system.api, `Field work late ${crypto.randomUUID()}`);
  await flow.complete('service_request', { description: 'Inverter off', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: new Date().toISOString() }, 'installer');
  const checklist = await flow.openTask('audit_checklist');
  const [mine] = await until('the overdue checklist', async () => {
    const seen = (await noticesOf('installer', flow.projectId)).filter((item) => item.taskId === checklist.id);
    return seen.length ? seen : undefined;
  });
  // The job's field tasks are the installer's own once they take it.
  expect(mine).toMatchObject({ kind: 'task.overdue', recipient: 'usr_demo_installer' });
  expect((await noticesOf('installer2', flow.projectId)).filter((item) => item.taskId === checklist.id)).toEqual([]);
  // Nor can the other installer mark it read: it is unknown to them.
  expect((await system.api.as('installer2').post(`/notifications/${mine!.id}/read`)).status).toBe(404);
  // The office does not get the field's group notices either.
  expect((await noticesOf('ops', flow.projectId)).filter((item) => item.taskId === checklist.id)).toEqual([]);
});

test('reading is per person: one supervisor reading an escalation leaves it unread for the admin', async () => {
  // Counts are global and other test files may share the database: this checks the
  // notification's own state, and counts only where nothing else can move them.
  const [escalation] = await noticesOf('supervisor', late.projectId);
  expect(await noticesOf('supervisor', late.projectId, '&unread=true')).toHaveLength(1);
  expect(await unreadCount('supervisor')).toBeGreaterThanOrEqual(1);

  const read = await system.api.as('supervisor').post(`/notifications/${escalation!.id}/read`);
  expect(read.status).toBe(200);
  expect(read.body.notification).toMatchObject({ id: escalation!.id, read: true });
  expect(read.body.unreadCount).toEqual(expect.any(Number));
  // Again: still read, nothing else happens.
  const again = await system.api.as('supervisor').post(`/notifications/${escalation!.id}/read`);
  expect(again.status).toBe(200);
  expect(again.body.notification.read).toBe(true);

  expect((await noticesOf('supervisor', late.projectId))[0]!.read).toBe(true);
  expect(await noticesOf('supervisor', late.projectId, '&unread=true')).toEqual([]);
  expect((await noticesOf('admin', late.projectId))[0]!.read).toBe(false);
  // Ops cannot read (or learn of) the supervisors' notification.
  expect((await system.api.as('ops').post(`/notifications/${escalation!.id}/read`)).status).toBe(404);
  expect((await system.api.as('ops').post('/notifications/nothing-here/read')).status).toBe(404);
});

test('read-all marks what arrived up to a time, and only the caller’s', async () => {
  const [overdue] = await noticesOf('ops', late.projectId);
  expect(overdue!.read).toBe(false);
  // Before the notice arrived: it stays unread.
  const early = await system.api.as('ops').post('/notifications/read-all', { before: new Date(Date.parse(overdue!.at) - 1000).toISOString() });
  expect(early.status).toBe(200);
  expect((await noticesOf('ops', late.projectId))[0]!.read).toBe(false);

  const all = await system.api.as('ops').post('/notifications/read-all', { before: overdue!.at });
  expect(all.status).toBe(200);
  expect(all.body.marked).toBeGreaterThanOrEqual(1);
  expect((await noticesOf('ops', late.projectId))[0]!.read).toBe(true);
  // The admin's copy of the escalation is untouched by ops reading theirs.
  expect((await noticesOf('admin', late.projectId))[0]!.read).toBe(false);
});

test('bad input is a 400 that changes nothing', async () => {
  expect((await noticesOf('admin', late.projectId))[0]!.read).toBe(false);
  for (const path of ['/notifications?unread=maybe', '/notifications?limit=0', '/notifications?cursor=not-ours', '/notifications?colour=red']) {
    const answer = await system.api.as('admin').get(path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  }
  for (const body of [{ before: 'yesterday' }, { everything: true }]) {
    expect((await system.api.as('admin').post('/notifications/read-all', body)).status).toBe(400);
  }
  expect((await noticesOf('admin', late.projectId))[0]!.read).toBe(false);
  expect((await system.api.request('GET', '/notifications')).status).toBe(401);
});

test("the supervisor's overview: workload, the escalated task, and the approval waiting, in one request", async () => {
  const approval = await Flow.create(system.api, `Big repair ${crypto.randomUUID()}`);
  await approval.complete('service_request', { description: 'New inverter', resolution: 'site_visit', jobType: 'replacement', estimateCents: 90_000 });
  const approvalTask = await approval.openTask('approve_service_order');
  const lateTask = (await late.project()).openTasks[0];

  const answer = await system.api.as('supervisor').get('/supervisor/overview');
  expect(answer.status).toBe(200);
  const overview = answer.body;
  expect(overview.overdue).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ taskId: lateTask.id, projectId: late.projectId, title: 'Service request', customerName: 'Demo Solar Household', assigneeName: 'Operations team', escalatedAt: expect.any(String), overdueAt: expect.any(String) }),
    ]),
  );
  expect(overview.approvals).toEqual(
    expect.arrayContaining([expect.objectContaining({ taskId: approvalTask.id, projectId: approval.projectId, title: 'Approve service order', estimateCents: 90_000, reason: expect.any(String) })]),
  );
  expect(overview.totals.escalated).toBeGreaterThanOrEqual(1);
  expect(overview.totals.approvals).toBeGreaterThanOrEqual(1);
  const ops = overview.groups.find((group: { assignee: string }) => group.assignee === 'group:ops');
  expect(ops.open).toBeGreaterThanOrEqual(1);
  expect(ops.escalated).toBeGreaterThanOrEqual(1);
  expect(overview.people.map((person: { assignee: string }) => person.assignee)).toEqual(expect.arrayContaining(['usr_demo_installer', 'usr_demo_ops']));

  expect((await system.api.as('admin').get('/supervisor/overview')).status).toBe(200);
  for (const role of ['ops', 'installer', 'customer']) expect((await system.api.as(role).get('/supervisor/overview')).status).toBe(403);
});

test('a batch that brings notifications says so in its change notice, so consoles refresh their count', () => {
  const base = { revision: 1, tasks: [], timeline: [], assets: [], closedJobs: [] };
  const with1 = notice({ ...base, notifications: [{ id: 'n1', projectId: 'prj_x', taskId: 't1', recipient: 'group:ops', kind: 'task.overdue', summary: 'late', at: new Date().toISOString() }] } as never);
  expect(JSON.parse(with1!)).toMatchObject({ projectId: 'prj_x', notified: true });
  expect(notice({ ...base, notifications: [] } as never)).toBeNull();
});
