// The invoice draft through HTTP: a service project's protocol priced to the cent, on
// awkward quantities and rates; the PDF says the same; a sales project's draft starts
// from its accepted proposal (see test/sales.test.ts for the walk that makes it).
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

beforeAll(async () => {
  system = await startTestSystem({ LABOUR_RATE: '97.35', TAX_RATE: '12.5', INVOICE_CURRENCY: 'SEK' });
});
afterAll(async () => {
  await system?.stop();
});

async function article(name: string, unit: string, priceCents: number) {
  const answer = await api().as('admin').post('/articles', { number: `T-${crypto.randomUUID().slice(0, 8)}`, name, unit, priceCents });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

test('a service draft prices the protocol to the cent, rounding each figure once; the PDF shows the same totals', async () => {
  const cable = await article('PV cable 6 mm²', 'm', 333); // 3.33 per metre
  const ties = await article('Cable ties', 'pack', 1999);
  const flow = await Flow.create(api(), 'Invoice');
  await flow.complete('service_request', { description: 'Rewire the string', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+01:00' }, 'installer');
  const jobId = (await flow.project()).jobs[0].id;
  const installer = api().as('installer');
  expect((await installer.post(`/jobs/${jobId}/protocol/materials`, { articleId: cable, quantity: 2.5 })).status).toBe(201);
  expect((await installer.post(`/jobs/${jobId}/protocol/materials`, { articleId: ties, quantity: 0.335 })).status).toBe(201);
  expect((await installer.post(`/jobs/${jobId}/protocol/work`, { description: 'Fault finding', minutes: 7 })).status).toBe(201);
  expect((await installer.post(`/jobs/${jobId}/protocol/work`, { description: 'Rewiring', minutes: 50 })).status).toBe(201);

  const draft = (await api().as('ops').get(`/projects/${flow.projectId}/invoice-draft`)).body;
  // Exact: 8.325 + 6.69665 + 7 × 97.35 / 60 (11.3575) + 50 × 97.35 / 60 (81.125) = 107.50415
  expect(draft.lines.map((l: { kind: string; amountCents: number }) => [l.kind, l.amountCents])).toEqual([
    ['material', 833],
    ['material', 670],
    ['labour', 1136],
    ['labour', 8113],
  ]);
  expect(draft).toMatchObject({ currency: 'SEK', basis: 'protocol', subtotalCents: 10750, taxBasisPoints: 1250 });
  // Tax 12.5 % of the exact 107.50415 = 13.43801875 → 13.44; the total adds up on the page.
  expect(draft.taxCents).toBe(1344);
  expect(draft.totalCents).toBe(10750 + 1344);
  // The same draft as a PDF, for the customer's file.
  const token = await api().login('ops@demo.test');
  const response = await fetch(`${api().baseUrl}/projects/${flow.projectId}/invoice-draft.pdf`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.headers.get('content-type')).toBe('application/pdf');
  const { PDFParse } = require('pdf-parse');
  const text: string = (await new PDFParse({ data: new Uint8Array(await response.arrayBuffer()) }).getText()).text;
  expect(text).toContain('INVOICE DRAFT');
  expect(text).toMatch(/Subtotal\s+107\.50 SEK/);
  expect(text).toMatch(/Total\s+120\.94 SEK/);
  expect(text).toContain('PV cable 6 mm²');
  // The office's paper: not for installers or customers.
  expect((await api().as('installer').get(`/projects/${flow.projectId}/invoice-draft`)).status).toBe(403);
  expect((await api().as('customer').get(`/projects/${flow.projectId}/invoice-draft`)).status).toBe(403);
  expect((await api().as('ops').get('/projects/prj_unknown/invoice-draft')).status).toBe(404);
});
