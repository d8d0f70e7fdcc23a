// The office's customer and site pages over HTTP: one read for a customer's page, a site
// with its map link and service history, staff edits that refuse bad input as a whole and
// change nothing, and the access policy (installers and customers read what is theirs and
// edit nothing).
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

async function patch(role: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const token = await api().login(`${role}@demo.test`);
  return api().request('PATCH', path, { body, headers: { Authorization: `Bearer ${token}`, ...headers } });
}

/** A customer and a site of this test's own: the database may be shared with other test files. */
async function newCustomer(name = `Karin Lund ${crypto.randomUUID().slice(0, 8)}`) {
  const customer = (await api().as('ops').post('/customers', { name, phone: '+61 8 8123 4567', email: 'karin@example.com.au' })).body;
  const site = (await api().as('ops').post(`/customers/${customer.id}/sites`, { address: `${name}, 12 King William St, Adelaide SA 5000`, phases: 1 })).body;
  return { customer, site };
}

test("the customer's page: contacts with a tel: link, sites with a map link, open and past projects, documents", async () => {
  const { customer, site } = await newCustomer();
  const flow = await Flow.create(api(), 'Battery beeps', customer.id, site.id);
  const document = await flow.uploadDocument('quote.pdf', '%PDF-1.4 the quote');

  const answer = await api().as('ops').get(`/customers/${customer.id}/overview`);
  expect(answer.status).toBe(200);
  const overview = answer.body;
  expect(overview.customer).toMatchObject({ id: customer.id, name: customer.name, phone: '+61 8 8123 4567', email: 'karin@example.com.au' });
  expect(overview.contacts).toEqual([{ kind: 'primary', name: customer.name, phone: '+61 8 8123 4567', phoneUrl: 'tel:+61881234567', email: 'karin@example.com.au' }]);
  expect(overview.sites).toHaveLength(1);
  expect(overview.sites[0]).toMatchObject({ id: site.id, address: site.address, phases: 1 });
  expect(overview.sites[0].mapsUrl).toBe(`https://www.openstreetmap.org/search?query=${encodeURIComponent(site.address)}`);
  expect(overview.openProjects.map((p: { id: string }) => p.id)).toEqual([flow.projectId]);
  expect(overview.openProjects[0]).toMatchObject({ title: 'Battery beeps', kind: 'service', siteAddress: site.address, customerStatus: 'planned' });
  expect(overview.pastProjects).toEqual([]);
  expect(overview.documents).toEqual([expect.objectContaining({ id: document.id, name: 'quote.pdf', projectId: flow.projectId, projectTitle: 'Battery beeps' })]);

  // A closed project moves to the past.
  await flow.complete('service_request', { description: 'beeps at night', resolution: 'not_required' });
  const later = (await api().as('ops').get(`/customers/${customer.id}/overview`)).body;
  expect(later.openProjects).toEqual([]);
  expect(later.pastProjects.map((p: { id: string }) => p.id)).toEqual([flow.projectId]);
  expect(later.pastProjects[0].closedAt ?? later.pastProjects[0].outcome).toBeTruthy();

  // The demo customer's portal user is one of its contacts.
  const demo = (await api().as('supervisor').get('/customers/cus_demo/overview')).body;
  expect(demo.contacts).toContainEqual({ kind: 'portal_user', name: 'Cleo Customer', email: 'customer@demo.test' });
});

