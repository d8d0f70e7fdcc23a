// Field work through HTTP, the real dev server and the read model: the protocol that
// gates the field step, keyed retries, trips with their times and distance, confirmations
// that make work-order versions (read back as text), closing a job as not carried out,
// field tasks due after the appointment, and installers kept to their own jobs.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { jobs, timeline } from '../db/schema';
import { completeTaskUpdate } from '../workflows/tasks/definitions';
import { Flow } from './support/flows';
import { SalesFlow } from './support/sales-flows';
import { startTestSystem, type TestSystem } from './support/system';

const { PDFParse } = require('pdf-parse');

// The depot 0.1° of latitude north of the demo site (-34.9285, 138.6007): 11.1 km.
const DEPOT = { DEPOT_LATITUDE: '-34.8285', DEPOT_LONGITUDE: '138.6007' };
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ ...DEPOT, FIELD_TASK_DUE_AFTER_START: 'PT3S' });
});
afterAll(() => system?.stop());

const api = () => system.api;
async function send(role: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const token = await api().login(`${role}@demo.test`);
  return api().request(method, path, { ...(body !== undefined ? { body } : {}), headers: { Authorization: `Bearer ${token}`, ...headers } });
}
async function pdf(role: string, path: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const token = await api().login(`${role}@demo.test`);
  const response = await fetch(api().baseUrl + path, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
}
const pdfText = async (bytes: Buffer): Promise<string> => (await new PDFParse({ data: bytes }).getText()).text as string;

/** A service project at its audit checklist, the job taken by `installer`. */
async function atChecklist(title: string, scheduledStart = '2026-12-01T09:00:00+10:30', installer = 'installer') {
  const flow = await Flow.create(api(), title);
  await flow.complete('service_request', { description: 'Inverter shows E21 after storm', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job', { note: 'customer home after 9' });
  await flow.complete('accept_schedule_job', { scheduledStart }, installer);
  const jobId = (await flow.project()).jobs[0].id as string;
  return { flow, jobId };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

test('the field step is refused until the protocol has a line and a photo (409 naming what is missing), then accepted', async () => {
  const { flow, jobId } = await atChecklist('Protocol gate');
  const task = await flow.openTask('audit_checklist');
  const payload = { answers: await flow.validAnswers(task.id) };

  const empty = await api().as('installer').post(`/tasks/${task.id}/complete`, payload);
  expect(empty.status).toBe(409);
  expect(empty.headers.get('content-type')).toContain('application/problem+json');
  expect(empty.body.errors.map((error: { path: string }) => error.path)).toEqual(['protocol.lines', 'protocol.photos']);

  // The workflow's own validator says the same, whatever the API checked before it.
  const job = (await send('ops', 'GET', `/jobs/${jobId}`)).body;
  const refused = await system.temporal.workflow
    .getHandle(job.workflowId)
    .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, payload, actor: { id: 'usr_demo_installer', role: 'installer' } }] })
    .catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause.type).toBe('ProtocolIncomplete');
  expect((cause.details?.[0] as { path: string }[]).map((gap) => gap.path)).toEqual(['protocol.lines', 'protocol.photos']);

  // A material line from the catalogue, at its price now; still no photo.
  const material = await send('installer', 'POST', `/jobs/${jobId}/protocol/materials`, { articleId: 'art_dc_isolator', quantity: 1 });
  expect(material.status).toBe(201);
  expect(material.body.materials).toEqual([
    expect.objectContaining({ articleId: 'art_dc_isolator', articleNumber: 'DC-ISO-1000', name: 'DC isolator 1000 V 32 A', quantity: 1, unit: 'pcs', unitPriceCents: 14900 }),
  ]);
  const half = await api().as('installer').post(`/tasks/${task.id}/complete`, payload);
  expect(half.status).toBe(409);
  expect(half.body.errors.map((error: { path: string }) => error.path)).toEqual(['protocol.photos']);

  // A PDF is no photo: refused by content, and nothing changes.
  const notImage = await flow.uploadDocument('not-a-photo.pdf', '%PDF-1.4 not an image', 'installer');
  const wrong = await send('installer', 'POST', `/jobs/${jobId}/protocol/attachments`, { documentId: notImage.id, kind: 'photo' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'documentId' })]);
  // Bytes that claim PNG but are not a readable image are refused too.
  const fake = await flow.uploadImage('broken.png', 'installer', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('garbage')]));
  expect((await send('installer', 'POST', `/jobs/${jobId}/protocol/attachments`, { documentId: fake.id, kind: 'photo' })).status).toBe(400);
  expect((await send('installer', 'GET', `/jobs/${jobId}/protocol`)).body.attachments).toEqual([]);

  const photo = await flow.uploadImage('after.png');
  const attached = await send('installer', 'POST', `/jobs/${jobId}/protocol/attachments`, { documentId: photo.id, kind: 'after' });
  expect(attached.status).toBe(201);
  expect(attached.body.missing).toEqual([]);
  await flow.complete('audit_checklist', payload, 'installer');
  expect((await flow.project()).openTasks.map((t: { type: string }) => t.type)).toEqual(['review_audit_artefacts']);
  // The read model keeps a copy for lists and the console.
  const [row] = await system.database.db.select().from(jobs).where(eq(jobs.id, jobId));
  expect(row!.protocol).toMatchObject({ materials: [{ articleId: 'art_dc_isolator' }], attachments: [{ documentId: photo.id, kind: 'after' }] });
});

