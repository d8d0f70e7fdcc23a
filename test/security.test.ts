// The attacks of issue 14, tried over real HTTP: handing work to someone else, taking a
// job twice, replayed/stale/cross-source webhooks, HTML uploads, tokens in logs, a keyed
// create retried after the project closed, overwriting another site's assets, and a
// disabled user's token.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { createChangeFeed } from '../api/changes';
import { untrustedForwardingWarning } from '../api/limits';
import { discardUpload } from '../api/routes/documents';
import type { Database } from '../db';
import { documents } from '../db/schema';
import { localDocumentStore } from '../runtime/document-store';
import { createLogger } from '../runtime/logger';
import { waitForMail } from './support/mailbox';
import { Flow, webhookHeaders } from './support/flows';
import { DESIGN_WEBHOOK_SECRET, startTestSystem, WEBHOOK_SECRET, type TestSystem } from './support/system';

const NEXT_WEBHOOK_SECRET = `whsec_${Buffer.from('the-next-manufacturer-webhook-key').toString('base64')}`;
let system: TestSystem;
let logText = '';
const api = () => system.api;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  system = await startTestSystem(
    // A rotation in progress: the old and the new manufacturer secret are both valid.
    // One proxy in front: the per-email login limit is tried from many (forwarded) addresses.
    { WEBHOOK_SECRET_MANUFACTURER: `${WEBHOOK_SECRET} ${NEXT_WEBHOOK_SECRET}`, TRUST_PROXY_HOPS: '1' },
    { logger: createLogger('info', sink) },
  );
});
afterAll(() => system?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timelineOf = async (projectId: string) => (await api().as('ops').get(`/projects/${projectId}/timeline`)).body.items;

async function jobOffer(): Promise<Flow> {
  const flow = await Flow.create(api(), 'Offer');
  await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  return flow;
}

describe('jobs and installers', () => {
  test('installerId spoofing is refused and changes nothing', async () => {
    const flow = await jobOffer();
    const task = await flow.openTask('accept_schedule_job');
    const at = { scheduledStart: '2026-12-01T09:00:00+10:30' };
    // An installer hands the job (and its visibility) to someone else.
    expect((await api().as('installer').post(`/tasks/${task.id}/complete`, { ...at, installerId: 'usr_demo_installer2' })).status).toBe(403);
    // Staff name someone who is no installer, or nobody at all.
    const notInstaller = await api().as('ops').post(`/tasks/${task.id}/complete`, { ...at, installerId: 'usr_demo_customer' });
    expect(notInstaller.status).toBe(400);
    expect(notInstaller.body.errors).toEqual([expect.objectContaining({ path: 'installerId' })]);
    expect((await api().as('ops').post(`/tasks/${task.id}/complete`, { ...at, installerId: 'usr_nobody' })).status).toBe(400);
    expect((await flow.openTask('accept_schedule_job')).status).toBe('open');
    expect((await flow.project()).jobs[0].installerId).toBeUndefined();
    // Assigning over the jobs route checks the same.
    const jobId = (await flow.project()).jobs[0].id;
    expect((await api().as('ops').post(`/jobs/${jobId}/assign`, { installerId: 'usr_demo_ops' })).status).toBe(400);
    expect((await api().as('installer').post(`/jobs/${jobId}/assign`, { installerId: 'usr_demo_installer' })).status).toBe(403);
  });

  test('a job accepted by ops without an installer is an offer: no installer does its field work until one claims it', async () => {
    const flow = await jobOffer();
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'ops');
    const checklist = await flow.openTask('audit_checklist');
    for (const installer of ['installer', 'installer2']) {
      expect((await api().as(installer).post(`/tasks/${checklist.id}/complete`, { answers: {} })).status).toBe(403);
      // They see the offer (the project's offer view), not the project's timeline.
      expect((await api().as(installer).get(`/projects/${flow.projectId}/timeline`)).status).toBe(403);
    }
    const jobId = (await flow.project()).jobs[0].id;
    expect((await api().as('installer').get(`/jobs/${jobId}`)).body).toMatchObject({ id: jobId, status: 'open' });
  });

  test('an offer shows every installer the job and where, not the rest of the project', async () => {
    const flow = await jobOffer();
    for (const installer of ['installer', 'installer2']) {
      const view = (await api().as(installer).get(`/projects/${flow.projectId}`)).body;
      expect(view).toMatchObject({ id: flow.projectId, title: 'Offer', siteId: 'sit_demo' });
      expect(view.openTasks.map((task: { type: string }) => task.type)).toEqual(['accept_schedule_job']);
      expect(view).not.toHaveProperty('workflowId');
      expect((await api().as(installer).get(`/projects/${flow.projectId}/timeline`)).status).toBe(403);
      expect((await api().as(installer).get(`/projects/${flow.projectId}/documents`)).status).toBe(403);
    }
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer2');
    expect((await api().as('installer').get(`/projects/${flow.projectId}`)).status).toBe(403);
    expect((await api().as('installer2').get(`/projects/${flow.projectId}/timeline`)).status).toBe(200);
  });

  // Needs the workflow side of the contract (assignJobUpdate in siteJob): until it is
  // merged the claim answers 500, so this test fails on the access-policy branch alone.
  test('two installers claiming one job at once: one owner, the other gets 409', async () => {
    const flow = await jobOffer();
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'ops');
    const jobId = (await flow.project()).jobs[0].id;
    const answers = await Promise.all(['installer', 'installer2'].map((installer) => api().as(installer).post(`/jobs/${jobId}/claim`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.status === 200)!.body.installerId;
    expect(['usr_demo_installer', 'usr_demo_installer2']).toContain(winner);
    expect((await flow.project()).jobs[0].installerId).toBe(winner);
    const checklist = await flow.openTask('audit_checklist');
    const loser = winner === 'usr_demo_installer' ? 'installer2' : 'installer';
    expect((await api().as(loser).post(`/tasks/${checklist.id}/complete`, { answers: {} })).status).toBe(403);
  });
});

describe('what customers and installers see of a project', () => {
  const uploadAs = async (role: string, projectId: string, name: string, content: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append('file', new Blob([content], { type: 'application/pdf' }), name);
    const token = await api().login(`${role}@demo.test`);
    return api().request('POST', `/projects/${projectId}/documents`, { raw: form, headers: { Authorization: `Bearer ${token}` } });
  };
  const documentIds = async (role: string, projectId: string) => (await api().as(role).get(`/projects/${projectId}/documents`)).body.items.map((doc: { id: string }) => doc.id);

  test("a customer's timeline names no installer and carries no internal note, and its pages are full", async () => {
    const flow = await jobOffer();
    const jobId = (await flow.project()).jobs[0].id;
    expect((await api().as('installer').post(`/jobs/${jobId}/claim`)).status).toBe(200);
    const reason = 'internal: the customer is difficult, do not tell them';
    expect((await api().as('supervisor').post(`/projects/${flow.projectId}/cancel`, { reason })).status).toBe(200);
    // Staff see the installer and the reason in the summaries...
    const staffText = JSON.stringify(await timelineOf(flow.projectId));
    expect(staffText).toContain('usr_demo_installer');
    expect(staffText).toContain(reason);
    // ...the customer gets fixed texts from the entry's kind and data.
    const items = (await api().as('customer').get(`/projects/${flow.projectId}/timeline?limit=200`)).body.items;
    const text = JSON.stringify(items);
    expect(text).not.toContain('usr_');
    expect(text).not.toContain('difficult');
    const summaries = items.map((entry: { summary: string }) => entry.summary);
    expect(summaries).toEqual(expect.arrayContaining(['Case opened', 'Audit job 1: an installer is assigned', 'Case cancelled']));
    expect(summaries.filter((summary: string) => /claimed|Cancelled:/.test(summary))).toEqual([]);
    // Filtered before the LIMIT: a short page only at the end.
    const first = (await api().as('customer').get(`/projects/${flow.projectId}/timeline?limit=2`)).body;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const bad = Buffer.from(JSON.stringify(['not a date', 1])).toString('base64url');
    const refused = await api().as('customer').get(`/projects/${flow.projectId}/timeline?cursor=${bad}`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await api().as('ops').get(`/tasks?cursor=${bad}`)).status).toBe(400);
  });

  test("an installer reads only the documents of their own jobs, and uploads only while a job there is open", async () => {
    const flow = await Flow.create(api(), 'Documents');
    await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'replacement' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-02T08:00:00+10:30' }, 'installer');
    const jobId = (await flow.project()).jobs[0].id;
    const office = (await uploadAs('ops', flow.projectId, 'office.pdf', '%PDF-1.4 office only')).body;
    const forJob = (await uploadAs('ops', flow.projectId, 'plan.pdf', '%PDF-1.4 job plan', { jobId })).body;
    expect(forJob.jobId).toBe(jobId);
    const photo = await uploadAs('installer', flow.projectId, 'photo.pdf', '%PDF-1.4 site photo');
    expect(photo.status).toBe(201);
    expect(photo.body).toMatchObject({ jobId });
    expect(photo.body).not.toHaveProperty('uploadedBy');
    // An installer names only their own open job; staff only a job of the project.
    expect((await uploadAs('installer', flow.projectId, 'x.pdf', '%PDF-1.4 x', { jobId: 'job_other' })).status).toBe(403);
    expect((await uploadAs('ops', flow.projectId, 'x.pdf', '%PDF-1.4 x', { jobId: 'job_other' })).status).toBe(400);
    // The office's own document is not field work: neither listed nor served to the installer.
    // The job's work order (made when it was confirmed) is field work of the job too.
    const workOrder = `doc_wo_${jobId}_v1`;
    expect((await documentIds('installer', flow.projectId)).sort()).toEqual([forJob.id, photo.body.id, workOrder].sort());
    expect((await api().as('installer').get(`/documents/${office.id}`)).status).toBe(403);
    expect((await api().as('installer').get(`/documents/${forJob.id}`)).status).toBe(200);
    // Customers and installers see no uploader.
    for (const role of ['installer', 'customer']) {
      for (const doc of (await api().as(role).get(`/projects/${flow.projectId}/documents`)).body.items) expect(doc).not.toHaveProperty('uploadedBy');
    }
    // The customer: the three uploads, not the work order (it names technicians and internal prices).
    expect((await documentIds('customer', flow.projectId)).sort()).toEqual([office.id, forJob.id, photo.body.id].sort());
    expect((await api().as('customer').get(`/documents/${workOrder}`)).status).toBe(403);
    expect((await api().as('ops').get(`/documents/${workOrder}`)).status).toBe(200);
    // A document named by a task of their job becomes part of their field work.
    await flow.fillProtocol();
    await flow.complete('pre_start_checklist', {}, 'installer');
    await flow.complete('testing_commissioning', {}, 'installer');
    await flow.complete('review_replacement_artefacts', { note: 'photos fine' });
    await flow.complete('update_asset_serials', { assets: [{ make: 'Fronius', model: 'Primo 5.0', serial: 'FR-2002' }] });
    const certificate = (await uploadAs('ops', flow.projectId, 'coc.pdf', '%PDF-1.4 certificate of compliance')).body;
    expect((await api().as('installer').get(`/documents/${certificate.id}`)).status).toBe(403);
    expect((await api().as('installer').post(`/projects/${flow.projectId}/documents`)).status).not.toBe(403); // still open: allowed (400, no file)
    await flow.complete('upload_regulatory_documents', { documentIds: [certificate.id] });
    expect((await api().as('installer').get(`/documents/${certificate.id}`)).status).toBe(200);
    expect(await documentIds('installer', flow.projectId)).toContain(certificate.id);
    expect((await api().as('installer').get(`/documents/${office.id}`)).status).toBe(403);
    // The job is done: the past installer reads their view but uploads nothing more.
    expect((await flow.project()).jobs[0].status).toBe('done');
    const late = await uploadAs('installer', flow.projectId, 'late.pdf', '%PDF-1.4 late');
    expect(late.status).toBe(403);
    expect((await api().as('installer').get(`/projects/${flow.projectId}/timeline`)).status).toBe(200);
    expect((await api().as('installer').get(`/documents/${photo.body.id}`)).status).toBe(200);
  });
});

