// Cases over HTTP: a customer raises one for their own site in the portal, the office for a
// customer; each is a service project with its request kept; another customer's site is
// refused like a site that does not exist; a keyed retry makes one case.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { cases } from '../db/schema';
import { DEMO_CUSTOMER_ID, DEMO_SITE2_ID, DEMO_SITE_ID } from '../runtime/demo';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const caseRow = async (projectId: string) => (await system.database.db.select().from(cases).where(eq(cases.projectId, projectId)))[0];

test('a customer raises a deviation on their own site: a service project raised by the customer, with its request kept', async () => {
  const answer = await api().as('customer').post('/cases', { siteId: DEMO_SITE_ID, category: 'inverter', description: 'The inverter shows error 31 every morning', kind: 'deviation' });
  expect(answer.status).toBe(201);
  expect(answer.body).toMatchObject({ kind: 'service', customerId: DEMO_CUSTOMER_ID, siteId: DEMO_SITE_ID, title: 'Deviation: inverter', customerStatus: 'planned' });
  // The customer projection: no workflow ids, no office tasks.
  expect(answer.body.workflowId).toBeUndefined();
  expect(await caseRow(answer.body.id)).toMatchObject({ kind: 'deviation', category: 'inverter', description: 'The inverter shows error 31 every morning', source: 'portal' });
  // The office sees it as a service project waiting for its request task.
  const office = (await api().as('ops').get(`/projects/${answer.body.id}`)).body;
  expect(office.workflowId).toBe(`service-${answer.body.id}`);
  expect(office.openTasks.map((t: { type: string }) => t.type)).toEqual(['service_request']);
});

test("another customer's site is refused like one that does not exist, and nothing starts", async () => {
  const before = (await api().as('ops').get(`/projects?siteId=${DEMO_SITE2_ID}&limit=100`)).body;
  const foreign = await api().as('customer').post('/cases', { siteId: DEMO_SITE2_ID, category: 'battery', description: 'not mine' });
  const missing = await api().as('customer').post('/cases', { siteId: 'sit_nothere', category: 'battery', description: 'not there' });
  expect(foreign.status).toBe(400);
  expect(missing.status).toBe(400);
  expect(foreign.body.title).toBe(missing.body.title);
  expect(foreign.body.errors[0].message).not.toContain('cus_demo2');
  // Naming another customer does not help either.
  const named = await api().as('customer').post('/cases', { siteId: DEMO_SITE2_ID, customerId: 'cus_demo2', category: 'battery', description: 'not mine' });
  expect(named.status).toBe(400);
  const after = (await api().as('ops').get(`/projects?siteId=${DEMO_SITE2_ID}&limit=100`)).body;
  expect(after.items.length).toBe(before.items.length);
});

test('bad bodies are 400 with every field named; installers raise no cases; staff name the customer', async () => {
  const bad = await api().as('customer').post('/cases', { siteId: DEMO_SITE_ID, category: '', description: '   ', kind: 'complaint' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['category', 'description', 'kind']);
  expect((await api().as('installer').post('/cases', { siteId: DEMO_SITE_ID, category: 'x', description: 'y' })).status).toBe(403);
  const unnamed = await api().as('ops').post('/cases', { siteId: DEMO_SITE_ID, category: 'battery', description: 'The customer called' });
  expect(unnamed.status).toBe(400);
  expect(unnamed.body.errors[0].path).toBe('customerId');
  const office = await api().as('ops').post('/cases', { customerId: DEMO_CUSTOMER_ID, siteId: DEMO_SITE_ID, category: 'battery', description: 'The customer called', kind: 'request' });
  expect(office.status).toBe(201);
  expect(office.body.title).toBe('Request: battery');
  expect(await caseRow(office.body.id)).toMatchObject({ source: 'office', kind: 'request' });
});

test('one Idempotency-Key, one case, also five at once', async () => {
  const key = crypto.randomUUID();
  const body = { siteId: DEMO_SITE_ID, category: 'panels', description: 'A panel is cracked' };
  const answers = await Promise.all(Array.from({ length: 5 }, () => api().as('customer').post('/cases', body, { 'Idempotency-Key': key })));
  expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
  expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  const other = await api().as('customer').post('/cases', { ...body, description: 'Another thing' }, { 'Idempotency-Key': key });
  expect(other.status).toBe(422);
});

test('the OpenAPI document declares the 503 a start answers when the read model is late (retry with the same key)', async () => {
  const spec = (await api().request('GET', '/openapi.json')).body;
  for (const path of ['/cases', '/projects']) {
    expect(Object.keys(spec.paths[path].post.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '422', '503']));
  }
});

test('a customer raises at most CASES_PER_HOUR cases an hour; the office is not limited', async () => {
  const limited = await startTestSystem({ CASES_PER_HOUR: '2' });
  try {
    const body = { siteId: DEMO_SITE_ID, category: 'battery', description: 'It beeps' };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await limited.api.as('customer').post('/cases', body));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(answers[2].body.title).toBe('Too many requests');
    const office = await limited.api.as('ops').post('/cases', { ...body, customerId: DEMO_CUSTOMER_ID });
    expect(office.status).toBe(201);
  } finally {
    await limited.stop();
  }
});