test('a wrong customer edit is refused with every field at once and changes nothing; a right one is kept with who made it', async () => {
  const { customer } = await newCustomer();
  const wrong = await patch('ops', `/customers/${customer.id}`, { name: '  ', email: 'not-an-email', phone: 'call me', colour: 'red' });
  expect(wrong.status).toBe(400);
  expect(wrong.headers.get('content-type')).toContain('application/problem+json');
  // Unknown keys are refused before the fields are checked (strict), so check them apart.
  expect(wrong.body.errors.length).toBeGreaterThan(0);
  const fields = await patch('ops', `/customers/${customer.id}`, { name: '  ', email: 'not-an-email', phone: 'call me' });
  expect(fields.status).toBe(400);
  expect(fields.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['email', 'name', 'phone']);
  expect((await patch('ops', `/customers/${customer.id}`, {})).status).toBe(400);
  expect((await api().as('ops').get(`/customers/${customer.id}`)).body).toEqual(customer);

  const right = await patch('ops', `/customers/${customer.id}`, { name: 'Karin Lund-Berg', phone: '0412 345 678' }, { 'Idempotency-Key': 'edit-1' });
  expect(right.status).toBe(200);
  expect(right.body).toMatchObject({ id: customer.id, name: 'Karin Lund-Berg', phone: '0412 345 678', email: 'karin@example.com.au', updatedBy: 'Olle Ops' });
  // The same key again: the same effect; with another body: refused.
  expect((await patch('ops', `/customers/${customer.id}`, { name: 'Karin Lund-Berg', phone: '0412 345 678' }, { 'Idempotency-Key': 'edit-1' })).status).toBe(200);
  expect((await patch('ops', `/customers/${customer.id}`, { name: 'Someone else' }, { 'Idempotency-Key': 'edit-1' })).status).toBe(422);
  // A late retry of that first edit after someone else's edit does not undo the other edit.
  expect((await patch('supervisor', `/customers/${customer.id}`, { phone: '0400 000 001' })).status).toBe(200);
  const late = await patch('ops', `/customers/${customer.id}`, { name: 'Karin Lund-Berg', phone: '0412 345 678' }, { 'Idempotency-Key': 'edit-1' });
  expect({ status: late.status, phone: late.body.phone }).toEqual({ status: 200, phone: '0400 000 001' });
  expect((await patch('ops', `/customers/${customer.id}`, { phone: '0412 345 678' })).status).toBe(200);

  // null clears the email.
  expect((await patch('supervisor', `/customers/${customer.id}`, { email: null })).status).toBe(200);
  const read = (await api().as('ops').get(`/customers/${customer.id}`)).body;
  expect(read).toMatchObject({ name: 'Karin Lund-Berg', phone: '0412 345 678', updatedBy: 'Sam Supervisor' });
  expect(read.email).toBeUndefined();
  expect(Date.parse(read.updatedAt)).toBeGreaterThan(Date.parse(customer.createdAt) - 1);
  const overview = (await api().as('ops').get(`/customers/${customer.id}/overview`)).body;
  expect(overview.contacts[0]).toEqual({ kind: 'primary', name: 'Karin Lund-Berg', phone: '0412 345 678', phoneUrl: 'tel:0412345678' });
});

test("a site's NMI, phases and coordinates are edited by staff; a bad NMI is refused; the site reads with its customer and map link", async () => {
  const { customer, site } = await newCustomer();
  const bad = await patch('ops', `/sites/${site.id}`, { nmi: 'QB0000000', phases: 4, latitude: -34.9 });
  expect(bad.status).toBe(400);
  expect([...new Set(bad.body.errors.map((error: { path: string }) => error.path))].sort()).toEqual(['longitude', 'nmi', 'phases']);
  expect((await api().as('ops').get(`/sites/${site.id}`)).body.nmi).toBeUndefined();

  const edited = await patch('ops', `/sites/${site.id}`, { nmi: 'qb00000001', phases: 3, latitude: -34.9285, longitude: 138.6007 });
  expect(edited.status).toBe(200);
  expect(edited.body).toMatchObject({ id: site.id, nmi: 'QB00000001', phases: 3, updatedBy: 'Olle Ops', customer: { id: customer.id, name: customer.name } });
  const read = (await api().as('ops').get(`/sites/${site.id}`)).body;
  expect(read).toMatchObject({ nmi: 'QB00000001', phases: 3, latitude: -34.9285, longitude: 138.6007 });
  expect(read.mapsUrl).toBe('https://www.openstreetmap.org/?mlat=-34.9285&mlon=138.6007#map=18/-34.9285/138.6007');

  expect((await patch('ops', `/sites/${site.id}`, { latitude: -34.9, longitude: null })).status).toBe(400);
  expect((await patch('ops', `/sites/${site.id}`, { nmi: null, latitude: null, longitude: null })).status).toBe(200);
  const cleared = (await api().as('ops').get(`/sites/${site.id}`)).body;
  expect(cleared.nmi).toBeUndefined();
  expect(cleared.mapsUrl).toBe(`https://www.openstreetmap.org/search?query=${encodeURIComponent(site.address)}`);
  expect((await patch('ops', '/sites/sit_nowhere', { phases: 1 })).status).toBe(404);
  expect((await api().as('ops').get('/customers/cus_nobody/overview')).status).toBe(404);
});

