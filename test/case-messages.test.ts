// A case's thread over HTTP: the customer and the office write to each other, each message
// once per Idempotency-Key, in the timeline of both (the customer projection too), and the
// other side hears of it: a notification record and a mail read back from the stand-in SMTP
// server. Another customer, an installer and bad bodies change nothing.
import crypto from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { caseMessages, mailOutbox, timeline } from '../db/schema';
import { newId } from '../api/ids';
import { caseTitle, startProject } from '../api/start-project';
import { DEMO_CUSTOMER_ID, DEMO_SITE_ID } from '../runtime/demo';
import { Flow } from './support/flows';
import type { Answer } from './support/http';
import { receivedMails, waitForMail } from './support/mailbox';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const unique = () => crypto.randomUUID().slice(0, 8);
const OFFICE_EMAIL = `office-${unique()}@example.com`;

beforeAll(async () => {
  system = await startTestSystem({ OFFICE_EMAIL });
});
afterAll(async () => {
  await system?.stop();
});

/** A staff member of our own (their mail address is this test's alone), with a way to call the API as them. */
async function staffMember(role: 'ops' | 'supervisor', name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${unique()}@example.com`;
  const password = 'a-long-enough-password';
  const created = await api().as('admin').post('/users', { email, name, role, password });
  expect(created.status).toBe(201);
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
    api().request(method, path, { body, headers: { Authorization: `Bearer ${await api().login(email, password)}`, ...headers } });
  return { id: created.body.id as string, email, name, get: (path: string) => send('GET', path), post: (path: string, body?: unknown, headers?: Record<string, string>) => send('POST', path, body, headers) };
}

/** A case the demo customer raised in the portal. */
async function customerCase(description = 'The inverter beeps at night') {
  const answer = await api().as('customer').post('/cases', { siteId: DEMO_SITE_ID, category: 'inverter', description, kind: 'issue' });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

const mailsAbout = async (projectId: string, to: string) => (await receivedMails()).filter((mail) => mail.to.includes(to) && mail.text.includes(projectId));

test('customer and office write both ways; each side is notified and mailed, the right person each time', async () => {
  const projectId = await customerCase();
  const olivia = await staffMember('ops', 'Olivia Office');

  // 1. Nobody at the office has the case yet: the office group hears, and OFFICE_EMAIL gets the mail.
  const first = await api().as('customer').post(`/projects/${projectId}/messages`, { body: 'It started after the storm on Monday.' });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ projectId, body: 'It started after the storm on Monday.', author: { role: 'customer' }, documentIds: [] });
  const officeMail = await waitForMail((mail) => mail.to.includes(OFFICE_EMAIL) && mail.text.includes(projectId));
  expect(officeMail.subject).toContain('New message from');
  expect(officeMail.text).toContain('It started after the storm on Monday.');
  expect(officeMail.text).toContain(`/projects/${projectId}`);
  const opsNotes = (await api().as('ops').get('/notifications?limit=100')).body.items.filter((n: { projectId: string; kind: string }) => n.projectId === projectId && n.kind === 'case.message');
  expect(opsNotes).toHaveLength(1);
  expect(opsNotes[0]).toMatchObject({ recipient: 'group:ops', summary: expect.stringContaining('It started after the storm') });

  // 2. Olivia replies: the customer's contacts get a notification and a mail with a link to the case.
  const reply = await olivia.post(`/projects/${projectId}/messages`, { body: 'Thanks, can you send a photo of the display?' });
  expect(reply.status).toBe(201);
  const customerMail = await waitForMail((mail) => mail.to.includes('customer@demo.test') && mail.text.includes(projectId));
  expect(customerMail.subject).toBe(`New message about your case: Issue: inverter`);
  expect(customerMail.text).toContain(`${system.config.publicUrl}/cases/${projectId}`);
  expect(customerMail.text).toContain('Thanks, can you send a photo of the display?');
  const customerNotes = (await api().as('customer').get('/notifications?limit=100')).body.items.filter((n: { projectId: string }) => n.projectId === projectId);
  expect(customerNotes).toHaveLength(1);
  expect(customerNotes[0]).toMatchObject({ kind: 'case.message', summary: expect.stringContaining('Olivia Office') });
  // Another customer hears nothing of it.
  const otherNotes = (await api().as('customer2').get('/notifications?limit=100')).body.items;
  expect(otherNotes.some((n: { projectId: string }) => n.projectId === projectId)).toBe(false);

  // 3. The customer answers: Olivia wrote to them last, so she is the one told.
  expect((await api().as('customer').post(`/projects/${projectId}/messages`, { body: 'Photo is on its way.' })).status).toBe(201);
  const toOlivia = await waitForMail((mail) => mail.to.includes(olivia.email) && mail.text.includes('Photo is on its way.'));
  expect(toOlivia.text).toContain(projectId);
  const hers = (await olivia.get('/notifications?limit=100')).body.items.filter((n: { projectId: string; recipient: string }) => n.projectId === projectId && n.recipient === olivia.id);
  expect(hers).toHaveLength(1);

  // Each mail went once: the first message to the office only, the next to Olivia only.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await mailsAbout(projectId, OFFICE_EMAIL)).toHaveLength(1);
  expect(await mailsAbout(projectId, olivia.email)).toHaveLength(1);
  expect(await mailsAbout(projectId, 'customer@demo.test')).toHaveLength(1);

  // The thread, oldest first, as each side reads it: customers see the office by name, not by id.
  const thread = (await api().as('customer').get(`/projects/${projectId}/messages`)).body.items;
  expect(thread.map((m: { body: string }) => m.body)).toEqual(['It started after the storm on Monday.', 'Thanks, can you send a photo of the display?', 'Photo is on its way.']);
  expect(thread[1].author).toEqual({ id: 'office', name: 'Olivia Office', role: 'office' });
  const staffThread = (await api().as('ops').get(`/projects/${projectId}/messages`)).body.items;
  expect(staffThread[1].author).toEqual({ id: olivia.id, name: 'Olivia Office', role: 'ops' });
});

test('a routed case: the person its task went to is told, or every member of its group until one takes it', async () => {
  const sam = await staffMember('supervisor', 'Sam Supervisor');
  const [bea, ben] = [await staffMember('ops', 'Bea North'), await staffMember('ops', 'Ben North')];
  const group = await api().as('admin').post('/groups', { name: `North ${unique()}`, memberIds: [bea.id, ben.id] });
  expect(group.status).toBe(201);
  // Rules are global (test files share a database): each names a category of this test alone.
  const toSam = `dishwasher-${unique()}`;
  const toNorth = `heat-pump-${unique()}`;
  expect((await api().as('admin').post('/routing-rules', { priority: 0, customerId: DEMO_CUSTOMER_ID, category: toSam, targetUserId: sam.id })).status).toBe(201);
  expect((await api().as('admin').post('/routing-rules', { priority: 0, customerId: DEMO_CUSTOMER_ID, category: toNorth, targetGroupId: group.body.id })).status).toBe(201);
  const raise = async (category: string) => {
    const answer = await api().as('customer').post('/cases', { siteId: DEMO_SITE_ID, category, description: 'It stopped' });
    expect(answer.status).toBe(201);
    return new Flow(api(), answer.body.id as string);
  };

  // A person's case: Sam hears, nobody else.
  const personal = await raise(toSam);
  expect((await personal.openTask('service_request')).assignee).toBe(sam.id);
  expect((await api().as('customer').post(`/projects/${personal.projectId}/messages`, { body: 'Any news?' })).status).toBe(201);
  await waitForMail((mail) => mail.to.includes(sam.email) && mail.text.includes(personal.projectId));
  expect((await sam.get('/notifications?limit=100')).body.items.some((n: { projectId: string; recipient: string }) => n.projectId === personal.projectId && n.recipient === sam.id)).toBe(true);

  // A group's case: the group's notification, and a mail to each member.
  const grouped = await raise(toNorth);
  const task = await grouped.openTask('service_request');
  expect(task.assignee).toBe(`group:${group.body.id}`);
  expect((await api().as('customer').post(`/projects/${grouped.projectId}/messages`, { body: 'Is anyone there?' })).status).toBe(201);
  await waitForMail((mail) => mail.to.includes(bea.email) && mail.text.includes('Is anyone there?'));
  await waitForMail((mail) => mail.to.includes(ben.email) && mail.text.includes('Is anyone there?'));
  expect((await ben.get('/notifications?limit=100')).body.items.some((n: { projectId: string; recipient: string }) => n.projectId === grouped.projectId && n.recipient === `group:${group.body.id}`)).toBe(true);
  // Once Bea takes the task, she alone is told.
  expect((await bea.post(`/tasks/${task.id}/claim`)).status).toBe(200);
  expect((await api().as('customer').post(`/projects/${grouped.projectId}/messages`, { body: 'Hello again' })).status).toBe(201);
  await waitForMail((mail) => mail.to.includes(bea.email) && mail.text.includes('Hello again'));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await mailsAbout(grouped.projectId, ben.email)).map((mail) => mail.text.includes('Hello again'))).toEqual([false]);
  expect(await mailsAbout(grouped.projectId, OFFICE_EMAIL)).toEqual([]);
});

test("a case raised through the QR form: the office's reply is mailed to the contact it was raised with", async () => {
  // startProject is what the public QR form calls (api/start-project.ts): no account, a contact.
  const contactEmail = `qr-contact-${unique()}@example.com`;
  const view = await startProject(
    { database: system.database, temporal: system.temporal, config: system.config },
    {
      kind: 'service',
      projectId: newId('prj'),
      customer: { id: DEMO_CUSTOMER_ID, name: 'Demo Solar Household' },
      site: { id: DEMO_SITE_ID, address: '1 Demo Street' },
      title: caseTitle('deviation', 'meter box'),
      createdBy: { id: 'qr', role: 'customer', name: 'QR form' },
      raisedBy: 'customer',
      request: { kind: 'deviation', category: 'meter box', description: 'The meter box door is hanging loose', source: 'qr', contactName: 'Quinn', contactEmail },
    },
  );
  const sent = await api().as('ops').post(`/projects/${view.id}/messages`, { body: 'We will fix the door on Friday.' });
  expect(sent.status).toBe(201);
  const mail = await waitForMail((m) => m.to.includes(contactEmail));
  expect(mail.subject).toBe('New message about your case: Deviation: meter box');
  expect(mail.text).toContain('We will fix the door on Friday.');
  expect(mail.text).toContain(`/cases/${view.id}`);
  // Queued once, under the contact's own key.
  const [row] = await system.database.db.select().from(mailOutbox).where(like(mailOutbox.key, `case-message:${sent.body.id}:${contactEmail}`));
  expect(row.to).toBe(contactEmail);
});

test('a message is one timeline entry per Idempotency-Key, in the office view and the customer projection', async () => {
  const projectId = await customerCase('Panels look dirty');
  const headers = { 'Idempotency-Key': crypto.randomUUID() };
  const body = { body: 'Could someone clean them?' };
  const answers = await Promise.all([0, 1, 2].map(() => api().as('customer').post(`/projects/${projectId}/messages`, body, headers)));
  expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
  expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  // The same key with another body is refused and writes nothing.
  expect((await api().as('customer').post(`/projects/${projectId}/messages`, { body: 'something else' }, headers)).status).toBe(422);
  const staffKey = { 'Idempotency-Key': crypto.randomUUID() };
  const fromOffice = await api().as('ops').post(`/projects/${projectId}/messages`, { body: 'Booked for Tuesday.' }, staffKey);
  expect((await api().as('ops').post(`/projects/${projectId}/messages`, { body: 'Booked for Tuesday.' }, staffKey)).body.id).toBe(fromOffice.body.id);

  const office = (await api().as('ops').get(`/projects/${projectId}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'case_message');
  expect(office).toHaveLength(2);
  expect(office[0].summary).toMatch(/: Could someone clean them\?$/);
  expect(office[1].summary).toMatch(/: Booked for Tuesday\.$/);
  expect(office[0].data).toMatchObject({ messageId: answers[0].body.id, from: 'customer' });
  const customer = (await api().as('customer').get(`/projects/${projectId}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'case_message');
  expect(customer).toHaveLength(2);
  expect(customer[0].summary).toMatch(/^Message from .+: Could someone clean them\?$/);
  expect(customer[1].summary).toMatch(/^Message from .+: Booked for Tuesday\.$/);
  // The customer's projection of the entry carries no data and no staff ids.
  expect(customer[1].data).toBeUndefined();
  expect(customer[1].actor).toEqual({ id: 'ops', role: 'ops' });
  const rows = await system.database.db.select().from(caseMessages).where(eq(caseMessages.projectId, projectId));
  expect(rows).toHaveLength(2);
  // One mail per message and recipient, however often the request came.
  const queued = await system.database.db.select().from(mailOutbox).where(like(mailOutbox.key, `case-message:${answers[0].body.id}:%`));
  expect(queued).toHaveLength(1);
});

test('another customer, an installer and an unknown case get 403/404 and leave nothing behind', async () => {
  const projectId = await customerCase('Battery warning light');
  expect((await api().as('customer').post(`/projects/${projectId}/messages`, { body: 'It is blinking red.' })).status).toBe(201);
  const read = await api().as('customer2').get(`/projects/${projectId}/messages`);
  const write = await api().as('customer2').post(`/projects/${projectId}/messages`, { body: 'hello' });
  expect(read.status).toBe(403);
  expect(write.status).toBe(403);
  expect(JSON.stringify(read.body)).not.toContain('blinking');
  // Installers talk to the office in their job's channel, not in the customer's thread.
  expect((await api().as('installer').get(`/projects/${projectId}/messages`)).status).toBe(403);
  expect((await api().as('installer').post(`/projects/${projectId}/messages`, { body: 'hi' })).status).toBe(403);
  expect((await api().as('customer').get('/projects/prj_nothere/messages')).status).toBe(404);
  expect((await api().as('customer').post('/projects/prj_nothere/messages', { body: 'hi' })).status).toBe(404);
  const rows = await system.database.db.select().from(caseMessages).where(eq(caseMessages.projectId, projectId));
  expect(rows.map((row) => row.body)).toEqual(['It is blinking red.']);
});

test('bad bodies are 400 naming every field, and write nothing; attachments must be the case’s customer-readable documents', async () => {
  const projectId = await customerCase('Meter box door broken');
  const bad = await api().as('customer').post(`/projects/${projectId}/messages`, { body: '   ', documentIds: ['doc_nothere'], colour: 'red' });
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toContain('application/problem+json');
  expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body', 'documentIds']));
  const tooLong = await api().as('ops').post(`/projects/${projectId}/messages`, { body: 'x'.repeat(4001), documentIds: 'doc' });
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body', 'documentIds']);
  // A document of another case is not this case's.
  const other = new Flow(api(), await customerCase('Another case'));
  const foreignDocument = await other.uploadDocument('other.pdf', '%PDF-1.4 other');
  const foreign = await api().as('ops').post(`/projects/${projectId}/messages`, { body: 'see attached', documentIds: [foreignDocument.id] });
  expect(foreign.status).toBe(400);
  expect(foreign.body.errors).toEqual([{ path: 'documentIds', message: expect.stringContaining(foreignDocument.id) }]);
  expect(await system.database.db.select().from(caseMessages).where(eq(caseMessages.projectId, projectId))).toEqual([]);
  expect((await system.database.db.select().from(timeline).where(and(eq(timeline.projectId, projectId), eq(timeline.kind, 'case_message')))).length).toBe(0);

  // The office attaches the case's own document; the customer can open it from the thread.
  const flow = new Flow(api(), projectId);
  const quote = await flow.uploadDocument('quote.pdf', '%PDF-1.4 quote for the door');
  const sent = await api().as('ops').post(`/projects/${projectId}/messages`, { body: 'Here is the quote', documentIds: [quote.id, quote.id] });
  expect(sent.status).toBe(201);
  expect(sent.body.documentIds).toEqual([quote.id]);
  const seen = (await api().as('customer').get(`/projects/${projectId}/messages`)).body.items[0];
  expect(seen.documentIds).toEqual([quote.id]);
  expect((await api().as('customer').get(`/documents/${quote.id}`)).status).toBe(200);
});

test('the thread pages oldest first, and an open page hears of a new message', async () => {
  const projectId = await customerCase('Pages');
  for (const body of ['one', 'two', 'three']) expect((await api().as('customer').post(`/projects/${projectId}/messages`, { body })).status).toBe(201);
  const first = (await api().as('ops').get(`/projects/${projectId}/messages?limit=2`)).body;
  expect(first.items.map((m: { body: string }) => m.body)).toEqual(['one', 'two']);
  expect(first.nextCursor).toEqual(expect.any(String));
  const second = (await api().as('ops').get(`/projects/${projectId}/messages?limit=2&cursor=${first.nextCursor}`)).body;
  expect(second).toEqual({ items: [expect.objectContaining({ body: 'three' })], nextCursor: null });
  expect((await api().as('ops').get(`/projects/${projectId}/messages?cursor=nonsense`)).status).toBe(400);

  const { ticket } = (await api().as('customer').post('/stream/tickets')).body;
  const controller = new AbortController();
  const response = await fetch(`${api().baseUrl}/stream?projectId=${projectId}&ticket=${ticket}`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  const heard = (async () => {
    while (!text.includes('"caseMessageId"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream closed first: ${text}`);
      text += new TextDecoder().decode(value);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const sent = await api().as('ops').post(`/projects/${projectId}/messages`, { body: 'We are on it' });
  await heard;
  expect(text).toContain(`"caseMessageId":"${sent.body.id}"`);
  controller.abort();
});
