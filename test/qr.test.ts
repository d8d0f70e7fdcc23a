// QR intake over HTTP: a site's code (PNG read back with jsQR, SVG) holds the public form's
// URL with a signed token; the form starts a case without an account that the office and
// the customer both see with the contact the form gave; an altered token, one signed with
// another key, a revoked and an expired one start nothing; the form is rate-limited; a
// customer gets only their own sites' codes.
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { readQrToken, signQrToken } from '../api/qr/token';
import { siteQrTokens } from '../db/schema';
import { DEMO_CUSTOMER_ID } from '../runtime/demo';
import { JWT_SECRET, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

/** A site of the demo customer of its own (the test files may share one database). */
async function newSite(customerId = DEMO_CUSTOMER_ID): Promise<{ id: string; address: string }> {
  const address = `${crypto.randomUUID().slice(0, 8)} QR Street, Adelaide SA 5000`;
  const answer = await api().as('ops').post(`/customers/${customerId}/sites`, { address });
  expect(answer.status).toBe(201);
  return { id: answer.body.id, address };
}

async function fetchAs(role: string, path: string): Promise<Response> {
  return fetch(api().baseUrl + path, { headers: { Authorization: `Bearer ${await api().login(`${role}@demo.test`)}` } });
}

/** The URL the site's PNG code holds, read back from its pixels. */
async function scan(siteId: string, role = 'ops'): Promise<string> {
  const response = await fetchAs(role, `/sites/${siteId}/qr`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('the PNG holds no readable QR code');
  return code.data;
}

const tokenOf = (url: string) => decodeURIComponent(url.slice(url.lastIndexOf('/qr/') + 4));
const form = (token: string) => api().request('GET', `/qr/${encodeURIComponent(token)}`, { headers: { Accept: 'application/json' } });
const report = (token: string, body: unknown, headers: Record<string, string> = {}) => api().request('POST', `/qr/${encodeURIComponent(token)}/cases`, { body, headers });
const casesAt = async (siteId: string) => (await api().as('ops').get(`/projects?siteId=${siteId}&limit=100`)).body.items.length as number;

test("the PNG holds the public form's URL with a token that is not a raw id; the SVG is an SVG; the code stays the same", async () => {
  const site = await newSite();
  const url = await scan(site.id);
  expect(url.startsWith(`${system.config.publicUrl}/qr/`)).toBe(true);
  const token = tokenOf(url);
  expect(token).not.toBe(site.id);
  expect(token.split('.')).toHaveLength(4);
  // Stable: the office and the site's customer get the same code, so printed sheets agree.
  expect(await scan(site.id)).toBe(url);
  expect(await scan(site.id, 'customer')).toBe(url);
  const svg = await fetchAs('ops', `/sites/${site.id}/qr?format=svg`);
  expect(svg.status).toBe(200);
  expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  const text = await svg.text();
  expect(text).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  expect(text.trim().endsWith('</svg>')).toBe(true);
  expect((await fetchAs('ops', `/sites/${site.id}/qr?format=gif`)).status).toBe(400);
});

test('the form is prefilled with the site and contact, and tells a stranger no phone number, email or ids', async () => {
  const site = await newSite();
  const token = tokenOf(await scan(site.id));
  const answer = await form(token);
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    siteAddress: site.address,
    customerName: 'Demo Solar Household',
    contactName: 'Demo Solar Household',
    phoneOnFile: 'ending in 00',
    emailOnFile: 'c…@demo.test',
    categories: expect.arrayContaining(['inverter', 'other']),
  });
  const text = JSON.stringify(answer.body);
  for (const secret of ['+61 400 000 000', 'customer@demo.test', DEMO_CUSTOMER_ID, site.id]) expect(text).not.toContain(secret);
});