test('the service history and the access policy: installers read the site they work at, nobody but staff reads the office pages or edits', async () => {
  const { customer, site } = await newCustomer();
  const flow = await Flow.create(api(), 'Inverter E21', customer.id, site.id);
  await flow.complete('service_request', { description: 'E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-03T09:00:00+10:30' }, 'installer');

  const history = await api().as('ops').get(`/sites/${site.id}/history`);
  expect(history.status).toBe(200);
  expect(history.body.items).toHaveLength(1);
  expect(history.body.items[0]).toMatchObject({ id: flow.projectId, title: 'Inverter E21', jobs: [{ type: 'audit', scheduledStart: '2026-12-02T22:30:00.000Z', installer: { id: 'usr_demo_installer', name: 'Ivy Installer' } }] });

  // The job card links the office to the customer's page; the installer's card has no customer id.
  const jobId = history.body.items[0].jobs[0].id;
  expect((await api().as('ops').get(`/jobs/${jobId}/card`)).body.customer).toMatchObject({ id: customer.id, name: customer.name });
  expect((await api().as('installer').get(`/jobs/${jobId}/card`)).body.customer.id).toBeUndefined();

  // The installer of the job reads the site (not who edited it), not its history, the customer or the overview.
  const mine = await api().as('installer').get(`/sites/${site.id}`);
  expect(mine.status).toBe(200);
  expect(mine.body).toMatchObject({ id: site.id, address: site.address });
  expect((await api().as('installer').get(`/sites/${site.id}/history`)).status).toBe(403);
  expect((await api().as('installer').get(`/customers/${customer.id}`)).status).toBe(403);
  expect((await api().as('installer').get(`/customers/${customer.id}/overview`)).status).toBe(403);
  // Another installer has no job there: not even the site.
  const other = await api().as('installer2').get(`/sites/${site.id}`);
  expect(other.status).toBe(403);
  expect(JSON.stringify(other.body)).not.toContain(site.address);

  // Neither installers nor customers edit, even their own, and the refusal changes nothing.
  expect((await patch('installer', `/sites/${site.id}`, { nmi: 'QB00000001' })).status).toBe(403);
  expect((await patch('installer', `/customers/${customer.id}`, { name: 'Taken over' })).status).toBe(403);
  expect((await patch('customer', '/customers/cus_demo', { name: 'Taken over' })).status).toBe(403);
  expect((await patch('customer', '/sites/sit_demo', { phases: 3 })).status).toBe(403);
  expect((await api().as('customer').get('/customers/cus_demo/overview')).status).toBe(403);
  expect((await api().as('customer').get('/sites/sit_demo')).status).toBe(200);
  expect((await api().as('customer').get(`/sites/${site.id}`)).status).toBe(403);
  expect((await api().as('ops').get(`/sites/${site.id}`)).body.nmi).toBeUndefined();
  expect((await api().as('ops').get(`/customers/${customer.id}`)).body.name).toBe(customer.name);
});