test('a protocol change retried with the same Idempotency-Key is applied once; another body with it is 422', async () => {
  const { jobId } = await atChecklist('Keyed protocol');
  const line = { description: 'Replaced DC isolator', minutes: 50 };
  const first = await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, line, { 'Idempotency-Key': 'work-1' });
  const again = await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, line, { 'Idempotency-Key': 'work-1' });
  expect([first.status, again.status]).toEqual([201, 201]);
  expect(again.body.work).toEqual(first.body.work);
  expect(first.body.work).toEqual([expect.objectContaining({ description: 'Replaced DC isolator', minutes: 50, technicianId: 'usr_demo_installer' })]);
  const other = await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, { ...line, minutes: 60 }, { 'Idempotency-Key': 'work-1' });
  expect(other.status).toBe(422);
  const fresh = await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, line, { 'Idempotency-Key': 'work-2' });
  expect(fresh.body.work).toHaveLength(2);

  // Removing a line, retried: once; an unknown line is 404.
  const lineId = fresh.body.work[0].id;
  const removed = await send('installer', 'DELETE', `/jobs/${jobId}/protocol/work/${lineId}`, undefined, { 'Idempotency-Key': 'rm-1' });
  const removedAgain = await send('installer', 'DELETE', `/jobs/${jobId}/protocol/work/${lineId}`, undefined, { 'Idempotency-Key': 'rm-1' });
  expect([removed.status, removedAgain.status]).toEqual([200, 200]);
  expect(removedAgain.body.work).toHaveLength(1);
  expect((await send('installer', 'DELETE', `/jobs/${jobId}/protocol/work/${lineId}`)).status).toBe(404);

  const text = await send('installer', 'PATCH', `/jobs/${jobId}/protocol`, { fault: 'DC isolator burnt', solution: 'Replaced isolator' });
  expect(text.body).toMatchObject({ fault: 'DC isolator burnt', solution: 'Replaced isolator' });
  // Bad input names the fields and changes nothing.
  const bad = await send('installer', 'POST', `/jobs/${jobId}/protocol/materials`, { articleId: 'art_nope', quantity: -1 });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((error: { path: string }) => error.path)).toContain('quantity');
  expect((await send('installer', 'GET', `/jobs/${jobId}/protocol`)).body.materials).toEqual([]);
});

