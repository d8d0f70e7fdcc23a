// A customer's case form whose answer is lost on the way back (the request reached the API,
// the browser saw a network error): sending again is the same case, not a second workflow.
// Headless Chromium against the real API, worker, Temporal and database.
import crypto from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, eventually, launchChromium, openPage, phone } from './browser';

jest.setTimeout(300_000);

let system: TestSystem;
let browser: Browser;
let context: BrowserContext | undefined;
const run = crypto.randomUUID().slice(0, 6);
let caseId = '';

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

test('a case whose answer was lost, sent again, is one case', async () => {
  const customer = (await system.api.as('ops').post('/customers', { name: `Retry Customer ${run}` })).body;
  const site = (await system.api.as('ops').post(`/customers/${customer.id}/sites`, { address: `${run} Retry Road, Adelaide SA 5000` })).body;
  const email = `retry-${run}@example.com`;
  expect((await system.api.as('admin').post('/users', { email, name: 'Rita Retry', role: 'customer', customerId: customer.id, password: 'ritas-long-password' })).status).toBe(201);

  const opened = await openPage(browser, phone, system.url);
  context = opened.context;
  const page = opened.page;
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('ritas-long-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My cases', level: 1 }).waitFor();

  // The first POST /cases reaches the API and starts the case; its answer never reaches the page.
  let lost = 0;
  await page.route('**/cases', async (route) => {
    if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
    lost++;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.goto('/cases/new/deviation');
  await page.getByLabel('What it is about').selectOption('inverter');
  await page.getByLabel('Description').fill(`The inverter beeps ${run}`);
  const send = page.getByRole('button', { name: 'Record the deviation' });
  await send.click();
  await page.getByTestId('error-summary').waitFor();
  expect(lost).toBe(1);
  // The person sends the same form again.
  await send.click();
  await page.waitForURL(/\/cases\/prj_/);

  const projects = await system.api.as('ops').get(`/projects?siteId=${site.id}&limit=50`);
  expect(projects.status).toBe(200);
  expect(projects.body.items).toHaveLength(1);
  caseId = projects.body.items[0].id;

  // On the case page, a message whose answer is lost, then edited and sent: both are kept,
  // and the edited one is not refused as a reused key.
  let lostMessages = 0;
  await page.route('**/messages', async (route) => {
    if (route.request().method() !== 'POST' || lostMessages > 0) return route.fallback();
    lostMessages++;
    await route.fetch();
    await route.abort('connectionreset');
  });
  const box = page.getByLabel(/^Message to/);
  await box.fill(`First try ${run}`);
  const sendMessage = page.getByRole('button', { name: 'Send message' });
  await sendMessage.click();
  await eventually(async () => expect(lostMessages).toBe(1));
  await page.getByRole('button', { name: 'Send message' }).waitFor();
  await box.fill(`Second try, in other words ${run}`);
  await sendMessage.click();
  await eventually(async () =>
    expect((await system.api.as('ops').get(`/projects/${caseId}/messages`)).body.items.map((message: { body: string }) => message.body)).toEqual([`First try ${run}`, `Second try, in other words ${run}`]),
  );
  await page.getByText(`Second try, in other words ${run}`, { exact: true }).waitFor();
});
