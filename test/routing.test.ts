// Routing through the real parts (dev server, database, HTTP): responsibility rules pick a
// new office task's person or group by priority, a rule change reaches new tasks only, a
// group's task is taken once under concurrent claims, and bad input changes nothing.
// Every rule here is scoped to a customer of this file's own: with PostgreSQL the test
// files share one database, and a rule matching anything would route their tasks too.
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import type { Answer } from './support/http';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const PASSWORD = 'routing-test-password';

interface Person {
  id: string;
  email: string;
}

/** Requests as any user (the demo helpers know only the demo users). */
async function as(email: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const token = await api().login(email, email.endsWith('@demo.test') ? 'demo' : PASSWORD);
  return api().request(method, path, { body, headers: { Authorization: `Bearer ${token}` } });
}
const admin = (method: string, path: string, body?: unknown) => as('admin@demo.test', method, path, body);

function expectStatus(answer: Answer, status: number): Answer {
  expect({ status: answer.status, body: answer.body }).toEqual({ status, body: expect.anything() });
  return answer;
}

async function person(role: 'ops' | 'supervisor' | 'installer', name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${crypto.randomUUID().slice(0, 8)}@routing.test`;
  const answer = expectStatus(await admin('POST', '/users', { email, name, role, password: PASSWORD }), 201);
  return { id: answer.body.id, email };
}

async function customerWithSites(count: number): Promise<{ customerId: string; siteIds: string[] }> {
  const name = `Routing ${crypto.randomUUID()}`;
  const customer = expectStatus(await api().as('ops').post('/customers', { name }), 201);
  const siteIds: string[] = [];
  for (let index = 0; index < count; index++) {
    const site = expectStatus(await api().as('ops').post(`/customers/${customer.body.id}/sites`, { address: `${index + 1} ${name} Road` }), 201);
    siteIds.push(site.body.id);
  }
  return { customerId: customer.body.id, siteIds };
}

/** The open task of a type as the read model has it (it may be a moment behind the workflow). */
async function openTask(flow: Flow, type: string) {
  const task = await flow.openTask(type);
  return expectStatus(await api().as('admin').get(`/tasks/${task.id}`), 200).body;
}

const ids = (answer: Answer) => (answer.body.items as { id: string }[]).map((item) => item.id);

let north: { id: string; assignee: string };
let alice: Person; // ops, routed to by name
let bert: Person; // ops, in the group
let cleo: Person; // ops, in the group
let installer: Person;

beforeAll(async () => {
  system = await startTestSystem();
  [alice, bert, cleo, installer] = await Promise.all([person('ops', 'Alice Router'), person('ops', 'Bert Router'), person('ops', 'Cleo Router'), person('installer', 'Ines Router')]);
  const group = expectStatus(await admin('POST', '/groups', { name: `Service North ${crypto.randomUUID().slice(0, 8)}`, memberIds: [bert.id, cleo.id] }), 201);
  north = group.body;
});
afterAll(() => system?.stop());

test('the first matching rule by priority wins, and a rule change reaches new tasks only', async () => {
  const { customerId, siteIds } = await customerWithSites(1);
  const [siteId] = siteIds;
  // The broad rule comes first; the more specific one (customer and site) has a higher number and loses.
  const broad = expectStatus(await admin('POST', '/routing-rules', { priority: 10, customerId, targetUserId: alice.id }), 201).body;
  const specific = expectStatus(await admin('POST', '/routing-rules', { priority: 20, customerId, siteId, targetGroupId: north.id }), 201).body;
  expect(broad).toMatchObject({ priority: 10, customerId, targetUserId: alice.id, targetName: 'Alice Router', assignee: alice.id });
  expect(specific).toMatchObject({ siteId, targetGroupId: north.id, assignee: north.assignee });

  const first = await Flow.create(api(), 'Routed by priority', customerId, siteId);
  const request = await openTask(first, 'service_request');
  expect(request.assignee).toBe(alice.id);
  // It is Alice's work now: in her tasks, not in the ops group's.
  expect(ids(expectStatus(await as(alice.email, 'GET', `/tasks?assignee=me&status=open&limit=200`), 200))).toContain(request.id);
  expect(ids(expectStatus(await api().as('ops').get(`/tasks?assignee=me&status=open&limit=200`), 200))).not.toContain(request.id);
  // ...and every office user still sees it among all tasks.
  expect(ids(expectStatus(await api().as('ops').get(`/tasks?projectId=${first.projectId}`), 200))).toContain(request.id);

  // The specific rule moves ahead. The task Alice has stays hers, through later writes of it too.
  expectStatus(await admin('PATCH', `/routing-rules/${broad.id}`, { priority: 30 }), 200);
  expect(ids(await admin('GET', '/routing-rules')).filter((id) => id === broad.id || id === specific.id)).toEqual([specific.id, broad.id]);
  const completed = expectStatus(
    await as(alice.email, 'POST', `/tasks/${request.id}/complete`, { description: 'Inverter off', resolution: 'internal' }),
    200,
  ).body;
  expect(completed.task).toMatchObject({ id: request.id, status: 'done', assignee: alice.id });
  expect(expectStatus(await api().as('admin').get(`/tasks/${request.id}`), 200).body).toMatchObject({ status: 'done', assignee: alice.id, completedBy: alice.id });

  // New tasks follow the rules as they are now: the project's next task, and a new project's first.
  expect((await openTask(first, 'internal_review')).assignee).toBe(north.assignee);
  const second = await Flow.create(api(), 'Routed after the change', customerId, siteId);
  expect((await openTask(second, 'service_request')).assignee).toBe(north.assignee);

  // Without a matching rule (another customer), office work goes to the ops group as before.
  const other = await customerWithSites(1);
  const unrouted = await Flow.create(api(), 'Not routed', other.customerId, other.siteIds[0]);
  expect((await openTask(unrouted, 'service_request')).assignee).toBe('group:ops');

  // A rule naming someone who was disabled is passed over: the next one decides.
  const leaver = await person('ops', 'Lena Leaver');
  const toLeaver = expectStatus(await admin('POST', '/routing-rules', { priority: 1, customerId, targetUserId: leaver.id }), 201).body;
  expectStatus(await admin('POST', `/users/${leaver.id}/disable`), 200);
  expect((await openTask(await Flow.create(api(), 'Past the leaver', customerId, siteId), 'service_request')).assignee).toBe(north.assignee);
  expectStatus(await admin('DELETE', `/routing-rules/${toLeaver.id}`), 204);

  // Deleting the rules routes nothing more; what was routed stays.
  expectStatus(await admin('DELETE', `/routing-rules/${broad.id}`), 204);
  expectStatus(await admin('DELETE', `/routing-rules/${specific.id}`), 204);
  const third = await Flow.create(api(), 'After the rules went', customerId, siteId);
  expect((await openTask(third, 'service_request')).assignee).toBe('group:ops');
  expect((await openTask(second, 'service_request')).assignee).toBe(north.assignee);
});

test("a rule's category matches the case's (whatever its case); other cases fall through to the next rule", async () => {
  const { customerId, siteIds } = await customerWithSites(1);
  const [siteId] = siteIds;
  const leaks = expectStatus(await admin('POST', '/routing-rules', { priority: 1, customerId, category: 'Leak', targetUserId: alice.id }), 201).body;
  const rest = expectStatus(await admin('POST', '/routing-rules', { priority: 2, customerId, targetGroupId: north.id }), 201).body;
  const raise = async (category: string) => {
    const answer = expectStatus(await api().as('ops').post('/cases', { customerId, siteId, category, description: `${category} at the inverter`, raisedBy: 'staff' }), 201);
    return new Flow(api(), answer.body.id);
  };
  expect((await openTask(await raise('leak'), 'service_request')).assignee).toBe(alice.id);
  expect((await openTask(await raise('Noise'), 'service_request')).assignee).toBe(north.assignee);
  // A project that is no case has no category: only rules without one match it.
  expect((await openTask(await Flow.create(api(), 'No category', customerId, siteId), 'service_request')).assignee).toBe(north.assignee);
  for (const rule of [leaks, rest]) expectStatus(await admin('DELETE', `/routing-rules/${rule.id}`), 204);
});

test("a group's task is taken once under two concurrent claims; others are refused", async () => {
  const { customerId, siteIds } = await customerWithSites(1);
  const rule = expectStatus(await admin('POST', '/routing-rules', { priority: 5, customerId, targetGroupId: north.id }), 201).body;
  const flow = await Flow.create(api(), 'Claimed once', customerId, siteIds[0]);
  const task = await openTask(flow, 'service_request');
  expect(task.assignee).toBe(north.assignee);

  // Every member sees it in their tasks; someone outside the group does not.
  for (const member of [bert, cleo]) expect(ids(await as(member.email, 'GET', '/tasks?assignee=me&status=open&limit=200'))).toContain(task.id);
  expect(ids(await as(alice.email, 'GET', '/tasks?assignee=me&status=open&limit=200'))).not.toContain(task.id);
  expect((await as(bert.email, 'GET', '/projects?assignee=me&limit=200')).body.items.map((project: { id: string }) => project.id)).toContain(flow.projectId);

  // Outsiders may not take it: another office user, an installer, a customer.
  expectStatus(await as(alice.email, 'POST', `/tasks/${task.id}/claim`), 403);
  expectStatus(await as(installer.email, 'POST', `/tasks/${task.id}/claim`), 403);
  expectStatus(await api().as('customer').post(`/tasks/${task.id}/claim`), 403);
  expectStatus(await admin('POST', '/tasks/tsk_nobody/claim'), 404);

  // The supervisor's overview lists the group's queue with this task in it.
  const overview = async () => (await api().as('supervisor').get('/supervisor/overview')).body;
  const queueOf = (answer: { groups: { assignee: string; name: string; open: number; members: number }[] }) => answer.groups.find((group) => group.assignee === north.assignee);
  expect(queueOf(await overview())).toMatchObject({ open: expect.any(Number) });
  const openBefore = queueOf(await overview())!.open;
  expect(openBefore).toBeGreaterThanOrEqual(1);

  const answers = await Promise.all([bert, cleo].map((member) => as(member.email, 'POST', `/tasks/${task.id}/claim`)));
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
  const winner = answers[0].status === 200 ? bert : cleo;
  const loser = winner === bert ? cleo : bert;
  const won = answers.find((answer) => answer.status === 200)!.body;
  expect(won).toMatchObject({ id: task.id, assignee: north.assignee, claimedBy: winner.id });
  expect(answers.find((answer) => answer.status === 409)!.body).toMatchObject({ status: 409, detail: expect.stringContaining('has taken this task') });

  // Taking it again is fine; the other member still cannot.
  expect(expectStatus(await as(winner.email, 'POST', `/tasks/${task.id}/claim`), 200).body).toMatchObject({ claimedBy: winner.id, claimedAt: won.claimedAt });
  expectStatus(await as(loser.email, 'POST', `/tasks/${task.id}/claim`), 409);
  expect(ids(await as(winner.email, 'GET', '/tasks?assignee=me&status=open&limit=200'))).toContain(task.id);
  expect(ids(await as(loser.email, 'GET', '/tasks?assignee=me&status=open&limit=200'))).not.toContain(task.id);
  expect((await admin('GET', `/tasks/${task.id}`)).body).toMatchObject({ claimedBy: winner.id });
  // Taken, it counts as the holder's work: the group's queue is one shorter, its members' one longer.
  const after = await overview();
  expect(queueOf(after)).toMatchObject({ open: openBefore - 1, members: expect.any(Number) });
  expect(queueOf(after)!.members).toBeGreaterThanOrEqual(1);
  expect(after.people.find((row: { assignee: string }) => row.assignee === winner.id)).toMatchObject({ open: 1 });

  // The member who does not hold it may not complete it (409, nothing sent); a supervisor may.
  const payload = { description: 'Panel cracked', resolution: 'not_required' };
  expectStatus(await as(loser.email, 'POST', `/tasks/${task.id}/complete`, payload), 409);
  expect((await admin('GET', `/tasks/${task.id}`)).body.status).toBe('open');
  expectStatus(await api().as('supervisor').post(`/tasks/${task.id}/complete`, payload), 200);
  expect((await admin('GET', `/tasks/${task.id}`)).body).toMatchObject({ status: 'done', claimedBy: winner.id, assignee: north.assignee, completedBy: 'usr_demo_supervisor' });
  // A closed task is no longer taken.
  expectStatus(await as(winner.email, 'POST', `/tasks/${task.id}/claim`), 409);

  // The group cannot go while a rule routes to it.
  expectStatus(await admin('DELETE', `/groups/${north.id}`), 409);
  expectStatus(await admin('DELETE', `/routing-rules/${rule.id}`), 204);
});

test('a holder completes their claimed task; an unrouted ops task can be taken by an ops user', async () => {
  const { customerId, siteIds } = await customerWithSites(1);
  const flow = await Flow.create(api(), 'Taken from the ops group', customerId, siteIds[0]);
  const task = await openTask(flow, 'service_request');
  expect(task.assignee).toBe('group:ops');
  expect(expectStatus(await as(alice.email, 'POST', `/tasks/${task.id}/claim`), 200).body).toMatchObject({ claimedBy: alice.id });
  expectStatus(await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'not_required' }), 409);
  expectStatus(await as(alice.email, 'POST', `/tasks/${task.id}/complete`, { description: 'x', resolution: 'not_required' }), 200);
});

describe('bad input is a 400 and changes nothing', () => {
  let customerId: string;
  let foreignSiteId: string;
  let group: { id: string; name: string; members: { id: string }[] };
  let rule: Record<string, unknown>;

  beforeAll(async () => {
    const mine = await customerWithSites(1);
    customerId = mine.customerId;
    foreignSiteId = (await customerWithSites(1)).siteIds[0];
    group = expectStatus(await admin('POST', '/groups', { name: `Bad input ${crypto.randomUUID().slice(0, 8)}`, memberIds: [alice.id] }), 201).body;
    rule = expectStatus(await admin('POST', '/routing-rules', { priority: 7, customerId, category: 'Leak', targetUserId: alice.id }), 201).body;
  });

  const rulesOfMine = async () => (await admin('GET', '/routing-rules')).body.items.filter((item: { customerId?: string }) => item.customerId === customerId);

  test.each([
    ['an empty body', {}],
    ['no target', { priority: 1 }],
    ['two targets', { priority: 1, targetUserId: 'usr_demo_ops', targetGroupId: 'grp_x' }],
    ['a negative priority', { priority: -1, targetUserId: 'usr_demo_ops' }],
    ['a fractional priority', { priority: 1.5, targetUserId: 'usr_demo_ops' }],
    ['a priority as text', { priority: '1', targetUserId: 'usr_demo_ops' }],
    ['an unknown field', { priority: 1, targetUserId: 'usr_demo_ops', team: 'x' }],
    ['an unknown customer', { priority: 1, customerId: 'cus_nobody', targetUserId: 'usr_demo_ops' }],
    ["another customer's site", { priority: 1, siteId: 'FOREIGN', targetUserId: 'usr_demo_ops' }],
    ['an installer as target', { priority: 1, targetUserId: 'usr_demo_installer' }],
    ['an unknown user', { priority: 1, targetUserId: 'usr_nobody' }],
    ['an unknown group', { priority: 1, targetGroupId: 'grp_nobody' }],
    ['an empty category', { priority: 1, category: '', targetUserId: 'usr_demo_ops' }],
    ['a long category', { priority: 1, category: 'x'.repeat(101), targetUserId: 'usr_demo_ops' }],
  ])('POST /routing-rules with %s', async (_name, body) => {
    const before = await rulesOfMine();
    const sent: Record<string, unknown> = { customerId, ...(body as Record<string, unknown>) };
    if (sent.siteId === 'FOREIGN') sent.siteId = foreignSiteId;
    const answer = await admin('POST', '/routing-rules', Object.keys(body).length ? sent : body);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await rulesOfMine()).toEqual(before);
  });

  test.each([
    ['a negative priority', { priority: -1 }],
    ['two targets', { targetUserId: 'usr_demo_ops', targetGroupId: 'grp_x' }],
    ["another customer's site", { siteId: 'FOREIGN' }],
    ['an unknown customer', { customerId: 'cus_nobody' }],
    ['an installer as target', { targetUserId: 'usr_demo_installer' }],
    ['an unknown field', { weight: 3 }],
    ['a null priority', { priority: null }],
  ])('PATCH /routing-rules/:id with %s', async (_name, body) => {
    const sent = { ...(body as Record<string, unknown>) };
    if (sent.siteId === 'FOREIGN') sent.siteId = foreignSiteId;
    const answer = await admin('PATCH', `/routing-rules/${rule.id}`, sent);
    expect(answer.status).toBe(400);
    expect(await rulesOfMine()).toEqual([rule]);
  });

  const groupsNamed = async (prefix: string) => (await admin('GET', '/groups')).body.items.filter((item: { name: string }) => item.name.startsWith(prefix));

  test.each([
    ['an empty body', {}],
    ['an empty name', { name: ' ', memberIds: [] }],
    ['a long name', { name: 'x'.repeat(101), memberIds: [] }],
    ['members that are no list', { name: 'NAME', memberIds: 'usr_demo_ops' }],
    ['an unknown member', { name: 'NAME', memberIds: ['usr_nobody'] }],
    ['an installer as member', { name: 'NAME', memberIds: ['usr_demo_installer'] }],
    ['a customer as member', { name: 'NAME', memberIds: ['usr_demo_customer'] }],
    ['a member twice', { name: 'NAME', memberIds: ['usr_demo_ops', 'usr_demo_ops'] }],
    ['an unknown field', { name: 'NAME', memberIds: [], colour: 'red' }],
  ])('POST /groups and PUT /groups/:id with %s', async (_name, body) => {
    const name = `Refused ${crypto.randomUUID().slice(0, 8)}`;
    const sent = JSON.parse(JSON.stringify(body).replace('NAME', name));
    expect((await admin('POST', '/groups', sent)).status).toBe(400);
    expect(await groupsNamed(name)).toEqual([]);
    expect((await admin('PUT', `/groups/${group.id}`, sent)).status).toBe(400);
    expect(await groupsNamed(group.name)).toEqual([group]);
  });

  test('a taken group name is a 409 and changes nothing', async () => {
    expectStatus(await admin('POST', '/groups', { name: group.name.toUpperCase(), memberIds: [] }), 409);
    const other = expectStatus(await admin('POST', '/groups', { name: `Other ${crypto.randomUUID().slice(0, 8)}`, memberIds: [] }), 201).body;
    expectStatus(await admin('PUT', `/groups/${other.id}`, { name: group.name, memberIds: [bert.id] }), 409);
    expect(await groupsNamed(other.name)).toEqual([other]);
    expectStatus(await admin('DELETE', `/groups/${other.id}`), 204);
    expect(await groupsNamed(other.name)).toEqual([]);
  });

  test('PUT /groups/:id replaces the members; only admins change groups and rules', async () => {
    const changed = expectStatus(await admin('PUT', `/groups/${group.id}`, { name: group.name, memberIds: [bert.id, cleo.id] }), 200).body;
    expect(changed.members.map((member: { id: string }) => member.id).sort()).toEqual([bert.id, cleo.id].sort());
    expectStatus(await api().as('supervisor').put(`/groups/${group.id}`, { name: group.name, memberIds: [] }), 403);
    expectStatus(await api().as('ops').post('/routing-rules', { priority: 1, customerId, targetUserId: alice.id }), 403);
    expect(await groupsNamed(group.name)).toEqual([changed]);
    expect(await rulesOfMine()).toEqual([rule]);
  });
});
