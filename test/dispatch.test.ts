// The dispatch board's API against the real worker, Temporal and database: the board in
// one request, booking a job (installer and appointment window in one update), booking it
// again (nothing changes), moving it to another installer (tasks, due times and both
// installers told), and the refusals once the job has moved on.
import { and, eq } from 'drizzle-orm';
import { notifications } from '../db/schema';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const IVY = 'usr_demo_installer';
const IAN = 'usr_demo_installer2';
/** The test config's FIELD_TASK_DUE_AFTER_START default: PT4H. */
const FIELD_DUE_MS = 4 * 3600_000;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

/** A confirmed audit job at a fresh customer's site, offered to every installer. */
async function offeredJob(name: string): Promise<{ flow: Flow; jobId: string; customerId: string }> {
  const customer = (await api().as('ops').post('/customers', { name, phone: '+61 8 8123 4567' })).body;
  const site = (await api().as('ops').post(`/customers/${customer.id}/sites`, { address: `${name} Street 1, Adelaide` })).body;
  const flow = await Flow.create(api(), `Inverter fault at ${name}`, customer.id, site.id);
  await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job', { note: 'call first' });
  await flow.openTask('accept_schedule_job');
  return { flow, jobId: (await flow.project()).jobs.at(-1).id, customerId: customer.id };
}

