// Who hears of a routed task that goes overdue, with deadlines of seconds against the real
// dev server and read model: the members of the group it was routed to (not the whole ops
// team), and once someone has taken it, only them. Rules are scoped to this file's own
// customer (the database may be shared with other test files).
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import type { Answer } from './support/http';
import { startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(120_000);

let system: TestSystem;
const PASSWORD = 'routing-notices-password';

async function as(email: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const token = await system.api.login(email, email.endsWith('@demo.test') ? 'demo' : PASSWORD);
  return system.api.request(method, path, { body, headers: { Authorization: `Bearer ${token}` } });
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

const noticesOf = async (email: string, projectId: string) =>
  ((await as(email, 'GET', '/notifications?limit=200')).body.items as { projectId: string; kind: string; recipient: string }[]).filter((item) => item.projectId === projectId && item.kind === 'task.overdue');

let dora: { id: string; email: string };
let eve: { id: string; email: string };
let customerId: string;
let siteId: string;
let groupAssignee: string;

beforeAll(async () => {
  system = await startTestSystem({ TASK_DUE_AFTER: 'PT6S', TASK_ESCALATE_AFTER: 'PT1H' });
  const admin = system.api.as('admin');
  const run = crypto.randomUUID().slice(0, 8);
  [dora, eve] = await Promise.all(
    ['Dora', 'Eve'].map(async (name) => {
      const email = `${name.toLowerCase()}.${run}@routing.test`;
      const answer = await admin.post('/users', { email, name: `${name} Notices`, role: 'ops', password: PASSWORD });
      return { id: answer.body.id as string, email };
    }),
  );
  const group = await admin.post('/groups', { name: `Notices ${run}`, memberIds: [dora.id, eve.id] });
  groupAssignee = group.body.assignee;
  customerId = (await admin.post('/customers', { name: `Notices ${run}` })).body.id;
  siteId = (await admin.post(`/customers/${customerId}/sites`, { address: `${run} Notice Lane` })).body.id;
  expect((await admin.post('/routing-rules', { priority: 1, customerId, targetGroupId: group.body.id })).status).toBe(201);
});
afterAll(() => system?.stop());

test("an overdue task routed to a group reaches the group's members, not the whole ops team", async () => {
  const flow = await Flow.create(system.api, 'Overdue for the group', customerId, siteId);
  const [forDora] = await until('the overdue notice', async () => {
    const found = await noticesOf(dora.email, flow.projectId);
    return found.length ? found : undefined;
  });
  expect(forDora).toMatchObject({ recipient: groupAssignee });
  expect(await noticesOf(eve.email, flow.projectId)).toHaveLength(1);
  expect(await noticesOf('ops@demo.test', flow.projectId)).toEqual([]);
});

test('once a member has taken it, only they hear that it is overdue', async () => {
  const flow = await Flow.create(system.api, 'Overdue for the holder', customerId, siteId);
  const task = await flow.openTask('service_request');
  expect((await as(dora.email, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
  const [forDora] = await until('the overdue notice', async () => {
    const found = await noticesOf(dora.email, flow.projectId);
    return found.length ? found : undefined;
  });
  expect(forDora).toMatchObject({ recipient: dora.id });
  expect(await noticesOf(eve.email, flow.projectId)).toEqual([]);
});