test('trips: planned with the distance from the depot, then on my way, arrived and finished, with their times', async () => {
  const { jobId } = await atChecklist('Trips');
  const planned = await send('installer', 'POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' }, { 'Idempotency-Key': 'trip-1' });
  expect(planned.status).toBe(201);
  expect(planned.body).toMatchObject({ type: 'field_trip', technicianIds: ['usr_demo_installer'], distanceKm: 11.1 });
  const tripId = planned.body.id;
  const retried = await send('installer', 'POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' }, { 'Idempotency-Key': 'trip-1' });
  expect(retried.body.id).toBe(tripId);
  expect((await send('installer', 'GET', `/jobs/${jobId}/trips`)).body.items).toHaveLength(1);

  // In order only: arriving before setting off is a conflict.
  expect((await send('installer', 'POST', `/jobs/${jobId}/trips/${tripId}/arrive`)).status).toBe(409);
  const before = Date.now();
  const started = await send('installer', 'POST', `/jobs/${jobId}/trips/${tripId}/start`);
  expect(started.status).toBe(200);
  expect(Date.parse(started.body.startedAt)).toBeGreaterThanOrEqual(before - 1000);
  expect((await send('installer', 'POST', `/jobs/${jobId}/trips/${tripId}/start`)).status).toBe(409);
  const arrived = await send('installer', 'POST', `/jobs/${jobId}/trips/${tripId}/arrive`);
  const finished = await send('installer', 'POST', `/jobs/${jobId}/trips/${tripId}/finish`);
  expect(Date.parse(arrived.body.arrivedAt)).toBeGreaterThanOrEqual(Date.parse(started.body.startedAt));
  expect(Date.parse(finished.body.finishedAt)).toBeGreaterThanOrEqual(Date.parse(arrived.body.arrivedAt));
  const edited = await send('installer', 'PATCH', `/jobs/${jobId}/trips/${tripId}`, { distanceKm: 12.5 });
  expect(edited.body).toMatchObject({ distanceKm: 12.5, startedAt: started.body.startedAt });

  // A second trip, a customer visit by staff with two installers and a distance of their own.
  const second = await send('ops', 'POST', `/jobs/${jobId}/trips`, {
    type: 'customer_visit',
    plannedStart: '2026-12-02T10:00:00+10:30',
    technicianIds: ['usr_demo_installer', 'usr_demo_installer2'],
    distanceKm: 30,
  });
  expect(second.body).toMatchObject({ type: 'customer_visit', distanceKm: 30 });
  expect((await send('ops', 'POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-02T10:00:00+10:30', technicianIds: ['usr_demo_ops'] })).status).toBe(400);

  const list = (await send('installer', 'GET', `/jobs/${jobId}/trips`)).body;
  expect(list.items).toHaveLength(2);
  expect(list.tripStartedAt).toBe(started.body.startedAt);
  const [row] = await system.database.db.select().from(jobs).where(eq(jobs.id, jobId));
  expect(row!.tripStartedAt?.toISOString()).toBe(started.body.startedAt);
});