const board = async (from: string, to: string, role = 'ops') => api().as(role).get(`/dispatch?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
const noticesFor = (projectId: string, recipient: string) =>
  system.database.db.select().from(notifications).where(and(eq(notifications.projectId, projectId), eq(notifications.recipient, recipient)));

test('ops books an offered job for an installer and a window: the field task opens for them, due from the appointment, and they are told', async () => {
  const { flow, jobId, customerId } = await offeredJob('Dispatch Ada');
  const day = ['2026-12-07T00:00:00+10:30', '2026-12-08T00:00:00+10:30'] as const;

  const before = (await board(...day)).body;
  const queued = before.queue.find((job: { id: string }) => job.id === jobId);
  expect(queued).toMatchObject({ customerId, customerName: 'Dispatch Ada', address: 'Dispatch Ada Street 1, Adelaide', openTaskTypes: ['accept_schedule_job'], type: 'audit' });
  expect(before.lanes.map((lane: { installerId: string }) => lane.installerId)).toEqual(expect.arrayContaining([IVY, IAN]));
  expect(before.lanes.find((lane: { installerId: string }) => lane.installerId === IVY).name).toBe('Ivy Installer');

  const window = { installerId: IVY, start: '2026-12-07T09:00:00+10:30', end: '2026-12-07T11:00:00+10:30' };
  const booked = await api().as('ops').post(`/jobs/${jobId}/schedule`, window);
  expect(booked.status).toBe(200);
  expect(booked.body).toMatchObject({ id: jobId, installerId: IVY, scheduledStart: '2026-12-06T22:30:00.000Z', scheduledEnd: '2026-12-07T00:30:00.000Z' });

  const project = await flow.project();
  const checklist = project.openTasks.find((task: { type: string }) => task.type === 'audit_checklist');
  expect(checklist).toMatchObject({ assignee: IVY, dueAt: new Date(Date.parse(window.start) + FIELD_DUE_MS).toISOString() });
  expect(project.openTasks.some((task: { type: string }) => task.type === 'accept_schedule_job')).toBe(false);

  const after = (await board(...day)).body;
  expect(after.queue.some((job: { id: string }) => job.id === jobId)).toBe(false);
  const lane = after.lanes.find((l: { installerId: string }) => l.installerId === IVY);
  expect(lane.jobs.find((job: { id: string }) => job.id === jobId)).toMatchObject({ scheduledStart: '2026-12-06T22:30:00.000Z', scheduledEnd: '2026-12-07T00:30:00.000Z', openTaskTypes: ['audit_checklist'] });
  // Another day's board does not show it.
  const nextDay = (await board('2026-12-08T00:00:00+10:30', '2026-12-09T00:00:00+10:30')).body;
  expect(nextDay.lanes.flatMap((l: { jobs: { id: string }[] }) => l.jobs).some((job: { id: string }) => job.id === jobId)).toBe(false);

  const told = await noticesFor(flow.projectId, IVY);
  expect(told.map((notice) => notice.kind)).toEqual(['job.scheduled']);
  // The company's time as people read it, without a raw offset.
  expect(told[0].summary).toBe('Audit job 1 is booked for you on Mon 7 Dec 2026, 09:00–11:00');
  // The installer's phone reads the job with its window.
  expect((await api().as('installer').get(`/jobs/${jobId}`)).body).toMatchObject({ installerId: IVY, scheduledEnd: '2026-12-07T00:30:00.000Z' });

  // The same booking again (a double drop, a retry) changes nothing.
  const again = await api().as('ops').post(`/jobs/${jobId}/schedule`, window, { 'Idempotency-Key': 'drop-1' });
  expect(again.status).toBe(200);
  expect(await noticesFor(flow.projectId, IVY)).toHaveLength(1);
  const timeline = (await api().as('ops').get(`/projects/${flow.projectId}/timeline`)).body;
  const entries = (timeline.items ?? timeline) as { summary: string }[];
  expect(entries.filter((entry) => /booked for/.test(entry.summary))).toHaveLength(1);
});

test('moving a booked job to another installer moves its tasks and due times, and tells both installers', async () => {
  const { flow, jobId } = await offeredJob('Dispatch Bo');
  await api().as('ops').post(`/jobs/${jobId}/schedule`, { installerId: IVY, start: '2026-12-09T08:00:00Z', end: '2026-12-09T10:00:00Z' });
  const moved = await api().as('supervisor').post(`/jobs/${jobId}/schedule`, { installerId: IAN, start: '2026-12-10T13:00:00Z', end: '2026-12-10T16:00:00Z' });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ installerId: IAN, scheduledStart: '2026-12-10T13:00:00.000Z', scheduledEnd: '2026-12-10T16:00:00.000Z' });

  const checklist = (await flow.project()).openTasks.find((task: { type: string }) => task.type === 'audit_checklist');
  expect(checklist).toMatchObject({ assignee: IAN, dueAt: new Date(Date.parse('2026-12-10T13:00:00Z') + FIELD_DUE_MS).toISOString() });
  expect((await noticesFor(flow.projectId, IVY)).map((n) => n.kind).sort()).toEqual(['job.scheduled', 'job.unassigned']);
  expect((await noticesFor(flow.projectId, IAN)).map((n) => n.kind)).toEqual(['job.scheduled']);
  // Ivy no longer reads the job; Ian does.
  expect((await api().as('installer').get(`/jobs/${jobId}`)).status).toBe(403);
  expect((await api().as('installer2').get(`/jobs/${jobId}`)).status).toBe(200);
});

test('only the office uses the board and books jobs; bad input is a 400 that changes nothing', async () => {
  const { flow, jobId } = await offeredJob('Dispatch Cy');
  const day = ['2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z'] as const;
  for (const role of ['installer', 'customer']) {
    expect((await board(...day, role)).status).toBe(403);
    expect((await api().as(role).post(`/jobs/${jobId}/schedule`, { installerId: IVY, start: day[0], end: day[1] })).status).toBe(403);
  }
  const backwards = await board(day[1], day[0]);
  expect(backwards.status).toBe(400);
  expect(backwards.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);

  const wrong = await api().as('ops').post(`/jobs/${jobId}/schedule`, { installerId: IVY, start: '2026-12-07T11:00:00Z', end: '2026-12-07T09:00:00Z' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'end' })]);
  const notInstaller = await api().as('ops').post(`/jobs/${jobId}/schedule`, { installerId: 'usr_demo_ops', start: day[0], end: '2026-12-07T02:00:00Z' });
  expect(notInstaller.status).toBe(400);
  expect(notInstaller.body.errors).toEqual([expect.objectContaining({ path: 'installerId' })]);
  expect((await api().as('ops').post('/jobs/job_nope/schedule', { installerId: IVY, start: day[0], end: day[1] })).status).toBe(404);
  // Still offered, nothing booked.
  expect((await flow.project()).openTasks.map((task: { type: string }) => task.type)).toEqual(['accept_schedule_job']);
});

test('a job that has moved on is refused with a plain 409: cancelled, or its installer already on the way', async () => {
  const cancelled = await offeredJob('Dispatch Di');
  expect((await api().as('supervisor').post(`/projects/${cancelled.flow.projectId}/cancel`, { reason: 'customer sold the house' })).status).toBe(200);
  await waitFor(async () => (await api().as('ops').get(`/jobs/${cancelled.jobId}`)).body.status === 'done');
  const refused = await api().as('ops').post(`/jobs/${cancelled.jobId}/schedule`, { installerId: IVY, start: '2026-12-07T09:00:00Z', end: '2026-12-07T10:00:00Z' });
  expect(refused.status).toBe(409);
  expect(refused.body.detail).toBe('Audit job 1 was cancelled, so it can no longer be scheduled');

  // The read model still has it open; the workflow itself refuses.
  const started = await offeredJob('Dispatch Eve');
  await api().as('ops').post(`/jobs/${started.jobId}/schedule`, { installerId: IVY, start: '2026-12-07T09:00:00Z', end: '2026-12-07T10:00:00Z' });
  const trip = await api().as('installer').post(`/jobs/${started.jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-07T08:30:00Z' });
  expect(trip.status).toBe(201);
  expect((await api().as('installer').post(`/jobs/${started.jobId}/trips/${trip.body.id}/start`)).status).toBe(200);
  const late = await api().as('ops').post(`/jobs/${started.jobId}/schedule`, { installerId: IAN, start: '2026-12-08T09:00:00Z', end: '2026-12-08T10:00:00Z' });
  expect(late.status).toBe(409);
  expect(late.body.detail).toBe('the installer is already on the way to Audit job 1, so it can no longer be moved');
  expect((await api().as('ops').get(`/jobs/${started.jobId}`)).body.installerId).toBe(IVY);
});

async function waitFor(check: () => Promise<boolean>, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