test('a case reported through the code: one per Idempotency-Key, seen by the office and the customer with the contact the form gave', async () => {
  const site = await newSite();
  const token = tokenOf(await scan(site.id));
  const body = { description: 'Inverter beeps and shows E21 since this morning', category: 'inverter', contactName: 'Tina Tenant', contactPhone: '+61 411 222 333', contactEmail: 'tina@tenant.example' };
  const key = crypto.randomUUID();
  const [first, again] = await Promise.all([report(token, body, { 'Idempotency-Key': key }), report(token, body, { 'Idempotency-Key': key })]);
  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.body.caseId).toBe(first.body.caseId);
  expect(Object.keys(first.body)).toEqual(['caseId']);
  const { caseId } = first.body;
  expect(await casesAt(site.id)).toBe(1);
  const request = { kind: 'deviation', category: 'inverter', source: 'qr', description: body.description, contactName: 'Tina Tenant', contactPhone: '+61 411 222 333', contactEmail: 'tina@tenant.example' };

  const office = (await api().as('ops').get(`/projects/${caseId}`)).body;
  expect(office).toMatchObject({ kind: 'service', siteId: site.id, customerId: DEMO_CUSTOMER_ID, title: 'Deviation: inverter', case: request });
  expect(office.openTasks.map((task: { type: string }) => task.type)).toEqual(['service_request']);
  const timeline = (await api().as('ops').get(`/projects/${caseId}/timeline`)).body.items;
  expect(timeline[0].actor).toMatchObject({ role: 'customer' });
  expect(timeline[0].actor.id).toMatch(/^qr:/);

  // The customer's projection: their case, with who reported it, without the office's insides.
  const customer = await api().as('customer').get(`/projects/${caseId}`);
  expect(customer.status).toBe(200);
  expect(customer.body).toMatchObject({ id: caseId, customerStatus: 'planned', case: request });
  expect(customer.body.workflowId).toBeUndefined();
  const listed = (await api().as('customer').get(`/projects?siteId=${site.id}&limit=100`)).body.items;
  expect(listed.map((project: { id: string }) => project.id)).toEqual([caseId]);
  // And no other customer's.
  expect((await api().as('customer2').get(`/projects/${caseId}`)).status).toBe(403);

  // The same key with another body is refused, and starts nothing more.
  expect((await report(token, { ...body, description: 'something else' }, { 'Idempotency-Key': key })).status).toBe(422);
  expect(await casesAt(site.id)).toBe(1);
});

