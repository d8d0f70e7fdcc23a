// The dispatch board in headless Chromium against the real API, worker, Temporal and
// database: ops drags an offered job onto an installer's lane at 9 o'clock, and that
// installer's phone (a second context, 360 px) shows it with its appointment window; ops
// moves it to another installer with the keyboard's form; a job cancelled while the board
// was open is refused, in plain words, when it is dragged. axe checks every page.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, phone, repoRoot, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
const IVY = 'usr_demo_installer';
const IAN = 'usr_demo_installer2';
/** A day no other test books (Adelaide is +10:30 then): the board's lanes hold only this file's jobs. */
const DAY = '2027-03-10';

async function newPage(options = desktop): Promise<Page> {
  const { context, page } = await openPage(browser, options, system.url);
  contexts.push(context);
  return page;
}

/** A confirmed audit job at a fresh customer's site, offered to every installer. */
async function offeredJob(name: string): Promise<{ flow: Flow; jobId: string }> {
  const customer = (await system.api.as('ops').post('/customers', { name, phone: '+61 8 8123 4567' })).body;
  const site = (await system.api.as('ops').post(`/customers/${customer.id}/sites`, { address: `${name} Street 1, Adelaide` })).body;
  const flow = await Flow.create(system.api, `Inverter fault at ${name}`, customer.id, site.id);
  await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job', { note: 'call first' });
  await flow.openTask('accept_schedule_job');
  return { flow, jobId: (await flow.project()).jobs.at(-1).id };
}