test('three confirmations make work orders v2 to v4 after v1 at confirmation, each showing what changed; every version downloadable', async () => {
  const { jobId } = await atChecklist('Work orders');
  const listed = async () => (await send('installer', 'GET', `/jobs/${jobId}/work-orders`)).body.items;
  expect(await listed()).toEqual([expect.objectContaining({ version: 1, reason: 'job confirmed', createdBy: 'usr_demo_ops' })]);
  await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, { description: 'Fault finding on string 2', minutes: 30 });

  const more = await send('installer', 'POST', `/jobs/${jobId}/confirmations`, {
    kind: 'more_material',
    description: 'Second DC isolator is burnt too',
    materials: [{ articleId: 'art_dc_isolator', quantity: 2 }],
  }, { 'Idempotency-Key': 'conf-1' });
  expect(more.status).toBe(201);
  expect(more.body.workOrder).toMatchObject({ version: 2, url: `/jobs/${jobId}/work-order.pdf?version=2` });
  // The phone retried: no fifth version.
  const retry = await send('installer', 'POST', `/jobs/${jobId}/confirmations`, {
    kind: 'more_material',
    description: 'Second DC isolator is burnt too',
    materials: [{ articleId: 'art_dc_isolator', quantity: 2 }],
  }, { 'Idempotency-Key': 'conf-1' });
  expect(retry.body.confirmation.version).toBe(2);
  const workers = await send('installer', 'POST', `/jobs/${jobId}/confirmations`, { kind: 'more_workers', description: 'Roof access needs two people', workers: ['usr_demo_installer2'] });
  expect(workers.body.workOrder.version).toBe(3);
  const unforeseen = await send('ops', 'POST', `/jobs/${jobId}/confirmations`, {
    kind: 'unforeseen_service',
    description: 'Rodent damage on the DC cabling',
    materials: [{ articleId: 'art_pv_cable_6', quantity: 12.5 }, { articleId: 'art_mc4_pair', quantity: 4 }],
  });
  expect(unforeseen.body.workOrder.version).toBe(4);

  const versions = await listed();
  expect(versions.map((order: { version: number; createdBy: string }) => [order.version, order.createdBy])).toEqual([
    [1, 'usr_demo_ops'],
    [2, 'usr_demo_installer'],
    [3, 'usr_demo_installer'],
    [4, 'usr_demo_ops'],
  ]);
  const texts: string[] = [];
  for (const version of [1, 2, 3, 4]) {
    const file = await pdf('installer', `/jobs/${jobId}/work-order.pdf?version=${version}`);
    expect({ version, status: file.status, type: file.type }).toEqual({ version, status: 200, type: 'application/pdf' });
    expect(file.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    texts.push(await pdfText(file.bytes));
  }
  const [v1, v2, v3, v4] = texts as [string, string, string, string];
  for (const [index, text] of texts.entries()) {
    expect(text).toContain(`${jobId}-v${index + 1}`);
    expect(text).toContain('Demo Solar Household');
    expect(text).toContain('1 Demo Street, Adelaide SA 5000');
    expect(text).toContain('+61 400 000 000');
    expect(text).toContain('Inverter shows E21 after storm');
    // Version 1 was made when the office confirmed the job, before the installer scheduled it.
    expect(text).toContain(index === 0 ? 'Scheduled start: not scheduled yet' : 'Scheduled start: 2026-12-01 09:00 (+10:30)');
  }
  expect(v1).not.toContain('Changes in this version');
  expect(v2).toContain('Changes in this version');
  expect(v2).toContain('Second DC isolator is burnt too');
  expect(v2).toContain('+ 2 pcs DC isolator 1000 V 32 A (DC-ISO-1000) at $149.00 = $298.00');
  expect(v2).toContain('Fault finding on string 2');
  expect(v3).toContain('+ Technician Ian Installer');
  expect(v3).not.toContain('Second DC isolator is burnt too');
  expect(v4).toContain('Rodent damage on the DC cabling');
  expect(v4).toContain('+ 12.5 m PV cable 6 mm² (PV-CAB-6) at $3.95 = $49.38');
  // Every line so far, and the material total: 2 × 149.00 + 12.5 × 3.95 + 4 × 8.50 = 381.38.
  expect(v4).toContain('$381.38');
  expect(v4).toContain('Ian Installer');

  // Without a version: the latest.
  const latest = await pdf('installer', `/jobs/${jobId}/work-order.pdf`);
  expect(await pdfText(latest.bytes)).toContain(`${jobId}-v4`);
  expect((await pdf('installer', `/jobs/${jobId}/work-order.pdf?version=5`)).status).toBe(404);
});

