// The office's jobs list and the dispatch board's time zone in headless Chromium against
// the real API, worker, Temporal and database: ops sorts the jobs list by a column and
// filters it, the URL keeps both over a reload, the page is one request, and a customer's
// name opens their page; a dispatcher whose browser is in London drops a job on the 9
// o'clock slot and it is booked for 09:00 on the company's clocks (Adelaide); the inbox
// shows each task's project without fetching it. axe checks every page. Names are new per
// run (the database may be shared).
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { notifications } from '../../db/schema';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
const IVY = 'usr_demo_installer';
const tag = crypto.randomUUID().slice(0, 6);

async function newPage(options = desktop): Promise<Page> {
  const { context, page } = await openPage(browser, options, system.url);
  contexts.push(context);
  return page;
}

/** A confirmed audit job at a new site of the customer, offered to every installer. */
async function offeredJob(customerId: string, address: string): Promise<{ flow: Flow; jobId: string }> {
  const site = (await system.api.as('ops').post(`/customers/${customerId}/sites`, { address })).body;
  const flow = await Flow.create(system.api, `Inverter fault at ${address}`, customerId, site.id);
  await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job', { note: 'call first' });
  await flow.openTask('accept_schedule_job');
  return { flow, jobId: (await flow.project()).jobs.at(-1).id };
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem({ COMPANY_TIME_ZONE: 'Australia/Adelaide' }), launchChromium()]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('ops sorts and filters the jobs list, the URL keeps both, and a customer name opens the customer', async () => {
  const customer = (await system.api.as('ops').post('/customers', { name: `Marta Jobs ${tag}` })).body;
  const offered = await offeredJob(customer.id, `1 Offer Lane ${tag}, Adelaide`);
  const booked = await offeredJob(customer.id, `2 Booked Lane ${tag}, Adelaide`);
  const window = { installerId: IVY, start: '2027-05-03T09:00:00+09:30', end: '2027-05-03T11:00:00+09:30' };
  expect((await system.api.as('ops').post(`/jobs/${booked.jobId}/schedule`, window)).status).toBe(200);

  const ops = await newPage();
  await signIn(ops, 'ops');
  await ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await ops.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
  await ops.getByTestId('jobs-total').waitFor();
  expect(await ops.getByTestId('jobs-total').textContent()).toMatch(/^(\d+|More than \d+) jobs?/);
  await expectAccessible(ops, 'jobs list');

  // The customer's jobs, as a link from their page would open them; counted from this document on.
  const requests: string[] = [];
  ops.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (/^\/(jobs|projects|customers|sites|tasks)(\/|$)/.test(pathname) && request.resourceType() === 'fetch') requests.push(pathname);
  });
  await ops.goto(`/jobs?customerId=${customer.id}`);
  const rows = ops.getByTestId('jobs-table').locator('tbody tr');
  const order = () => rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { getAttribute(name: string): string | null }).getAttribute('data-testid')));
  const row = (jobId: string) => `job-row-${jobId}`;
  await ops.getByTestId(row(offered.jobId)).waitFor();
  // Newest first: the job made last is on top.
  expect(await order()).toEqual([row(booked.jobId), row(offered.jobId)]);
  expect(await ops.getByTestId('jobs-total').textContent()).toMatch(/^2 jobs match these filters/);
  expect(await ops.getByTestId(row(booked.jobId)).textContent()).toMatch(/Audit job 1.*Marta Jobs.*2 Booked Lane.*Ivy Installer.*Booked/);
  expect(await ops.getByTestId(row(offered.jobId)).textContent()).toMatch(/Nobody yet.*Not booked.*Offered to installers/);
  // The page's rows come in one request: no request per row for its project, customer or site.
  expect(requests.filter((pathname) => pathname !== '/jobs')).toEqual([]);
  expect(requests.length).toBeGreaterThan(0);

  // Sorting by appointment: soonest first (the unbooked last), then the other way; the URL says so and a reload keeps it.
  await ops.getByRole('button', { name: /^Appointment/ }).click();
  await ops.waitForURL(/sort=scheduled&order=asc/);
  await eventually(async () => expect(await order()).toEqual([row(booked.jobId), row(offered.jobId)]));
  await ops.getByRole('button', { name: /^Appointment/ }).click();
  await ops.waitForURL(/sort=scheduled&order=desc/);
  await eventually(async () => expect(await order()).toEqual([row(offered.jobId), row(booked.jobId)]));
  await ops.reload();
  await ops.getByTestId(row(booked.jobId)).waitFor();
  expect(await ops.getByRole('columnheader', { name: /Appointment/ }).getAttribute('aria-sort')).toBe('descending');
  expect(await order()).toEqual([row(offered.jobId), row(booked.jobId)]);

  // Filtering by installer: nobody yet (the offers); the URL keeps it with the sort.
  await ops.getByLabel('Installer').selectOption('none');
  await ops.waitForURL(/installer=none/);
  // A new filter shows the skeleton until its page arrives: wait for the page, not for a row to go.
  await eventually(async () => expect(await order()).toEqual([row(offered.jobId)]));
  expect(await ops.getByTestId('jobs-total').textContent()).toMatch(/^1 job matches these filters/);
  await ops.reload();
  await ops.getByTestId(row(offered.jobId)).waitFor();
  expect(await order()).toEqual([row(offered.jobId)]);
  expect(await ops.getByLabel('Installer').inputValue()).toBe('none');
  const url = new URL(ops.url());
  expect(Object.fromEntries(url.searchParams)).toMatchObject({ customerId: customer.id, installer: 'none', sort: 'scheduled', order: 'desc' });
  // Ivy's jobs of this customer, from the appointment's day: the booked one only.
  await ops.getByLabel('Installer').selectOption(IVY);
  await ops.getByLabel('Appointment from').fill('2027-05-03');
  await ops.waitForURL(/from=2027-05-03/);
  await eventually(async () => expect(await order()).toEqual([row(booked.jobId)]));
  await ops.getByLabel('Appointment from').fill('2027-05-04');
  await ops.getByText('No jobs match these filters').waitFor();
  await ops.getByLabel('Appointment from').fill('');
  await ops.getByTestId(row(booked.jobId)).waitFor();
  await expectAccessible(ops, 'jobs list, sorted and filtered');

  // The customer's name opens their page.
  const link = ops.getByTestId(row(booked.jobId)).getByRole('link', { name: customer.name });
  expect(await link.getAttribute('href')).toBe(`/customers/${customer.id}`);
  await link.click();
  await ops.getByRole('heading', { name: customer.name, level: 1 }).waitFor();
});

