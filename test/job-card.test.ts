// The installer's job card: where, who to call, what is wrong, what the office said.
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

test('the card shows the address with a maps link, the contact, the problem, the notes and what to do next', async () => {
  const customer = (await api().as('ops').post('/customers', { name: 'Karin Lund', phone: '+46 70-123 45 67', email: 'karin@example.se' })).body;
  const site = (await api().as('ops').post(`/customers/${customer.id}/sites`, { address: 'Storgatan 1, 111 22 Stockholm', latitude: 59.3326, longitude: 18.0649 })).body;
  const flow = await Flow.create(api(), 'Inverter off', customer.id, site.id);
  await flow.complete('service_request', { description: 'Inverter shows E21 since Monday', category: 'inverter', resolution: 'site_visit', jobType: 'audit', note: 'Dog in the garden' });
  await flow.complete('confirm_job', { note: 'Key under the mat; call 30 min before' });
  const jobId = (await flow.project()).jobs[0].id;

  // Offered to every installer: what and where, not yet the customer's phone or the notes.
  const offer = (await api().as('installer2').get(`/jobs/${jobId}/card`)).body;
  expect(offer.site.address).toBe('Storgatan 1, 111 22 Stockholm');
  expect(offer.customer).toEqual({ name: 'Karin Lund' });
  expect(offer.notes).toEqual([]);
  expect(offer.lastVisits).toEqual([]);
  expect(offer.equipment.every((asset: { serial: string | null }) => asset.serial === null)).toBe(true);

  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-03T09:00:00+01:00' }, 'installer');
  const card = (await api().as('installer').get(`/jobs/${jobId}/card`)).body;
  expect(card.site.mapsUrl).toBe('https://www.google.com/maps/search/?api=1&query=59.3326%2C18.0649');
  expect(card.customer).toEqual({ name: 'Karin Lund', phone: '+46 70-123 45 67', phoneUrl: 'tel:+46701234567', email: 'karin@example.se' });
  expect(card.problem).toEqual({ description: 'Inverter shows E21 since Monday', category: 'inverter' });
  expect(card.notes.map((n: { note: string }) => n.note)).toEqual(['Dog in the garden', 'Key under the mat; call 30 min before']);
  expect(card.job).toMatchObject({ id: jobId, type: 'audit', scheduledStart: '2026-12-03T08:00:00.000Z', installer: { id: 'usr_demo_installer' } });
  expect(card.next.map((t: { type: string }) => t.type)).toEqual(['audit_checklist']);
  expect(card.lastVisits).toEqual([]);
  // Taken: another installer no longer reads it, nor does a customer.
  expect((await api().as('installer2').get(`/jobs/${jobId}/card`)).status).toBe(403);
  expect((await api().as('customer').get(`/jobs/${jobId}/card`)).status).toBe(403);
});