test('an installer is refused on another installer\'s job on every field-work route, and a customer too', async () => {
  const { jobId } = await atChecklist('Not yours');
  const routes: [string, string, unknown?][] = [
    ['GET', `/jobs/${jobId}/trips`],
    ['POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' }],
    ['PATCH', `/jobs/${jobId}/trips/x`, { distanceKm: 1 }],
    ['POST', `/jobs/${jobId}/trips/x/start`],
    ['POST', `/jobs/${jobId}/trips/x/arrive`],
    ['POST', `/jobs/${jobId}/trips/x/finish`],
    ['GET', `/jobs/${jobId}/protocol`],
    ['PATCH', `/jobs/${jobId}/protocol`, { fault: 'x' }],
    ['POST', `/jobs/${jobId}/protocol/materials`, { articleId: 'art_mc4_pair', quantity: 1 }],
    ['DELETE', `/jobs/${jobId}/protocol/materials/x`],
    ['POST', `/jobs/${jobId}/protocol/work`, { description: 'x', minutes: 5 }],
    ['DELETE', `/jobs/${jobId}/protocol/work/x`],
    ['POST', `/jobs/${jobId}/protocol/attachments`, { documentId: 'x', kind: 'photo' }],
    ['DELETE', `/jobs/${jobId}/protocol/attachments/x`],
    ['POST', `/jobs/${jobId}/confirmations`, { kind: 'more_workers', description: 'x', workers: ['usr_demo_installer2'] }],
    ['GET', `/jobs/${jobId}/work-orders`],
    ['GET', `/jobs/${jobId}/work-order.pdf`],
    ['POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out', reason: 'x' }],
  ];
  for (const [method, path, body] of routes) {
    for (const role of ['installer2', 'customer']) {
      const answer = await send(role, method, path, body);
      expect({ role, method, path, status: answer.status }).toEqual({ role, method, path, status: 403 });
    }
  }
  // Nothing changed: no trips, no protocol, one work order, the job open.
  expect((await send('installer', 'GET', `/jobs/${jobId}/trips`)).body.items).toEqual([]);
  expect((await send('installer', 'GET', `/jobs/${jobId}/protocol`)).body).toMatchObject({ materials: [], work: [], attachments: [] });
  expect((await send('installer', 'GET', `/jobs/${jobId}/work-orders`)).body.items).toHaveLength(1);
  expect((await send('installer', 'GET', `/jobs/${jobId}`)).body.status).toBe('open');
  // Only admins keep the catalogue; installers read it.
  expect((await send('installer', 'GET', '/articles')).body.items.map((a: { number: string }) => a.number)).toContain('MC4-PAIR');
  expect((await send('installer', 'POST', '/articles', { number: 'X-1', name: 'x', unit: 'pcs', priceCents: 1 })).status).toBe(403);
  expect((await send('customer', 'GET', '/articles')).status).toBe(403);
});

test('the article catalogue: an admin adds and reprices; a recorded line keeps its price', async () => {
  const { jobId } = await atChecklist('Catalogue');
  const created = await send('admin', 'POST', '/articles', { number: `BAT-${Date.now()}`, name: 'Battery isolator', unit: 'pcs', priceCents: 9900 });
  expect(created.status).toBe(201);
  expect((await send('admin', 'POST', '/articles', { number: created.body.number, name: 'dup', unit: 'pcs', priceCents: 1 })).status).toBe(409);
  await send('installer', 'POST', `/jobs/${jobId}/protocol/materials`, { articleId: created.body.id, quantity: 1 });
  const repriced = await send('admin', 'PATCH', `/articles/${created.body.id}`, { priceCents: 12900 });
  expect(repriced.body.priceCents).toBe(12900);
  expect((await send('installer', 'GET', `/jobs/${jobId}/protocol`)).body.materials[0].unitPriceCents).toBe(9900);
  await send('admin', 'PATCH', `/articles/${created.body.id}`, { active: false });
  expect((await send('installer', 'POST', `/jobs/${jobId}/protocol/materials`, { articleId: created.body.id, quantity: 1 })).status).toBe(400);
});