test('a dispatcher whose browser is in London drops a job on 09:00, and it is booked for 09:00 in Adelaide', async () => {
  // Adelaide is +09:30 in April 2027, London +01:00: the same instant is 00:30 in London.
  const DAY = '2027-04-14';
  const customer = (await system.api.as('ops').post('/customers', { name: `Lena Zone ${tag}` })).body;
  const { flow, jobId } = await offeredJob(customer.id, `3 Zone Street ${tag}, Adelaide`);
  const london = await newPage({ ...desktop, timezoneId: 'Europe/London', locale: 'en-GB' });
  // The browser really is in London.
  expect(await london.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Europe/London');
  await signIn(london, 'ops');
  await london.goto(`/dispatch?view=day&date=${DAY}`);
  const chip = london.getByTestId(`dispatch-job-${jobId}`);
  await chip.waitFor();
  expect(await london.getByTestId('dispatch-range').textContent()).toMatch(/Wednesday,? 14 April 2027/);
  await expectAccessible(london, 'dispatch in another time zone');

  const slot = london.getByTestId(`slot-${IVY}-${DAY}T09`);
  await chip.dragTo(slot);
  await london.getByRole('status').getByText(/Audit job 1 booked for Ivy Installer/).waitFor();
  const job = (await system.api.as('ops').get(`/jobs/${jobId}`)).body;
  expect(job).toMatchObject({ installerId: IVY, scheduledStart: '2027-04-13T23:30:00.000Z', scheduledEnd: '2027-04-14T01:30:00.000Z' });

  // On the board the chip sits in the 9 o'clock slot and reads 9:00 to 11:00, the company's time.
  const inLane = london.getByTestId(`lane-${IVY}`).getByTestId(`dispatch-job-${jobId}`);
  await inLane.waitFor();
  const [box, nine] = [await inLane.boundingBox(), await slot.boundingBox()];
  expect(box!.x).toBeGreaterThanOrEqual(nine!.x - 1);
  expect(box!.x).toBeLessThan(nine!.x + nine!.width);
  const adelaide = (iso: string) => london.evaluate((at) => new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: 'Australia/Adelaide' }).format(new Date(at)), iso);
  expect(await inLane.getByTestId('dispatch-job-when').textContent()).toContain(`${await adelaide(job.scheduledStart)}–${await adelaide(job.scheduledEnd)}`);

  // The installer is told in plain local time, without an offset.
  const told = await system.database.db.select().from(notifications).where(and(eq(notifications.projectId, flow.projectId), eq(notifications.recipient, IVY)));
  expect(told.map((notice) => notice.summary)).toEqual(['Audit job 1 is booked for you on Wed 14 Apr 2027, 09:00–11:00']);

  // The booking form shows and books the company's times too.
  await inLane.getByRole('button', { name: /^Move Audit job 1/ }).click();
  const form = london.getByRole('region', { name: /^Book Audit job 1/ });
  expect(await form.getByLabel('Day').inputValue()).toBe(DAY);
  expect(await form.getByLabel('From').inputValue()).toBe('09:00');
  await form.getByLabel('From').fill('13:00');
  await form.getByLabel('To').fill('14:30');
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  await form.waitFor({ state: 'detached' });
  await eventually(async () =>
    expect((await system.api.as('ops').get(`/jobs/${jobId}`)).body).toMatchObject({ scheduledStart: '2027-04-14T03:30:00.000Z', scheduledEnd: '2027-04-14T05:00:00.000Z' }),
  );
});

test('the inbox is one request: each task row shows its project and job without fetching the project', async () => {
  const customer = (await system.api.as('ops').post('/customers', { name: `Inga Inbox ${tag}` })).body;
  const site = (await system.api.as('ops').post(`/customers/${customer.id}/sites`, { address: `4 Inbox Road ${tag}, Adelaide` })).body;
  const flow = await Flow.create(system.api, `Inbox fault ${tag}`, customer.id, site.id);
  const task = await flow.openTask('service_request');
  const ops = await newPage();
  await signIn(ops, 'ops');
  const requests: string[] = [];
  ops.on('request', (request) => {
    if (request.resourceType() === 'fetch') requests.push(new URL(request.url()).pathname);
  });
  await ops.goto('/');
  const row = ops.locator(`a[href="/tasks/${encodeURIComponent(task.id)}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain(`Inbox fault ${tag} · Inga Inbox ${tag}`);
  expect(requests.filter((pathname) => pathname.startsWith('/projects'))).toEqual([]);
  expect(requests).toContain('/tasks');
  await expectAccessible(ops, 'inbox');
});
