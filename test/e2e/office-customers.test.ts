// The office's customer and site pages in headless Chromium against the real API, worker,
// Temporal and database: ops creates a project for a new customer, opens the customer from
// the project page and finds the phone typed at creation as a tel: link; opens the site,
// edits its NMI (a wrong one is refused with every error named at once) and sees it. Every
// page passes axe without serious violations.
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, pageWidth, phone, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
let ops: Page;
// Unique per run: with PostgreSQL the test files share one database.
const run = crypto.randomUUID().slice(0, 6);
const customerName = `Margit Holm ${run}`;
const address = `${run} Rundle Mall, Adelaide SA 5000`;
let customerUrl = '';

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  const { context, page } = await openPage(browser, desktop, system.url);
  contexts.push(context);
  ops = page;
  await signIn(ops, 'ops');
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

test('ops opens the customer from the project page and can call the number typed at creation', async () => {
  await ops.goto('/projects/new');
  await ops.getByRole('radio', { name: 'New customer' }).check();
  await ops.getByLabel('Customer name').fill(customerName);
  await ops.getByLabel('Email', { exact: false }).fill('margit@example.com.au');
  await ops.getByLabel('Phone', { exact: false }).fill('+61 8 8231 0000');
  await ops.getByLabel('Site address').fill(address);
  await ops.getByLabel('Title', { exact: false }).fill(`Battery alarm ${run}`);
  await ops.getByRole('button', { name: /Create service project/ }).click();
  await ops.waitForURL(/\/projects\/prj_/);
  await ops.getByRole('heading', { name: `Battery alarm ${run}`, level: 1 }).waitFor();

  // The header names the customer as a link to their page.
  const link = ops.getByRole('main').getByRole('link', { name: customerName, exact: true });
  await link.click();
  await ops.waitForURL(/\/customers\/cus_/);
  customerUrl = new URL(ops.url()).pathname;
  await ops.getByRole('heading', { name: customerName, level: 1 }).waitFor();

  const call = ops.getByTestId('contacts').getByRole('link', { name: 'Call +61 8 8231 0000' });
  expect(await call.getAttribute('href')).toBe('tel:+61882310000');
  expect(await ops.getByTestId('contacts').getByRole('link', { name: /Email margit@example.com.au/ }).getAttribute('href')).toBe('mailto:margit@example.com.au');
  // Its site and the open project are on the page.
  await ops.getByTestId('sites').getByRole('link', { name: address, exact: true }).waitFor();
  await ops.getByRole('region', { name: /Open projects/ }).getByRole('link', { name: `Battery alarm ${run}` }).waitFor();
  await expectAccessible(ops, 'customer');
  await screenshot(ops, 'office-customer');

  // Staff edit the details; a wrong form names every field at once, and changes nothing.
  await ops.getByRole('button', { name: 'Edit details' }).click();
  await ops.getByLabel('Name', { exact: true }).fill('');
  await ops.getByLabel('Email', { exact: false }).fill('not an email');
  await ops.getByLabel('Phone', { exact: false }).fill('ring me');
  await ops.getByRole('button', { name: 'Save details' }).click();
  const summary = ops.getByTestId('error-summary');
  await summary.waitFor();
  for (const field of ['Name', 'Email', 'Phone']) await summary.getByRole('link', { name: new RegExp(`^${field}:`) }).waitFor();
  expect(await summary.textContent()).not.toMatch(/schema|Too small|>=/);
  await expectAccessible(ops, 'customer (edit errors)');
  await ops.getByLabel('Name', { exact: true }).fill(`${customerName} Pty`);
  await ops.getByLabel('Email', { exact: false }).fill('margit@example.com.au');
  await ops.getByLabel('Phone', { exact: false }).fill('08 8231 0001');
  await ops.getByRole('button', { name: 'Save details' }).click();
  await ops.getByRole('heading', { name: `${customerName} Pty`, level: 1 }).waitFor();
  await ops.getByTestId('contacts').getByRole('link', { name: 'Call 08 8231 0001' }).waitFor();
  await ops.getByText('by Olle Ops').waitFor();
});

test("ops opens the site, edits its NMI and sees it; the map link and the equipment and history are there", async () => {
  await ops.goto(customerUrl);
  await ops.getByTestId('sites').getByRole('link', { name: address, exact: true }).click();
  await ops.waitForURL(/\/sites\/sit_/);
  await ops.getByRole('heading', { name: address, level: 1 }).waitFor();
  const map = ops.getByRole('link', { name: /Open map/ });
  expect(await map.getAttribute('href')).toBe(`https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`);
  await ops.getByTestId('site-history').getByRole('link', { name: `Battery alarm ${run}` }).waitFor();
  await ops.getByText('No equipment registered at this site yet.').waitFor();
  expect(await ops.getByTestId('site-facts').textContent()).toContain('Not recorded');
  await expectAccessible(ops, 'site');

  await ops.getByRole('button', { name: 'Edit site' }).click();
  await ops.getByLabel('NMI', { exact: false }).fill('SA123');
  await ops.getByLabel('Latitude', { exact: false }).fill('-34.92');
  await ops.getByLabel('Phases', { exact: false }).selectOption('3');
  await ops.getByRole('button', { name: 'Save site' }).click();
  const summary = ops.getByTestId('error-summary');
  await summary.waitFor();
  await summary.getByRole('link', { name: /^NMI:/ }).waitFor();
  await summary.getByRole('link', { name: /^Longitude:/ }).waitFor();
  // The summary's link takes the keyboard to the field.
  await summary.getByRole('link', { name: /^NMI:/ }).click();
  expect(await ops.evaluate('document.activeElement && document.activeElement.id')).toBe('edit-site-nmi');
  await expectAccessible(ops, 'site (edit errors)');
  expect(await ops.getByTestId('site-facts').textContent()).not.toContain('3 phases');

  await ops.getByLabel('NMI', { exact: false }).fill('sa12345678');
  await ops.getByLabel('Latitude', { exact: false }).fill('');
  await ops.getByRole('button', { name: 'Save site' }).click();
  await eventually(async () => expect(await ops.getByTestId('site-facts').textContent()).toContain('SA12345678'));
  expect(await ops.getByTestId('site-facts').textContent()).toContain('3 phases');
  await ops.getByText('by Olle Ops').waitFor();
  await screenshot(ops, 'office-site');

  // It stays after a reload, and the customer page shows the NMI too.
  await ops.reload();
  await eventually(async () => expect(await ops.getByTestId('site-facts').textContent()).toContain('SA12345678'));
  await ops.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: `${customerName} Pty` }).click();
  await ops.getByTestId('sites').getByText('NMI SA12345678').waitFor();
});

test('on a 360 px phone both pages fit the screen and the call button is big enough to tap', async () => {
  const { context, page } = await openPage(browser, phone, system.url);
  contexts.push(context);
  await signIn(page, 'ops');
  await page.goto(customerUrl);
  const call = page.getByTestId('contacts').getByRole('link', { name: /^Call / });
  await call.waitFor();
  const box = await call.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await expectAccessible(page, 'customer (phone)');
  await page.getByTestId('sites').getByRole('link', { name: address, exact: true }).click();
  await page.getByRole('heading', { name: address, level: 1 }).waitFor();
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await expectAccessible(page, 'site (phone)');
});

test('no page errors', () => {
  expect(pageErrors).toEqual([]);
});