test('a service job closed as not carried out goes to the review with its reason', async () => {
  const { flow, jobId } = await atChecklist('Nobody home');
  expect((await send('installer', 'POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out' })).status).toBe(400);
  const closed = await send('installer', 'POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out', reason: 'Customer not home, gate locked' }, { 'Idempotency-Key': 'close-1' });
  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ status: 'done', outcome: 'not_carried_out', reason: 'Customer not home, gate locked' });
  // The phone retries after the job's workflow ended: the same outcome, no error.
  const retried = await send('installer', 'POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out', reason: 'Customer not home, gate locked' }, { 'Idempotency-Key': 'close-1' });
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ status: 'done', outcome: 'not_carried_out' });
  const project = await flow.project();
  expect(project).toMatchObject({ stage: 'reviewing', jobs: [{ id: jobId, status: 'done', outcome: 'not_carried_out' }] });
  expect(project.openTasks.map((t: { type: string }) => t.type)).toEqual(['service_review']);
  const summaries = (await system.database.db.select().from(timeline).where(eq(timeline.projectId, flow.projectId))).map((entry) => entry.summary);
  expect(summaries).toContain('Job 1 was not carried out: Customer not home, gate locked');
  // The job's field tasks are closed, and it takes no more changes.
  expect((await send('installer', 'GET', `/tasks?projectId=${flow.projectId}&status=open`)).body.items).toEqual([]);
  expect((await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, { description: 'late', minutes: 5 })).status).toBe(409);
  // The office sends the installer back: a new audit job.
  await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
  expect((await flow.project()).jobs.map((job: { outcome?: string }) => job.outcome ?? 'open')).toEqual(['not_carried_out', 'open']);
});

test('a sales inspection closed as not carried out is done again: a new inspection job opens', async () => {
  const flow = await SalesFlow.createSales(api(), 'Inspection, dog in the yard');
  await flow.complete('onboard_site', { phases: 3, nmi: '2001985732', roof: 'tin', distributor: 'SA Power Networks' });
  await reachInspection(flow);
  await flow.complete('start_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-03T09:00:00+10:30' }, 'installer');
  const jobId = (await flow.project()).jobs[0].id;
  const closed = await send('installer', 'POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out', reason: 'Dog in the yard, no access' });
  expect(closed.status).toBe(200);
  const project = await flow.untilOpen('start_job');
  expect(project.jobs.map((job: { type: string; outcome?: string }) => [job.type, job.outcome ?? 'open'])).toEqual([
    ['inspection', 'not_carried_out'],
    ['inspection', 'open'],
  ]);
  const summaries = (await system.database.db.select().from(timeline).where(eq(timeline.projectId, flow.projectId))).map((entry) => entry.summary);
  expect(summaries).toContain('The inspection job was not carried out (Dog in the yard, no access): a new inspection job starts');
});

test('field tasks fall due after the scheduled start, not after they opened', async () => {
  const start = new Date(Date.now() + 2000);
  const { flow } = await atChecklist('Due after the appointment', start.toISOString());
  const task = await flow.openTask('audit_checklist');
  expect(Date.parse(task.dueAt)).toBe(start.getTime() + 3000);
  // When it passes, it is overdue (and its installer hears of it).
  const overdue = await until('the checklist overdue', async () => {
    const row = (await send('installer', 'GET', `/tasks/${task.id}`)).body;
    return row.overdueAt ?? (await system.database.db.select().from(timeline).where(eq(timeline.projectId, flow.projectId))).find((entry) => entry.summary === 'Audit checklist is overdue');
  });
  expect(overdue).toBeTruthy();
  // An office task of the same job keeps the policy's due time.
  const confirm = (await send('ops', 'GET', `/tasks?projectId=${flow.projectId}&type=confirm_job`)).body.items[0];
  expect(Date.parse(confirm.dueAt) - Date.parse(confirm.createdAt)).toBe(2 * 24 * 3600_000);
});