const chip = (page: Page, jobId: string) => page.getByTestId(`dispatch-job-${jobId}`);
const slot = (page: Page, installerId: string, hour: string) => page.getByTestId(`slot-${installerId}-${DAY}T${hour}`);
/** The page's own short time, as the browser's locale writes it. */
const inLane = (page: Page, installerId: string, jobId: string) => page.getByTestId(`lane-${installerId}`).getByTestId(`dispatch-job-${jobId}`);
/** The chip starts in the hour slot it was booked for (chips span their window over the slots). */
async function startsIn(page: Page, installerId: string, jobId: string, hour: string): Promise<void> {
  const [job, hourSlot] = [await inLane(page, installerId, jobId).boundingBox(), await slot(page, installerId, hour).boundingBox()];
  expect(job!.x).toBeGreaterThanOrEqual(hourSlot!.x - 1);
  expect(job!.x).toBeLessThan(hourSlot!.x + hourSlot!.width);
}
const timeIn = (page: Page, iso: string) => page.evaluate((at) => new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(at)), iso);

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('ops drags an offered job onto an installer at 9:00, and the installer’s phone shows it with its window', async () => {
  const { flow, jobId } = await offeredJob('Harbour Bakery');
  const waiting = await offeredJob('Riverside Dental'); // stays in the queue, for the picture
  const ops = await newPage();
  await signIn(ops, 'ops');
  await ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dispatch' }).click();
  await ops.getByRole('heading', { name: 'Dispatch', level: 1 }).waitFor();
  await ops.goto(`/dispatch?view=day&date=${DAY}`);
  await chip(ops, jobId).waitFor();
  expect(await ops.getByTestId('dispatch-queue').getByTestId(`dispatch-job-${jobId}`).textContent()).toMatch(/Audit job 1 · Harbour Bakery.*Harbour Bakery Street 1, Adelaide.*Offered to installers/);
  await expectAccessible(ops, 'dispatch (day)');

  await chip(ops, jobId).dragTo(slot(ops, IVY, '09'));
  await ops.getByRole('status').getByText(/Audit job 1 booked for Ivy Installer/).waitFor();
  await inLane(ops, IVY, jobId).waitFor();
  await startsIn(ops, IVY, jobId, '09');
  await chip(ops, waiting.jobId).waitFor();
  expect(await ops.getByTestId('dispatch-queue').getByTestId(`dispatch-job-${jobId}`).count()).toBe(0);

  // 09:00 in Adelaide (+10:30 in March), two hours by default.
  const job = (await system.api.as('ops').get(`/jobs/${jobId}`)).body;
  expect(job).toMatchObject({ installerId: IVY, scheduledStart: '2027-03-09T22:30:00.000Z', scheduledEnd: '2027-03-10T00:30:00.000Z' });
  const [nine, eleven] = [await timeIn(ops, job.scheduledStart), await timeIn(ops, job.scheduledEnd)];
  expect(await inLane(ops, IVY, jobId).textContent()).toContain(`${nine}–${eleven}`);
  const checklist = (await flow.project()).openTasks.find((task: { type: string }) => task.type === 'audit_checklist');
  expect(checklist).toMatchObject({ assignee: IVY, dueAt: '2027-03-10T02:30:00.000Z' });

  await ops.evaluate('window.scrollTo(0, 0)');
  const file = await screenshot(ops, 'console-dispatch', false);
  // The README's picture: written when missing or asked for, so a test run leaves the tree clean.
  const readmePicture = path.join(repoRoot, 'docs', 'console-dispatch.png');
  if (process.env.UPDATE_DOCS_SCREENSHOTS || !fs.existsSync(readmePicture)) fs.copyFileSync(file, readmePicture);

  // The installer's phone: My jobs lists it with the window, and the job page says so too.
  const installer = await newPage(phone);
  await signIn(installer, 'installer');
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();
  const link = installer.locator(`a[href="/jobs/${encodeURIComponent(jobId)}"]`);
  await eventually(async () => expect(await link.textContent()).toMatch(/Audit job 1.*Inverter fault at Harbour Bakery/));
  expect(await link.textContent()).toContain(`${nine}–${eleven}`);
  await expectAccessible(installer, 'my jobs (phone)');
  await link.click();
  await installer.getByRole('heading', { name: 'Audit job 1', level: 1 }).waitFor();
  await eventually(async () => expect(await installer.locator('.job-card__when').textContent()).toMatch(new RegExp(`Appointment .*${nine}–${eleven}`)));
  // The other installer is not given it.
  const other = (await system.api.as('installer2').get(`/jobs/${jobId}`)).status;
  expect(other).toBe(403);

  // The keyboard's way: "Move…" opens the form; a wrong window is named at once, a right one moves the job to Ian.
  await chip(ops, jobId).getByRole('button', { name: /^Move Audit job 1/ }).click();
  const form = ops.getByRole('region', { name: /^Book Audit job 1/ });
  await form.getByLabel('Installer').selectOption(IAN);
  await form.getByLabel('From').fill('13:00');
  await form.getByLabel('To').fill('12:00');
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  await form.getByText('The appointment must end after it starts.').waitFor();
  await expectAccessible(ops, 'dispatch booking form');
  await form.getByLabel('To').fill('15:30');
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  await inLane(ops, IAN, jobId).waitFor();
  await startsIn(ops, IAN, jobId, '13');
  const moved = (await system.api.as('ops').get(`/jobs/${jobId}`)).body;
  expect(moved).toMatchObject({ installerId: IAN, scheduledStart: '2027-03-10T02:30:00.000Z', scheduledEnd: '2027-03-10T05:00:00.000Z' });

  await ops.getByRole('button', { name: 'Week' }).click();
  await ops.getByTestId(`slot-${IAN}-${DAY}`).getByTestId(`dispatch-job-${jobId}`).waitFor();
  expect(ops.url()).toContain('view=week');
  await expectAccessible(ops, 'dispatch (week)');
});

test('a job dragged after it was cancelled is refused with a clear message', async () => {
  const { flow, jobId } = await offeredJob('Gully Winery');
  const ops = await newPage();
  // No live stream on this screen: the board stays as it was when the job was cancelled elsewhere.
  await ops.context().route('**/stream**', (route) => route.abort());
  await signIn(ops, 'ops');
  await ops.goto(`/dispatch?view=day&date=${DAY}`);
  await chip(ops, jobId).waitFor();

  expect((await system.api.as('supervisor').post(`/projects/${flow.projectId}/cancel`, { reason: 'customer moved away' })).status).toBe(200);
  await eventually(async () => expect((await system.api.as('ops').get(`/jobs/${jobId}`)).body.status).toBe('done'));

  await chip(ops, jobId).dragTo(slot(ops, IVY, '14'));
  const refusal = ops.getByTestId('dispatch-refusal');
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain('Audit job 1 was not booked: Audit job 1 was cancelled, so it can no longer be scheduled.');
  // The board reloads: the job has left the queue, and nobody has it.
  await eventually(async () => expect(await chip(ops, jobId).count()).toBe(0));
  expect((await system.api.as('ops').get(`/jobs/${jobId}`)).body.installerId).toBeUndefined();
  await expectAccessible(ops, 'dispatch refusal');
});