test('an altered token and one signed with another key are 401, and start nothing', async () => {
  const site = await newSite();
  const token = tokenOf(await scan(site.id));
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  const claims = readQrToken(JWT_SECRET, token)!;
  expect(claims.siteId).toBe(site.id);
  const otherSite = await newSite();
  const forged = [
    flip(token, token.length - 1), // the signature's last character
    flip(token, token.length - 10), // inside the signature
    token.replace(site.id, otherSite.id), // another site under this signature
    signQrToken('another-secret-of-at-least-32-characters', claims), // signed with another key
    signQrToken(JWT_SECRET, { ...claims, siteId: otherSite.id }).split('.').slice(0, 3).join('.'), // no signature
    'not-a-token',
  ];
  for (const bad of forged) {
    const opened = await form(bad);
    expect({ bad, status: opened.status }).toEqual({ bad, status: 401 });
    expect(opened.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const sent = await report(bad, { description: 'forged' });
    expect({ bad, status: sent.status }).toEqual({ bad, status: 401 });
  }
  expect(await casesAt(site.id)).toBe(0);
  expect(await casesAt(otherSite.id)).toBe(0);
});

test('a revoked code is 410 and starts nothing; the next code is a new one that works', async () => {
  const site = await newSite();
  const old = tokenOf(await scan(site.id));
  expect((await api().as('customer').post(`/sites/${site.id}/qr/revoke`)).status).toBe(403);
  const revoked = await api().as('ops').post(`/sites/${site.id}/qr/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body).toEqual({ siteId: site.id, revoked: true });
  expect((await form(old)).status).toBe(410);
  const refused = await report(old, { description: 'after revoke' });
  expect(refused.status).toBe(410);
  expect(refused.body.detail).toMatch(/withdrawn/);
  expect(await casesAt(site.id)).toBe(0);
  const fresh = tokenOf(await scan(site.id));
  expect(fresh).not.toBe(old);
  expect((await form(fresh)).status).toBe(200);
  // Revoking again without a code in between has nothing to revoke.
  await api().as('ops').post(`/sites/${site.id}/qr/revoke`);
  expect((await api().as('ops').post(`/sites/${site.id}/qr/revoke`)).body.revoked).toBe(false);
});

test('an expired code (QR_TOKEN_TTL of two seconds) is 410 and starts nothing; the next scan makes a new one', async () => {
  const site = await newSite();
  const ttl = system.config.qrTokenTtl;
  system.config.qrTokenTtl = 'PT2S';
  try {
    const before = Date.now();
    const token = tokenOf(await scan(site.id));
    const after = Date.now();
    // The code says when it ends: two seconds after it was made (a loaded machine may take longer than that to scan it).
    const { expiresAt } = readQrToken(JWT_SECRET, token)!;
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 2000 - 1000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(after + 2000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() + 500 - Date.now())));
    expect((await form(token)).status).toBe(410);
    const refused = await report(token, { description: 'too late' });
    expect(refused.status).toBe(410);
    expect(refused.body.detail).toMatch(/expired/);
    expect(await casesAt(site.id)).toBe(0);
    system.config.qrTokenTtl = ttl;
    const next = tokenOf(await scan(site.id));
    expect(next).not.toBe(token);
    expect((await form(next)).status).toBe(200);
  } finally {
    system.config.qrTokenTtl = ttl;
  }
});

test('a bad body names every field and starts nothing; the eleventh report through one code within the hour is 429, forged copies not counted', async () => {
  const site = await newSite();
  const token = tokenOf(await scan(site.id));
  const bad = await report(token, { description: '  ', contactPhone: 'call me', contactEmail: 'nope', category: 'roof' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['category', 'contactEmail', 'contactPhone', 'description']);
  // Forged copies of this code's id (a changed signature) are refused and use up none of its reports.
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  for (let i = 1; i <= 4; i++) expect((await report(flip(token, token.length - i), { description: 'forged' })).status).toBe(401);
  for (let i = 0; i < 9; i++) expect((await report(token, {})).status).toBe(400);
  const limited = await report(token, { description: 'one too many' });
  expect(limited.status).toBe(429);
  expect(limited.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(await casesAt(site.id)).toBe(0);
});

test("a customer gets their own sites' codes and sheet, never another customer's; installers none", async () => {
  const site = await newSite();
  expect((await fetchAs('customer2', `/sites/${site.id}/qr`)).status).toBe(403);
  expect((await fetchAs('customer2', `/sites/${site.id}/qr?format=svg`)).status).toBe(403);
  expect((await fetchAs('customer2', '/sites/sit_not_there/qr')).status).toBe(404);
  expect((await fetchAs('installer', `/sites/${site.id}/qr`)).status).toBe(403);
  expect((await fetchAs('customer2', `/customers/${DEMO_CUSTOMER_ID}/qr-sheet`)).status).toBe(403);
  expect((await fetchAs('customer2', '/customers/cus_not_there/qr-sheet')).status).toBe(403);
  expect((await api().as('customer2').post(`/sites/${site.id}/qr/revoke`)).status).toBe(403);
});

test("the printable sheet is a PDF with one code per site of the customer, the same codes as the sites'", async () => {
  const customer = (await api().as('ops').post('/customers', { name: `QR Sheet ${crypto.randomUUID().slice(0, 6)}` })).body;
  const sites = [await newSite(customer.id), await newSite(customer.id), await newSite(customer.id)];
  const response = await fetchAs('ops', `/customers/${customer.id}/qr-sheet`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  const pdf = Buffer.from(await response.arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // Three labels fit one page (six to a page; the codes are drawn as vectors, not images).
  expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
  // The sheet made each site's current code; a scan afterwards answers that same code, so what is printed works.
  for (const site of sites) {
    const rows = await system.database.db.select().from(siteQrTokens).where(and(eq(siteQrTokens.siteId, site.id), isNull(siteQrTokens.revokedAt)));
    expect(rows).toHaveLength(1);
    const token = tokenOf(await scan(site.id));
    expect(readQrToken(JWT_SECRET, token)?.tokenId).toBe(rows[0]!.id);
    expect((await form(token)).status).toBe(200);
  }
  expect((await fetchAs('ops', '/customers/cus_not_there/qr-sheet')).status).toBe(404);
});
