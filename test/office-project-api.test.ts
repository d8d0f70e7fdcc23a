// The API behind the office's project page, over real HTTP against Temporal and the read
// model: display names by role (GET /people), the company time zone (GET /settings), a
// wrong task payload answered with every field error at once in plain words (and nothing
// written), and a case whose work has begun never going back to "planned".
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem({ COMPANY_TIME_ZONE: 'Australia/Perth' });
});
afterAll(() => system?.stop());

const ids = (items: { id: string }[]) => items.map((item) => item.id);

test('display names: staff read the office and every installer, an installer the office and themselves, a customer nobody', async () => {
  const staff = await system.api.as('ops').get('/people');
  expect(staff.status).toBe(200);
  expect(staff.body.items).toEqual(expect.arrayContaining([
    { id: 'usr_demo_ops', name: 'Olle Ops', role: 'ops' },
    { id: 'usr_demo_installer', name: 'Ivy Installer', role: 'installer' },
    { id: 'usr_demo_installer2', name: 'Ian Installer', role: 'installer' },
  ]));
  expect(ids(staff.body.items)).not.toContain('usr_demo_customer');
  // Names only: no email, no secret.
  for (const person of staff.body.items) expect(Object.keys(person).sort()).toEqual(['id', 'name', 'role']);

  const installer = await system.api.as('installer').get('/people');
  expect(installer.status).toBe(200);
  expect(ids(installer.body.items)).toEqual(expect.arrayContaining(['usr_demo_ops', 'usr_demo_supervisor', 'usr_demo_installer']));
  expect(ids(installer.body.items)).not.toContain('usr_demo_installer2');
  expect(ids(installer.body.items)).not.toContain('usr_demo_customer');

  expect((await system.api.as('customer').get('/people')).status).toBe(403);
  expect((await system.api.request('GET', '/people')).status).toBe(401);
});

test('the company time zone comes from COMPANY_TIME_ZONE through GET /settings', async () => {
  const settings = await system.api.as('installer').get('/settings');
  expect(settings.status).toBe(200);
  expect(settings.body.companyTimeZone).toBe('Australia/Perth');
});

test('an empty service request is answered with every field error at once, in plain words, and changes nothing', async () => {
  const flow = await Flow.create(system.api, `Empty request ${crypto.randomUUID()}`);
  const task = await flow.openTask('service_request');
  const answer = await system.api.as('ops').post(`/tasks/${task.id}/complete`, {});
  expect(answer.status).toBe(400);
  expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(answer.body.errors).toEqual([
    { path: 'resolution', message: 'choose one of: manufacturer, internal, not required, site visit' },
    { path: 'description', message: 'required' },
  ]);
  expect(answer.body.detail).toBe('2 fields need attention: resolution: choose one of: manufacturer, internal, not required, site visit; description: required');
  const project = await flow.project();
  expect(project.stage).toBe('requesting');
  expect(project.openTasks.map((open: { id: string }) => open.id)).toContain(task.id);
});

test('once a visit is done the case stays in progress, also while the next visit is planned', async () => {
  const flow = await Flow.create(system.api, `Return to site ${crypto.randomUUID()}`);
  const requested = await flow.complete('service_request', { description: 'Isolator burnt', resolution: 'site_visit', jobType: 'audit' });
  expect(requested.project.customerStatus).toBe('planned');
  const reviewed = await flow.auditJob('completed');
  expect(reviewed.project.customerStatus).toBe('in_progress');
  const again = await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
  expect(again.project.jobs.at(-1).status).not.toBe('done');
  expect(again.project.customerStatus).toBe('in_progress');
});
