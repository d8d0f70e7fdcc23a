// The customer portal over HTTP: staff invite a contact, the mail carries a single-use
// sign-in link, the contact chooses a password and sees only their own customer's sites
// and cases; every route a portal user could call with another customer's ids is refused
// without a byte of that customer's data.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { invitations, users } from '../db/schema';
import { waitForMail } from './support/mailbox';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const unique = () => crypto.randomUUID().slice(0, 8);

/** A customer of its own with one site (the test files share one database in CI). */
async function newCustomer(name: string) {
  const customer = await api().as('ops').post('/customers', { name: `${name} ${unique()}` });
  expect(customer.status).toBe(201);
  const site = await api().as('ops').post(`/customers/${customer.body.id}/sites`, { address: `${unique()} ${name} Street` });
  expect(site.status).toBe(201);
  return { customerId: customer.body.id as string, siteId: site.body.id as string, address: site.body.address as string };
}

/** Invites `email` to the customer as ops; answers the invitation and the token from its mail. */
async function invite(customerId: string, email: string, name = 'Robin Contact') {
  const answer = await api().as('ops').post(`/customers/${customerId}/invitations`, { email, name });
  expect(answer.status).toBe(201);
  const mail = await waitForMail((m) => m.to.some((to) => to.toLowerCase() === email.toLowerCase()) && m.text.includes(answer.body.expiresAt.slice(0, 10)) && !seen.has(m.messageId ?? ''));
  seen.add(mail.messageId ?? '');
  const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(token).toBeDefined();
  return { invitation: answer.body, mail, token: token! };
}
const seen = new Set<string>();

const as = (token: string) => ({
  get: (path: string) => api().request('GET', path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }),
  post: (path: string, body?: unknown, headers: Record<string, string> = {}) => api().request('POST', path, { body, headers: { Authorization: `Bearer ${token}`, ...headers } }),
});

