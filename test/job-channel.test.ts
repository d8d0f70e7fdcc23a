// The job channel (seed 003): office and installer talk about one job, with photos, live.
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

async function upload(flow: Flow, role: string) {
  return (await flow.uploadImage('meter.png', role)).id as string;
}

async function jobFor(installer: string) {
  const flow = await Flow.create(api(), 'Channel');
  await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+01:00' }, installer);
  const jobId = (await flow.project()).jobs[0].id as string;
  return { flow, jobId };
}

test('office and installer exchange messages with a photo; they are in the job timeline, once per key', async () => {
  const { flow, jobId } = await jobFor('installer');
  const first = await api().as('ops').post(`/jobs/${jobId}/messages`, { body: 'Customer says the gate code is 4512' });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ jobId, body: 'Customer says the gate code is 4512', author: { role: 'ops' } });

  const photo = await upload(flow, 'installer');
  const headers = { 'Idempotency-Key': 'phone-retry-1' };
  const reply = await api().as('installer').post(`/jobs/${jobId}/messages`, { body: 'On site, meter box photo attached', documentIds: [photo] }, headers);
  expect(reply.status).toBe(201);
  // The phone retried after a lost answer: the same message, not a second one.
  const again = await api().as('installer').post(`/jobs/${jobId}/messages`, { body: 'On site, meter box photo attached', documentIds: [photo] }, headers);
  expect(again.body.id).toBe(reply.body.id);
  // The same key with another body is refused and writes nothing.
  expect((await api().as('installer').post(`/jobs/${jobId}/messages`, { body: 'something else' }, headers)).status).toBe(422);

  const thread = (await api().as('installer').get(`/jobs/${jobId}/messages`)).body.items;
  expect(thread.map((m: { body: string }) => m.body)).toEqual(['Customer says the gate code is 4512', 'On site, meter box photo attached']);
  expect(thread[1].documentIds).toEqual([photo]);

  const timeline = (await api().as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items;
  const messages = timeline.filter((entry: { kind: string }) => entry.kind === 'message');
  expect(messages).toHaveLength(2);
  expect(messages[1]).toMatchObject({ jobId, summary: expect.stringContaining('On site, meter box photo attached') });
  // The customer's timeline does not carry the office's talk with the field.
  const customerTimeline = (await api().as('customer').get(`/projects/${flow.projectId}/timeline`)).body.items;
  expect(customerTimeline.some((entry: { kind: string }) => entry.kind === 'message')).toBe(false);
  // The office's photo in the channel is the installer's to see, the job not being theirs otherwise.
  const fromOffice = await upload(flow, 'ops');
  expect((await api().as('installer').get(`/documents/${fromOffice}`)).status).toBe(403);
  expect((await api().as('ops').post(`/jobs/${jobId}/messages`, { body: 'The fuse box, see photo', documentIds: [fromOffice] })).status).toBe(201);
  expect((await api().as('installer').get(`/documents/${fromOffice}`)).status).toBe(200);
  expect((await api().as('installer2').get(`/documents/${fromOffice}`)).status).toBe(403);
  // A PDF attached in the channel (the customer's own quote, say) stays the customer's.
  const quote = await flow.uploadDocument('quote.pdf', '%PDF-1.4 quote');
  expect((await api().as('ops').post(`/jobs/${jobId}/messages`, { body: 'Their quote', documentIds: [quote.id] })).status).toBe(201);
  expect((await api().as('customer').get(`/documents/${quote.id}`)).status).toBe(200);
  // Nor does the photo sent in the channel become one of the customer's documents.
  const customerDocuments = (await api().as('customer').get(`/projects/${flow.projectId}/documents`)).body.items.map((d: { id: string }) => d.id);
  expect(customerDocuments).not.toContain(photo);
  expect((await api().as('customer').get(`/documents/${photo}`)).status).toBe(403);
  expect((await api().as('ops').get(`/documents/${photo}`)).status).toBe(200);
});

test('bad messages are refused and write nothing; nobody else reads or writes the channel', async () => {
  const { flow, jobId } = await jobFor('installer');
  const empty = await api().as('ops').post(`/jobs/${jobId}/messages`, { body: '   ' });
  expect(empty.status).toBe(400);
  expect(empty.body.errors[0].path).toBe('body');
  const foreign = await api().as('ops').post(`/jobs/${jobId}/messages`, { body: 'see photo', documentIds: ['doc_nothere'] });
  expect(foreign.status).toBe(400);
  expect(foreign.body.errors[0]).toMatchObject({ path: 'documentIds' });
  // Another installer's job: neither read nor write.
  expect((await api().as('installer2').get(`/jobs/${jobId}/messages`)).status).toBe(403);
  expect((await api().as('installer2').post(`/jobs/${jobId}/messages`, { body: 'hi' })).status).toBe(403);
  expect((await api().as('customer').get(`/jobs/${jobId}/messages`)).status).toBe(403);
  expect((await api().as('ops').get('/jobs/job_unknown/messages')).status).toBe(404);
  expect((await api().as('ops').get(`/jobs/${jobId}/messages`)).body.items).toEqual([]);
  void flow;
});

test('a message reaches the installer’s open stream within a moment', async () => {
  const { flow, jobId } = await jobFor('installer');
  const { ticket } = (await api().as('installer').post('/stream/tickets')).body;
  const controller = new AbortController();
  const response = await fetch(`${api().baseUrl}/stream?projectId=${flow.projectId}&ticket=${ticket}`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const received = (async () => {
    let text = '';
    while (!text.includes('"messageId"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream closed before the message: ${text}`);
      text += new TextDecoder().decode(value);
    }
    return text;
  })();
  // The customer follows the same project: they hear of the case, never of the channel.
  const customerTicket = (await api().as('customer').post('/stream/tickets')).body.ticket;
  const customerStream = await fetch(`${api().baseUrl}/stream?projectId=${flow.projectId}&ticket=${customerTicket}`, { signal: controller.signal });
  let heardByCustomer = '';
  const customerReader = customerStream.body!.getReader();
  void (async () => {
    for (;;) heardByCustomer += new TextDecoder().decode((await customerReader.read()).value ?? new Uint8Array());
  })().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  const sent = await api().as('ops').post(`/jobs/${jobId}/messages`, { body: 'Running late?' });
  expect(sent.status).toBe(201);
  const text = await received;
  expect(text).toContain(`"jobId":"${jobId}","messageId":"${sent.body.id}"`);
  expect(Date.now() - started).toBeLessThan(2000);
  // A change the customer may hear of, after the message: once it has arrived, the message would have too.
  expect((await api().as('supervisor').post(`/projects/${flow.projectId}/cancel`, { reason: 'test over' })).status).toBe(200);
  const deadline = Date.now() + 5000;
  while (!heardByCustomer.includes('event: change') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(heardByCustomer).toContain('event: change');
  expect(heardByCustomer).not.toContain('messageId');
  expect(heardByCustomer).not.toContain(sent.body.id);
  controller.abort();
});
