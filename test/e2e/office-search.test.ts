// The office's search and projects list in headless Chromium against the real API,
// worker, Temporal and database: ops finds a project by a misspelt customer name and by
// a phone number from the header's box, a project created a moment ago is at the top of
// the list, the list sorts by a column and keeps its filters in the URL, and every page
// passes axe. Names are new per run (the database may be shared).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, expectAccessible, launchChromium, openPage, pageErrors, phone, repoRoot, screenshot, signIn, TIMEOUT } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

const word = (length: number) => {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  let text = '';
  for (let i = 0; i < length; i++) text += (i % 2 ? vowels : consonants)[crypto.randomInt(i % 2 ? vowels.length : consonants.length)];
  return text.charAt(0).toUpperCase() + text.slice(1);
};
const digits = (n: number) => Array.from({ length: n }, () => crypto.randomInt(10)).join('');

async function newPage(options = desktop): Promise<Page> {
  const { context, page } = await openPage(browser, options, system.url);
  contexts.push(context);
  return page;
}

const surname = word(8);
const local = digits(8);
const customerName = `Beatrix ${surname}`;
const phoneNumber = `(08) ${local.slice(0, 4)} ${local.slice(4)}`;
let projectId = '';
let siteAddress = '';

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  const ops = system.api.as('ops');
  const customer = await ops.post('/customers', { name: customerName, phone: phoneNumber, email: `b.${surname.toLowerCase()}@example.test` });
  siteAddress = `${digits(2)} ${word(7)} Terrace, Adelaide SA`;
  const site = await ops.post(`/customers/${customer.body.id}/sites`, { address: siteAddress });
  const project = await ops.post('/projects', { kind: 'service', customerId: customer.body.id, siteId: site.body.id, title: 'Inverter shows earth fault' });
  expect(project.status).toBe(201);
  projectId = project.body.id;
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/** Types into the header's search box and waits for the results page. */
async function searchFor(page: Page, text: string) {
  const box = page.getByRole('banner').getByRole('searchbox', { name: 'Search customers, sites and projects' });
  await box.fill(text);
  await box.press('Enter');
  await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === text);
  await page.getByRole('heading', { name: 'Projects' }).or(page.getByRole('heading', { name: 'Nothing found' })).waitFor({ timeout: TIMEOUT });
}

test('ops finds a project by a misspelt customer name, and by a phone number typed another way', async () => {
  const ops = await newPage();
  await signIn(ops, 'ops');
  // One wrong letter in the surname, and "Beatrice" for "Beatrix".
  const typo = `Beatrice ${surname.slice(0, 5)}${surname[5] === 'a' ? 'o' : 'a'}${surname.slice(6)}`;
  await searchFor(ops, typo);
  const projects = ops.getByRole('region', { name: 'Projects' });
  await projects.getByRole('link', { name: 'Inverter shows earth fault' }).waitFor();
  expect(await projects.textContent()).toContain(`${customerName} · ${siteAddress}`);
  const customers = ops.getByRole('region', { name: 'Customers' });
  const call = customers.getByRole('link', { name: `Call ${customerName} on ${phoneNumber}` });
  expect(await call.getAttribute('href')).toBe(`tel:08${local}`);
  await expectAccessible(ops, 'search results');
  await ops.getByRole('heading', { name: 'Search', level: 1 }).click();
  const file = await screenshot(ops, 'search');
  // The README's picture: written when missing or asked for, so a test run leaves the tree clean.
  const readmePicture = path.join(repoRoot, 'docs', 'console-search.png');
  if (process.env.UPDATE_DOCS_SCREENSHOTS || !fs.existsSync(readmePicture)) {
    fs.mkdirSync(path.dirname(readmePicture), { recursive: true });
    fs.copyFileSync(file, readmePicture);
  }

  // The phone number as the customer would say it, without spaces or brackets.
  await searchFor(ops, `08${local}`);
  await ops.getByRole('region', { name: 'Customers' }).getByRole('link', { name: `Customer ${customerName}` }).waitFor();
  await ops.getByRole('region', { name: 'Projects' }).getByRole('link', { name: 'Inverter shows earth fault' }).click();
  await ops.waitForURL(`**/projects/${projectId}`);
  expect(pageErrors).toEqual([]);
});

test('the projects list shows a project created a moment ago at the top, sorts by a column, and keeps filters in the URL', async () => {
  const ops = await newPage();
  await signIn(ops, 'ops');
  // Made a moment ago, so it is the newest project (or among the newest, with other files running).
  const title = `Battery alarm ${word(5)}`;
  const made = await system.api.as('ops').post('/projects', { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title });
  expect(made.status).toBe(201);
  // Counted from the projects page's own document on: the inbox the sign-in landed on
  // fetches its rows' projects, and may still be at it when the navigation starts.
  await ops.goto('/projects', { waitUntil: 'commit' });
  const requests: string[] = [];
  ops.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/customers') || pathname.startsWith('/projects')) requests.push(request.url());
  });
  const rows = ops.getByRole('table').getByRole('row');
  // Other test files may add projects at the same moment; ours is among the first, before any older one.
  await ops.getByRole('link', { name: title }).waitFor();
  const titles = await rows.locator('td:first-child a').allTextContents();
  expect(titles.indexOf(title)).toBeLessThan(3);
  expect(titles.indexOf(title)).toBeLessThan(titles.indexOf('Inverter shows earth fault') === -1 ? Infinity : titles.indexOf('Inverter shows earth fault'));
  await ops.getByTestId('projects-total').waitFor();
  expect(await ops.getByTestId('projects-total').textContent()).toMatch(/^(\d+|More than \d+) projects/);
  // The page's rows come in one request (a live refresh may repeat it): no request per
  // row for its project, customer or site.
  expect(requests.some((url) => new URL(url).pathname === '/projects' && new URL(url).searchParams.get('limit') === '20')).toBe(true);
  expect(requests.filter((url) => new URL(url).pathname !== '/projects')).toEqual([]);
  await expectAccessible(ops, 'projects list');

  // Sorting by title: the URL says so, and a reload keeps it.
  await ops.getByRole('button', { name: /^Project/ }).click();
  await ops.waitForURL(/sort=title&order=asc/);
  expect(await ops.getByRole('columnheader', { name: /Project/ }).getAttribute('aria-sort')).toBe('ascending');
  await ops.reload();
  expect(await ops.getByRole('columnheader', { name: /Project/ }).getAttribute('aria-sort')).toBe('ascending');
  // The box follows the URL, which the router updates in a transition: click, then wait for it.
  await ops.getByLabel('Overdue work only').click();
  await ops.waitForURL(/overdue=true/);
  await ops.reload();
  expect(await ops.getByLabel('Overdue work only').isChecked()).toBe(true);
  expect(new URL(ops.url()).searchParams.get('sort')).toBe('title');
  await ops.getByTestId('projects-total').or(ops.getByRole('heading', { name: 'No projects match these filters' })).first().waitFor();
  await expectAccessible(ops, 'projects list, filtered');
  expect(pageErrors).toEqual([]);
});

test('on a 360 px phone the search box fits and its targets are 44 px tall', async () => {
  const page = await newPage(phone);
  await signIn(page, 'ops');
  const box = page.getByRole('banner').getByRole('searchbox', { name: 'Search customers, sites and projects' });
  const button = page.getByRole('banner').getByRole('button', { name: 'Search' });
  for (const target of [box, button]) expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await searchFor(page, surname);
  await page.getByRole('region', { name: 'Customers' }).getByRole('link', { name: `Customer ${customerName}` }).waitFor();
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(360);
  await expectAccessible(page, 'search results on a phone');
});