describe('the stream and offers', () => {
  /** Opens a stream as `role` and collects its change notices until `stop` is called. */
  async function listen(role: string, projectId: string) {
    const { ticket } = (await api().as(role).post('/stream/tickets')).body;
    const controller = new AbortController();
    const response = await fetch(`${api().baseUrl}/stream?projectId=${projectId}&ticket=${ticket}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    const reading = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      } catch {
        // aborted
      }
    })();
    await sleep(100);
    return {
      async stop() {
        await sleep(700);
        controller.abort();
        await reading;
        return text
          .split('\n\n')
          .filter((event) => event.startsWith('event: change'))
          .map((event) => JSON.parse(event.split('data: ')[1]) as { projectId: string; jobId?: string; taskIds?: string[] });
      },
    };
  }

  test('when the database listener comes back, every subscriber of the change feed is told to resync', async () => {
    let resync: (() => void) | undefined;
    const database = {
      async listen(_channel: string, _handler: (payload: string) => void, onResync?: () => void) {
        resync = onResync;
        return async () => undefined;
      },
    } as unknown as Database;
    const feed = createChangeFeed(database);
    const heard: string[] = [];
    const stopA = await feed.subscribe(() => undefined, () => heard.push('a'));
    await feed.subscribe(() => undefined, () => heard.push('b'));
    resync!();
    expect(heard.sort()).toEqual(['a', 'b']);
    stopA();
    resync!();
    expect(heard.sort()).toEqual(['a', 'b', 'b']);
    await feed.close();
  });

  test("a past installer following a project hears nothing of the next installer's job; an offer shows the site's address", async () => {
    const flow = await Flow.create(api(), 'Stream');
    await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer2');
    await flow.fillProtocol('installer2');
    await flow.complete('audit_checklist', {}, 'installer2');
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
    await flow.complete('audit_review', { outcome: 'completed' });
    await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
    await flow.complete('confirm_job');
    // Job 2 is an offer: every installer sees where it is.
    const offer = (await api().as('installer').get(`/projects/${flow.projectId}`)).body;
    expect(offer.siteAddress).toEqual(expect.any(String));
    expect(offer.siteAddress.length).toBeGreaterThan(0);
    const secondJob = (await flow.project()).jobs.find((job: { sequence: number }) => job.sequence === 2).id;
    const [past, taker, office] = await Promise.all([listen('installer2', flow.projectId), listen('installer', flow.projectId), listen('ops', flow.projectId)]);
    expect((await api().as('installer').post(`/jobs/${secondJob}/claim`)).status).toBe(200);
    await sleep(2100); // past any visibility the streams remember
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-03T09:00:00+10:30' }, 'installer');
    const checklist = await flow.openTask('audit_checklist');
    await flow.fillProtocol();
    await flow.complete('audit_checklist', {}, 'installer');
    const [pastNotices, takerNotices, officeNotices] = await Promise.all([past.stop(), taker.stop(), office.stop()]);
    const aboutJob2 = (notices: { jobId?: string; taskIds?: string[] }[]) => notices.filter((notice) => notice.jobId === secondJob || notice.taskIds?.includes(checklist.id));
    expect(aboutJob2(officeNotices).length).toBeGreaterThan(0);
    expect(aboutJob2(takerNotices).length).toBeGreaterThan(0);
    expect(aboutJob2(pastNotices)).toEqual([]);
    for (const notice of pastNotices) expect(notice.jobId === undefined || notice.jobId !== secondJob).toBe(true);
  });
});

describe('webhooks', () => {
  async function waitingForManufacturer(): Promise<Flow> {
    const flow = await Flow.create(api(), 'Webhook');
    await flow.complete('service_request', { description: 'x', resolution: 'manufacturer' });
    return flow;
  }

  test('a replayed delivery answers 202 and changes nothing', async () => {
    const flow = await waitingForManufacturer();
    const raw = JSON.stringify({ type: 'manufacturer.outcome', projectId: flow.projectId, outcome: 'site_visit_required', jobType: 'audit' });
    const headers = { 'content-type': 'application/json', ...webhookHeaders(WEBHOOK_SECRET, raw) };
    expect((await api().request('POST', '/events/manufacturer', { raw, headers })).status).toBe(202);
    const deadline = Date.now() + 10_000;
    // Settled: the job's first task is open (the child writes it just after the stage).
    while (!(await flow.project()).openTasks.some((task: { type: string }) => task.type === 'confirm_job') && Date.now() < deadline) await sleep(100);
    const before = { project: await flow.project(), timeline: await timelineOf(flow.projectId) };
    const replay = await api().request('POST', '/events/manufacturer', { raw, headers });
    expect(replay.status).toBe(202);
    await sleep(500);
    expect({ project: await flow.project(), timeline: await timelineOf(flow.projectId) }).toEqual(before);
    expect(before.timeline.filter((entry: { kind: string }) => entry.kind === 'event')).toHaveLength(1);
  });

  test('a stale delivery and a delivery signed by another source are refused and change nothing', async () => {
    const flow = await waitingForManufacturer();
    const before = { project: await flow.project(), timeline: await timelineOf(flow.projectId) };
    const raw = JSON.stringify({ type: 'manufacturer.outcome', projectId: flow.projectId, outcome: 'resolved' });
    const stale = webhookHeaders(WEBHOOK_SECRET, raw, { at: new Date(Date.now() - 6 * 60_000) });
    expect((await api().request('POST', '/events/manufacturer', { raw, headers: stale })).status).toBe(401);
    const future = webhookHeaders(WEBHOOK_SECRET, raw, { at: new Date(Date.now() + 6 * 60_000) });
    expect((await api().request('POST', '/events/manufacturer', { raw, headers: future })).status).toBe(401);
    // The design tool's secret does not speak for the manufacturer, nor the other way round.
    expect((await api().request('POST', '/events/manufacturer', { raw, headers: webhookHeaders(DESIGN_WEBHOOK_SECRET, raw) })).status).toBe(401);
    expect((await api().request('POST', '/events/design', { raw, headers: webhookHeaders(WEBHOOK_SECRET, raw) })).status).toBe(401);
    // A signature over another body, or another delivery id, does not fit.
    const signed = webhookHeaders(WEBHOOK_SECRET, raw);
    expect((await api().request('POST', '/events/manufacturer', { raw: raw.replace('resolved', 'unable_to_resolve'), headers: signed })).status).toBe(401);
    expect((await api().request('POST', '/events/manufacturer', { raw, headers: { ...signed, 'webhook-id': 'msg_other' } })).status).toBe(401);
    await sleep(500);
    expect({ project: await flow.project(), timeline: await timelineOf(flow.projectId) }).toEqual(before);
  });

  test('during a rotation the old and the new secret are both accepted', async () => {
    for (const secret of [WEBHOOK_SECRET, NEXT_WEBHOOK_SECRET]) {
      const flow = await waitingForManufacturer();
      expect((await flow.sendManufacturerEvent(secret, { outcome: 'resolved' })).status).toBe(202);
    }
  });
});

describe('uploads', () => {
  const upload = async (flow: Flow, name: string, content: Buffer | string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([content], { type }), name);
    const token = await api().login('ops@demo.test');
    return api().request('POST', `/projects/${flow.projectId}/documents`, { raw: form, headers: { Authorization: `Bearer ${token}` } });
  };

  test('uploads are rate limited per user as UPLOADS_PER_MINUTE says (429 as problem+json), other users unaffected', async () => {
    const limited = await startTestSystem({ UPLOADS_PER_MINUTE: '2' });
    try {
      const flow = await Flow.create(limited.api, 'Upload burst');
      const send = async (role: string) => {
        const form = new FormData();
        form.append('file', new Blob(['%PDF-1.4 burst'], { type: 'application/pdf' }), 'burst.pdf');
        const token = await limited.api.login(`${role}@demo.test`);
        return limited.api.request('POST', `/projects/${flow.projectId}/documents`, { raw: form, headers: { Authorization: `Bearer ${token}` } });
      };
      expect([(await send('ops')).status, (await send('ops')).status]).toEqual([201, 201]);
      const third = await send('ops');
      expect(third.status).toBe(429);
      expect(third.body.detail).toMatch(/too many uploads/);
      expect((await send('supervisor')).status).toBe(201);
    } finally {
      await limited.stop();
    }
  });

  test('an HTML upload is stored as text and served as an attachment with nosniff', async () => {
    const flow = await Flow.create(api(), 'Uploads');
    const html = '<!doctype html><html><body><script>fetch("/projects")</script></body></html>';
    const stored = await upload(flow, 'invoice.html', html, 'text/html');
    expect(stored.status).toBe(201);
    expect(stored.body.contentType).toBe('text/plain; charset=utf-8');
    const token = await api().login('ops@demo.test');
    const response = await fetch(`${api().baseUrl}/documents/${stored.body.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(await response.text()).toBe(html);
  });

  test('a failed upload never deletes an object that a document uses (content-addressed: identical bytes are shared)', async () => {
    const store = localDocumentStore(fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-store-')));
    const flow = await Flow.create(api(), 'Shared bytes');
    const content = `%PDF-1.4 shared ${crypto.randomUUID()}`;
    const mine = await store.put(Readable.from([Buffer.from(content)]));
    expect(mine.created).toBe(true);
    // Between our put and our failure, someone else uploaded the same bytes: their row uses the object.
    await system.database.db.insert(documents).values({
      id: `doc_${crypto.randomUUID()}`,
      projectId: flow.projectId,
      name: 'theirs.pdf',
      size: mine.size,
      sha256: mine.sha256,
      contentType: 'application/pdf',
      storageKey: mine.key,
      uploadedBy: 'usr_demo_ops',
    });
    await discardUpload(system.database.db, store, mine);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(mine.key)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(content);
    // An object nobody uses does go.
    const orphan = await store.put(Readable.from([Buffer.from(`orphan ${crypto.randomUUID()}`)]));
    await discardUpload(system.database.db, store, orphan);
    await expect(store.get(orphan.key)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('the type comes from the bytes: a PNG whatever it claims, and unknown binaries refused', async () => {
    const flow = await Flow.create(api(), 'Uploads');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);
    expect((await upload(flow, 'photo.pdf', png, 'application/pdf')).body.contentType).toBe('image/png');
    const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), crypto.randomBytes(64)]);
    const refused = await upload(flow, 'tool.pdf', binary, 'application/pdf');
    expect(refused.status).toBe(415);
    expect((await api().as('ops').get(`/projects/${flow.projectId}/documents`)).body.items).toHaveLength(1);
  });
});

describe('tokens and logs', () => {
  test('no bearer token, stream ticket or signature appears in the log output', async () => {
    const token = await api().login('ops@demo.test');
    await api().as('ops').get('/projects?limit=1');
    const { ticket } = (await api().as('ops').post('/stream/tickets')).body;
    const controller = new AbortController();
    const stream = await fetch(`${api().baseUrl}/stream?ticket=${ticket}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    controller.abort();
    // The old way is refused, and its token is not written down either.
    expect((await fetch(`${api().baseUrl}/stream?access_token=${token}`)).status).toBe(401);
    const raw = JSON.stringify({ type: 'manufacturer.outcome', projectId: 'prj_none', outcome: 'resolved' });
    const signed = webhookHeaders(WEBHOOK_SECRET, raw);
    await api().request('POST', '/events/manufacturer', { raw, headers: signed });
    await sleep(200);
    expect(logText).toContain('/stream/tickets'); // the requests were logged
    expect(logText).toContain('"url":"/stream"');
    for (const secret of [token, ticket, signed['webhook-signature'], token.split('.')[2], ticket.split('.')[2]]) expect(logText).not.toContain(secret);
    expect(logText).not.toContain('access_token');
  });

  test("an invitation link's token is not in the log output (it signs a contact in)", async () => {
    const customer = (await api().as('ops').post('/customers', { name: `Log Customer ${crypto.randomUUID().slice(0, 6)}` })).body;
    const email = `invited-${crypto.randomUUID()}@example.test`;
    expect((await api().as('ops').post(`/customers/${customer.id}/invitations`, { email, name: 'Ina Invited' })).status).toBe(201);
    const mail = await waitForMail((m) => m.to.includes(email));
    const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect((await api().request('GET', `/invitations/${token}`)).status).toBe(200);
    await sleep(200);
    expect(logText).toContain('"url":"/invitations/'); // the request was logged
    expect(logText).not.toContain(token);
  });

  test('password guessing is rate limited (429 as problem+json)', async () => {
    const email = `guess-${crypto.randomUUID()}@example.test`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) statuses.push((await api().request('POST', '/auth/login', { body: { email, password: `guess-${attempt}` } })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another account from the same address is not locked out by it.
    expect((await api().request('POST', '/auth/login', { body: { email: 'ops@demo.test', password: 'demo' } })).status).toBe(200);
  });

  test('one account guessed from many addresses is rate limited per email; its owner still signs in', async () => {
    const email = `spread-${crypto.randomUUID()}@example.test`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 32; attempt++) {
      const headers = { 'X-Forwarded-For': `198.51.100.${attempt + 1}` };
      statuses.push((await api().request('POST', '/auth/login', { body: { email, password: `guess-${attempt}` }, headers })).status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Successful sign-ins do not count: the owner of a busy account is not locked out by them.
    for (let attempt = 0; attempt < 31; attempt++) {
      expect((await api().request('POST', '/auth/login', { body: { email: 'supervisor@demo.test', password: 'demo' }, headers: { 'X-Forwarded-For': `203.0.113.${(attempt % 5) + 1}` } })).status).toBe(200);
    }
  });

  test('X-Forwarded-For while no proxy is trusted is warned about (once a minute)', () => {
    let text = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    const forwarded = { headers: { 'x-forwarded-for': '203.0.113.9' }, socket: { remoteAddress: '10.0.0.2' } } as unknown as Request;
    const direct = { headers: {}, socket: { remoteAddress: '10.0.0.2' } } as unknown as Request;
    const next = jest.fn();
    untrustedForwardingWarning(logger, 1)(forwarded, {} as Response, next);
    untrustedForwardingWarning(logger, 0)(direct, {} as Response, next);
    expect(text).toBe('');
    const warn = untrustedForwardingWarning(logger, 0);
    warn(forwarded, {} as Response, next);
    warn(forwarded, {} as Response, next);
    expect(next).toHaveBeenCalledTimes(4);
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: expect.anything(), msg: expect.stringContaining('TRUST_PROXY_HOPS is 0') });
  });

  test("a disabled user's token and password stop working", async () => {
    const email = `temp-${crypto.randomUUID()}@example.test`;
    const created = await api().as('admin').post('/users', { email, name: 'Temp Installer', role: 'installer', password: 'a long enough password' });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    expect((await api().as('admin').post('/users', { email: `c-${email}`, name: 'No customer', role: 'customer', password: 'a long enough password' })).status).toBe(400);
    const token = await api().login(email, 'a long enough password');
    const named = async () => ((await api().as('ops').get('/people')).body.items as Array<{ id: string }>).some((person) => person.id === created.body.id);
    expect(await named()).toBe(true);
    const me = await api().request('GET', '/auth/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(me.body).toMatchObject({ id: created.body.id, role: 'installer' });
    expect((await api().as('admin').post(`/users/${created.body.id}/disable`)).body).toMatchObject({ disabled: true });
    expect((await api().request('GET', '/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await api().request('POST', '/auth/login', { body: { email, password: 'a long enough password' } })).status).toBe(401);
    const listed = (await api().as('admin').get('/users?limit=500')).body.items;
    expect(listed.find((user: { id: string }) => user.id === created.body.id)).toMatchObject({ disabled: true });
    // Nobody picks them to assign work to any more.
    expect(await named()).toBe(false);
    expect(JSON.stringify(listed)).not.toMatch(/password|\$2[aby]\$/);
  });
});

describe('idempotent project creation', () => {
  test('a keyed create retried after the project closed makes nothing new; another body with the key is 422', async () => {
    const key = crypto.randomUUID();
    const body = { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title: `Keyed ${key}` };
    const first = await api().as('ops').post('/projects', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const flow = new Flow(api(), first.body.id);
    await flow.complete('service_request', { description: 'x', resolution: 'not_required' });
    expect((await flow.project()).stage).toBe('closed');
    const timeline = await timelineOf(flow.projectId);
    const retried = await api().as('ops').post('/projects', body, { 'Idempotency-Key': key });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: first.body.id, stage: 'closed' });
    await sleep(300);
    expect(await timelineOf(flow.projectId)).toEqual(timeline);
    const runs = [];
    for await (const run of system.temporal.workflow.list({ query: `WorkflowId = "${first.body.workflowId}"` })) runs.push(run.runId);
    expect(runs).toHaveLength(1);
    const listed = (await api().as('ops').get('/projects?limit=200')).body.items.filter((project: { title?: string }) => project.title === body.title);
    expect(listed).toHaveLength(1);
    const other = await api().as('ops').post('/projects', { ...body, siteId: 'sit_demo2', customerId: 'cus_demo2' }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('idempotency keys', () => {
  test('a task completion key reused with another body is 422 and changes nothing; the same body answers as before', async () => {
    const flow = await Flow.create(api(), 'Keyed completion');
    const task = await flow.openTask('service_request');
    const key = crypto.randomUUID();
    const body = { description: 'first', resolution: 'manufacturer' };
    const first = await api().as('ops').post(`/tasks/${task.id}/complete`, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    const before = { project: await flow.project(), timeline: await timelineOf(flow.projectId) };
    const other = await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'second', resolution: 'not_required' }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    const again = await api().as('ops').post(`/tasks/${task.id}/complete`, { resolution: 'manufacturer', description: 'first' }, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.body.task).toMatchObject({ id: task.id, status: 'done', payload: body });
    await sleep(300);
    expect({ project: await flow.project(), timeline: await timelineOf(flow.projectId) }).toEqual(before);
  });

  test('an Idempotency-Key over 200 characters is 400 problem+json on both routes, not a 500', async () => {
    const long = 'k'.repeat(201);
    const created = await api().as('ops').post('/projects', { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title: 'Long key' }, { 'Idempotency-Key': long });
    expect(created.status).toBe(400);
    expect(created.headers.get('content-type')).toContain('application/problem+json');
    const flow = await Flow.create(api(), 'Long key');
    const task = await flow.openTask('service_request');
    const completed = await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'manufacturer' }, { 'Idempotency-Key': long });
    expect(completed.status).toBe(400);
    expect(completed.headers.get('content-type')).toContain('application/problem+json');
    expect((await flow.openTask('service_request')).status).toBe('open');
    // 200 characters are fine.
    expect((await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'manufacturer' }, { 'Idempotency-Key': 'k'.repeat(200) })).status).toBe(200);
  });
});

describe('assets', () => {
  async function toAssetRegister(customerId: string, siteId: string, installer: string): Promise<Flow> {
    const flow = await Flow.create(api(), 'Assets', customerId, siteId);
    await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, installer);
    await flow.fillProtocol(installer);
    await flow.complete('audit_checklist', {}, installer);
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: true });
    return flow;
  }

  test("an asset of another site cannot be overwritten through a project's register update", async () => {
    const [mine, theirs] = await Promise.all([toAssetRegister('cus_demo', 'sit_demo', 'installer'), toAssetRegister('cus_demo2', 'sit_demo2', 'installer2')]);
    const theirTask = await theirs.openTask('update_asset_register');
    await theirs.complete('update_asset_register', { assets: [{ make: 'Fronius', model: 'Primo', serial: 'THEIRS-1' }] });
    const theirAsset = `${theirTask.id}-a1`;
    const task = await mine.openTask('update_asset_register');
    const answer = await api().as('ops').post(`/tasks/${task.id}/complete`, { assets: [{ assetId: theirAsset, make: 'X', model: 'Y', serial: 'HIJACKED' }] });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ path: 'assets.0.assetId', message: expect.stringContaining(theirAsset) }]);
    expect((await mine.openTask('update_asset_register')).status).toBe('open');
  });
});