test('an invited contact chooses a password through the link once, and signs in as their customer', async () => {
  const { customerId, siteId } = await newCustomer('Invited');
  const email = `contact-${unique()}@example.com`;
  const { invitation, mail, token } = await invite(customerId, email);
  expect(invitation).toMatchObject({ customerId, email, name: 'Robin Contact', status: 'pending' });
  expect(mail.subject).toContain('Invited');
  expect(mail.text).toContain(`${system.config.publicUrl}/invitations/${token}`);
  // Only the token's hash is stored, and the new user cannot sign in before choosing a password.
  const [row] = await system.database.db.select().from(invitations).where(eq(invitations.id, invitation.id));
  expect(row.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
  expect(JSON.stringify(row)).not.toContain(token);
  expect((await api().request('POST', '/auth/login', { body: { email, password: 'a-guessed-password' } })).status).toBe(401);

  const preview = await api().request('GET', `/invitations/${token}`, { headers: { Accept: 'application/json' } });
  expect(preview.status).toBe(200);
  expect(preview.body).toMatchObject({ email, name: 'Robin Contact', customerName: expect.stringContaining('Invited') });

  // A password against the rules: 400, and the link still works.
  const short = await api().request('POST', `/invitations/${token}/accept`, { body: { password: 'short' } });
  expect(short.status).toBe(400);
  expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(['password']);
  expect((await api().request('GET', `/invitations/${token}`)).status).toBe(200);

  const password = `portal-${unique()}-password`;
  const accepted = await api().request('POST', `/invitations/${token}/accept`, { body: { password } });
  expect(accepted.status).toBe(200);
  expect(accepted.body.user).toMatchObject({ role: 'customer', customerId, name: 'Robin Contact' });
  expect((await as(accepted.body.token).get(`/customers/${customerId}/sites`)).body.items.map((s: { id: string }) => s.id)).toEqual([siteId]);

  // The link works once; the normal sign-in works from now on.
  const again = await api().request('POST', `/invitations/${token}/accept`, { body: { password: 'another-password-123' } });
  expect(again.status).toBe(410);
  expect((await api().request('GET', `/invitations/${token}`)).status).toBe(410);
  const login = await api().request('POST', '/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  expect(login.body.user.id).toBe(accepted.body.user.id);
  const listed = (await api().as('ops').get(`/customers/${customerId}/invitations`)).body.items;
  expect(listed).toEqual([expect.objectContaining({ id: invitation.id, status: 'accepted', email })]);
  // Accepted: the email is now a user's like any other.
  expect((await api().as('ops').post(`/customers/${customerId}/invitations`, { email, name: 'Again' })).status).toBe(409);
});

test('inviting again replaces the pending link; unknown, expired and foreign-email invitations are refused', async () => {
  const { customerId } = await newCustomer('Reinvited');
  const email = `again-${unique()}@example.com`;
  const first = await invite(customerId, email);
  const second = await invite(customerId, email.toUpperCase());
  expect(second.invitation.userId).toBe(first.invitation.userId);
  expect((await api().request('GET', `/invitations/${first.token}`)).status).toBe(410);
  expect((await api().request('POST', `/invitations/${first.token}/accept`, { body: { password: 'a-good-long-password' } })).status).toBe(410);
  expect((await api().request('GET', `/invitations/${second.token}`)).status).toBe(200);

  // An expired link: 410 and nothing changes.
  await system.database.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, second.invitation.id));
  const expired = await api().request('POST', `/invitations/${second.token}/accept`, { body: { password: 'a-good-long-password' } });
  expect(expired.status).toBe(410);
  expect(expired.body.detail).toContain('expired');
  expect((await api().request('POST', '/auth/login', { body: { email, password: 'a-good-long-password' } })).status).toBe(401);

  expect((await api().request('GET', `/invitations/${crypto.randomBytes(32).toString('base64url')}`)).status).toBe(404);
  // Someone else's email (a user of the office, or a pending contact of another customer): 409.
  expect((await api().as('ops').post(`/customers/${customerId}/invitations`, { email: 'installer@demo.test', name: 'X' })).status).toBe(409);
  const other = await newCustomer('Other');
  expect((await api().as('ops').post(`/customers/${other.customerId}/invitations`, { email, name: 'X' })).status).toBe(409);

  const bad = await api().as('ops').post(`/customers/${customerId}/invitations`, { email: 'not-an-email', name: ' ' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name']);
  expect((await api().as('ops').post('/customers/cus_nothere/invitations', { email: `x-${unique()}@example.com`, name: 'X' })).status).toBe(404);
  expect((await api().as('customer').post(`/customers/${customerId}/invitations`, { email: `x-${unique()}@example.com`, name: 'X' })).status).toBe(403);
  expect((await api().as('installer').get(`/customers/${customerId}/invitations`)).status).toBe(403);
  const [user] = await system.database.db.select().from(users).where(eq(users.id, first.invitation.userId));
  expect(user).toMatchObject({ role: 'customer', customerId });
});

test("a portal user sees their own cases with the request's words, filters them, and gets nothing of another customer's", async () => {
  const mine = await newCustomer('Mine');
  const theirs = await newCustomer('Theirs');
  const email = `mine-${unique()}@example.com`;
  const { token } = await invite(mine.customerId, email);
  const session = (await api().request('POST', `/invitations/${token}/accept`, { body: { password: 'my-portal-password' } })).body;
  const me = as(session.token);

  const raised = await me.post('/cases', { siteId: mine.siteId, kind: 'deviation', category: 'inverter', description: 'Error 31 on the display' }, { 'Idempotency-Key': crypto.randomUUID() });
  expect(raised.status).toBe(201);
  const view = (await me.get(`/projects/${raised.body.id}`)).body;
  expect(view).toMatchObject({ title: 'Deviation: inverter', customerStatus: 'planned', case: { kind: 'deviation', category: 'inverter', description: 'Error 31 on the display', source: 'portal' } });
  expect(view.workflowId).toBeUndefined();

  // The other customer's case, with a document.
  const foreign = await api().as('ops').post('/cases', { customerId: theirs.customerId, siteId: theirs.siteId, category: 'battery', description: `secret ${unique()}` });
  expect(foreign.status).toBe(201);
  const form = new FormData();
  form.append('file', new Blob(['%PDF-1.4 theirs'], { type: 'application/pdf' }), 'theirs.pdf');
  const document = await api().request('POST', `/projects/${foreign.body.id}/documents`, { raw: form, headers: { Authorization: `Bearer ${await api().login('ops@demo.test')}` } });
  expect(document.status).toBe(201);

  // The lists: only mine, by site and by status.
  const all = (await me.get('/projects?limit=200')).body.items;
  expect(all.map((p: { id: string }) => p.id)).toEqual([raised.body.id]);
  expect((await me.get(`/projects?siteId=${mine.siteId}&status=planned`)).body.items.map((p: { id: string }) => p.id)).toEqual([raised.body.id]);
  expect((await me.get(`/projects?status=completed`)).body.items).toEqual([]);
  expect((await me.get(`/projects?siteId=${theirs.siteId}`)).body.items).toEqual([]);

  const secrets = [theirs.customerId, theirs.siteId, theirs.address, foreign.body.id, document.body.id];
  const refused: [string, string, unknown?][] = [
    ['GET', `/customers/${theirs.customerId}`],
    ['GET', `/customers/${theirs.customerId}/sites`],
    ['GET', `/customers/${theirs.customerId}/overview`],
    ['GET', `/customers/${theirs.customerId}/invitations`],
    ['POST', `/customers/${theirs.customerId}/invitations`, { email: `x-${unique()}@example.com`, name: 'X' }],
    ['GET', `/sites/${theirs.siteId}`],
    ['GET', `/sites/${theirs.siteId}/assets`],
    ['GET', `/sites/${theirs.siteId}/history`],
    ['GET', `/projects/${foreign.body.id}`],
    ['GET', `/projects/${foreign.body.id}/timeline`],
    ['GET', `/projects/${foreign.body.id}/documents`],
    ['GET', `/documents/${document.body.id}`],
    ['GET', `/projects?customerId=${theirs.customerId}`],
  ];
  for (const [method, path, body] of refused) {
    const answer = method === 'GET' ? await me.get(path) : await me.post(path, body);
    expect({ path, status: [403, 404].includes(answer.status) }).toEqual({ path, status: true });
    // Nothing of theirs but what the request itself named.
    for (const secret of secrets.filter((value) => !path.includes(value))) expect({ path, leaked: JSON.stringify(answer.body).includes(secret) }).toEqual({ path, leaked: false });
  }
  // Raising a case at their site: refused like a site that does not exist.
  const atTheirs = await me.post('/cases', { siteId: theirs.siteId, category: 'x', description: 'y' });
  expect(atTheirs.status).toBe(400);
  expect(JSON.stringify(atTheirs.body)).not.toContain(theirs.customerId);
  // Their project's live changes: no stream.
  const { ticket } = (await me.post('/stream/tickets')).body;
  const stream = await fetch(`${api().baseUrl}/stream?projectId=${foreign.body.id}&ticket=${ticket}`);
  expect(stream.status).toBe(403);
  await stream.body?.cancel();
});

test('two accepts of one link at once: one signs in, the other is refused', async () => {
  const { customerId } = await newCustomer('Race');
  const email = `race-${unique()}@example.com`;
  const { token } = await invite(customerId, email);
  const answers = await Promise.all(['first-long-password', 'second-long-password'].map((password) => api().request('POST', `/invitations/${token}/accept`, { body: { password } })));
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410]);
  const winner = answers[0].status === 200 ? 'first-long-password' : 'second-long-password';
  const loser = winner === 'first-long-password' ? 'second-long-password' : 'first-long-password';
  expect((await api().request('POST', '/auth/login', { body: { email, password: winner } })).status).toBe(200);
  expect((await api().request('POST', '/auth/login', { body: { email, password: loser } })).status).toBe(401);
});

// Last in the file: it uses up this address's allowance for a minute.
test('the public invitation routes are rate-limited per address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 35; i++) statuses.push((await api().request('GET', `/invitations/guess-${i}`, { headers: { Accept: 'application/json' } })).status);
  expect(statuses.slice(0, 10).every((status) => status === 404 || status === 429)).toBe(true);
  expect(statuses.at(-1)).toBe(429);
  expect((await api().request('POST', '/invitations/guess/accept', { body: { password: 'a-long-enough-password' } })).status).toBe(429);
});