/** The sales steps before the inspection, through the design tool's stand-in. */
async function reachInspection(flow: SalesFlow): Promise<void> {
  const standIn = system.designTool!.url;
  const control = async (path: string, body: Record<string, unknown> = {}) => {
    const response = await fetch(standIn + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`stand-in ${path}: ${response.status}`);
    return (await response.json()) as any;
  };
  await flow.complete('link_design_project');
  await flow.untilOpen('sync_design');
  const linked = (await system.database.db.select().from(timeline).where(eq(timeline.projectId, flow.projectId)))
    .map((entry) => entry.summary)
    .find((summary) => summary.startsWith('Linked design project'))!;
  const id = linked.split(' ').at(-1)!;
  const { proposal } = await control(`/_control/projects/${id}/proposals`, { title: '6.6 kW', amount: 990_000, currency: 'AUD' });
  await control(`/_control/proposals/${proposal.id}/send`);
  await flow.until('considering', (project) => project.stage === 'considering');
  await control(`/_control/proposals/${proposal.id}/sign`);
  await flow.until('committing', (project) => project.stage === 'committing');
  await control(`/_control/projects/${id}/deposit`);
  await flow.untilOpen('start_job');
}

test('bounds and hand-over: trips are capped; once the field step is done the installer neither edits the protocol nor closes the job', async () => {
  const { flow, jobId } = await atChecklist('Bounds');
  for (let i = 0; i < 20; i++) expect((await send('installer', 'POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' })).status).toBe(201);
  const capped = await send('installer', 'POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' });
  expect(capped.status).toBe(409);
  expect(capped.body.detail).toMatch(/at most 20 trips/);

  await flow.fillProtocol();
  await flow.complete('audit_checklist', {}, 'installer');
  // The office reviews now: the protocol is theirs to correct, and closing is their call.
  const late = await send('installer', 'POST', `/jobs/${jobId}/protocol/work`, { description: 'Forgot this', minutes: 30 });
  expect(late.status).toBe(409);
  expect(late.body.detail).toMatch(/office reviews/);
  expect((await send('installer', 'POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out', reason: 'changed my mind' })).status).toBe(403);
  expect((await send('ops', 'POST', `/jobs/${jobId}/protocol/work`, { description: 'Travel', minutes: 30 })).status).toBe(201);
  expect((await flow.project()).jobs[0].status).not.toBe('done');
});

test('the customer follows the case, not the field work: no trip, line or work-order entries, one "Case opened"', async () => {
  const { flow, jobId } = await atChecklist('Customer timeline');
  const trip = await send('installer', 'POST', `/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' });
  expect((await send('installer', 'POST', `/jobs/${jobId}/trips/${trip.body.id}/start`)).status).toBe(200);
  await flow.fillProtocol();
  expect((await send('installer', 'POST', `/jobs/${jobId}/close`, { outcome: 'not_carried_out', reason: 'Dog in the yard' })).status).toBe(200);
  const staffSummaries = (await send('ops', 'GET', `/projects/${flow.projectId}/timeline`)).body.items.map((e: { summary: string }) => e.summary);
  expect(staffSummaries.join('\n')).toMatch(/On the way/);
  const summaries: string[] = (await send('customer', 'GET', `/projects/${flow.projectId}/timeline`)).body.items.map((e: { summary: string }) => e.summary);
  expect(summaries.filter((text) => text === 'Case opened')).toHaveLength(1);
  expect(summaries.some((text) => /stopped|Dog|trip|Work order/i.test(text))).toBe(false);
  expect(summaries).toEqual(expect.arrayContaining(['Audit job 1 finished: not carried out']));
});

test('a keyed retry of a trip answers with the trip that key planned, even after another was planned', async () => {
  const { jobId } = await atChecklist('Keyed trips');
  const body = { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' };
  const first = await send('installer', 'POST', `/jobs/${jobId}/trips`, body, { 'Idempotency-Key': 'trip-a' });
  const second = await send('installer', 'POST', `/jobs/${jobId}/trips`, body, { 'Idempotency-Key': 'trip-b' });
  expect(second.body.id).not.toBe(first.body.id);
  const retried = await send('installer', 'POST', `/jobs/${jobId}/trips`, body, { 'Idempotency-Key': 'trip-a' });
  expect(retried.status).toBe(201);
  expect(retried.body).toEqual(first.body);
  expect(retried.body).not.toHaveProperty('requestId');
  expect((await send('installer', 'GET', `/jobs/${jobId}/trips`)).body.items).toHaveLength(2);
});
