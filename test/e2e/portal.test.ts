// The customer portal in headless Chromium against the real API, worker, Temporal, database
// and mail stand-in: ops invites a contact from the customer's page, the mail's link opens
// the invitation page, the contact chooses a password and lands on their portal (only their
// own site and cases), records a deviation (every error named at once first), follows it on
// the case page and on their home (live), while the office finds it in its projects list.
// The used link is refused, and another customer's case is not shown. axe on every page.
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitForMail } from '../support/mailbox';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, pageWidth, phone, screenshot, signIn } from './browser';

jest.setTimeout(300_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
let ops: Page;
let contact: Page;
// Unique per run: with PostgreSQL the test files share one database.
const run = crypto.randomUUID().slice(0, 6);
const email = `portal-${run}@example.com`;
const address = `${run} Hindley Street, Adelaide SA 5000`;
let customerId = '';
let link = '';
let caseId = '';

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  const office = await openPage(browser, desktop, system.url);
  const portal = await openPage(browser, phone, system.url);
  contexts.push(office.context, portal.context);
  ops = office.page;
  contact = portal.page;
  await signIn(ops, 'ops');
  const customer = await system.api.as('ops').post('/customers', { name: `Portal Customer ${run}` });
  customerId = customer.body.id;
  expect((await system.api.as('ops').post(`/customers/${customerId}/sites`, { address })).status).toBe(201);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

test('ops invites a contact from the customer page; the mailed link lets them choose a password and lands them on their own portal', async () => {
  await ops.goto(`/customers/${customerId}`);
  const access = ops.getByRole('region', { name: 'Portal access' });
  await access.waitFor();
  // A wrong form names both fields at once.
  await access.getByLabel("Contact's mail address").fill('not a mail address');
  await access.getByRole('button', { name: 'Send invitation' }).click();
  const refused = access.getByTestId('error-summary');
  await refused.getByRole('link', { name: /^Contact's name:/ }).waitFor();
  await refused.getByRole('link', { name: /^Contact's mail address:/ }).waitFor();
  await access.getByLabel("Contact's name").fill('Kim Portal');
  await access.getByLabel("Contact's mail address").fill(email);
  await access.getByRole('button', { name: 'Send invitation' }).click();
  await access.getByTestId('invitations').getByText('Invited, link not used yet').waitFor();
  await expectAccessible(ops, 'customer (portal access)');

  const mail = await waitForMail((m) => m.to.includes(email));
  link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? '';
  expect(link.startsWith(system.url)).toBe(true);

  await contact.goto(link);
  await contact.getByRole('heading', { name: 'Welcome, Kim Portal', level: 1 }).waitFor();
  await expectAccessible(contact, 'invitation');
  // A short password and a different repeat: both said at once, nothing sent.
  await contact.getByLabel('Password', { exact: true }).fill('short');
  await contact.getByLabel('The password again').fill('other');
  await contact.getByRole('button', { name: 'Choose password and sign in' }).click();
  const summary = contact.getByTestId('error-summary');
  await summary.getByRole('link', { name: /^Password: at least 12 characters/i }).waitFor();
  await summary.getByRole('link', { name: /^The password again: the two passwords differ/i }).waitFor();
  await expectAccessible(contact, 'invitation (errors)');
  await contact.getByLabel('Password', { exact: true }).fill('kims-portal-password');
  await contact.getByLabel('The password again').fill('kims-portal-password');
  await contact.getByRole('button', { name: 'Choose password and sign in' }).click();

  await contact.getByRole('heading', { name: 'My cases', level: 1 }).waitFor();
  expect(new URL(contact.url()).pathname).toBe('/');
  await eventually(async () => expect(await contact.getByTestId('portal-sites').getByRole('button').allTextContents()).toEqual([address]));
  await contact.getByText('No cases yet').waitFor();
  expect(await pageWidth(contact)).toBeLessThanOrEqual(360);
  await expectAccessible(contact, 'portal home');
  await screenshot(contact, 'portal-home-empty');
  // The office sees the invitation taken.
  await ops.reload();
  await ops.getByTestId('invitations').getByText('Has access').waitFor();
});

test('the contact records a deviation: every error at once, then the case with its status, live at home and in the office', async () => {
  await contact.getByRole('link', { name: 'Record a deviation' }).click();
  await contact.getByRole('heading', { name: 'Record a deviation', level: 1 }).waitFor();
  await expectAccessible(contact, 'record a deviation');
  await contact.getByRole('button', { name: 'Record the deviation' }).click();
  const summary = contact.getByTestId('error-summary');
  await summary.getByRole('link', { name: /^What it is about:/ }).waitFor();
  await summary.getByRole('link', { name: /^Description:/ }).waitFor();
  expect(await summary.textContent()).not.toMatch(/schema|Too small|>=|undefined/);
  await expectAccessible(contact, 'record a deviation (errors)');
  await screenshot(contact, 'portal-form-errors');

  await contact.getByLabel('What it is about').selectOption('inverter');
  await contact.getByLabel('Description').fill(`The inverter beeps every night ${run}`);
  await contact.getByRole('button', { name: 'Record the deviation' }).click();
  await contact.waitForURL(/\/cases\/prj_/);
  caseId = decodeURIComponent(new URL(contact.url()).pathname.split('/').pop()!);
  await contact.getByRole('heading', { name: 'Deviation: inverter', level: 1 }).waitFor();
  await contact.getByTestId('case-description').getByText(`The inverter beeps every night ${run}`).waitFor();
  await contact.getByTestId('case-status').getByText('Planned').waitFor();
  await contact.getByRole('heading', { name: 'Messages', level: 2 }).waitFor();
  await contact.getByTestId('case-timeline').getByText('Case opened').waitFor();
  await expectAccessible(contact, 'case');
  await screenshot(contact, 'portal-case');

  await contact.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'My cases' }).click();
  const cases = contact.getByTestId('portal-cases');
  await cases.getByRole('link', { name: 'Deviation: inverter' }).waitFor();
  expect(await cases.getByRole('listitem').count()).toBe(1);
  await cases.getByTestId('case-status').getByText('Planned').waitFor();
  // Filters: by status, and back.
  await contact.getByLabel('Status').selectOption('completed');
  await contact.getByText('No cases match these filters').waitFor();
  await contact.getByLabel('Status').selectOption('');
  await cases.getByRole('link', { name: 'Deviation: inverter' }).waitFor();
  await expectAccessible(contact, 'portal home (a case)');

  // The office finds it among its projects, raised by the customer.
  await ops.goto(`/projects?customerId=${customerId}`);
  await ops.getByRole('link', { name: 'Deviation: inverter' }).waitFor();

  // A supervisor cancels it: the contact's home shows it without a reload.
  const cancelled = await system.api.as('supervisor').post(`/projects/${caseId}/cancel`, { reason: 'Duplicate of a call' });
  expect(cancelled.status).toBe(200);
  await cases.getByTestId('case-status').getByText('Cancelled').waitFor();
  expect(await contact.content()).not.toContain('Duplicate of a call');
  await screenshot(contact, 'portal-home');
});

test('the used link is refused with a plain page, and another customer\'s case is not shown', async () => {
  const other = await openPage(browser, desktop, system.url);
  contexts.push(other.context);
  await other.page.goto(link);
  await other.page.getByRole('heading', { name: 'This link cannot be used any more', level: 1 }).waitFor();
  expect(await other.page.getByTestId('invitation-refused').textContent()).toMatch(/used/);
  await expectAccessible(other.page, 'invitation (used)');

  const foreign = await system.api.as('ops').post('/cases', { customerId: 'cus_demo', siteId: 'sit_demo', category: 'battery', description: `Not Kim's ${run}` });
  expect(foreign.status).toBe(201);
  await contact.goto(`/cases/${foreign.body.id}`);
  await contact.getByText('There is no such case among yours.').waitFor();
  expect(await contact.content()).not.toContain(`Not Kim's ${run}`);
  expect(pageErrors).toEqual([]);
});
