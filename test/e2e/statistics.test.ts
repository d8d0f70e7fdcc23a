// The office's statistics page in headless Chromium against the real API, worker,
// Temporal and database: the charts are drawn (canvases), each has its numbers as a
// table with this run's cases in it, the period lives in the URL, the article export
// downloads as a workbook, and the page passes axe. Names are new per run (the database
// may be shared).
import crypto from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, expectAccessible, launchChromium, openPage, pageErrors, screenshot, signIn, TIMEOUT } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
const run = crypto.randomUUID().replace(/-/g, '').slice(0, 8);
const category = `zz${run}`;
const address = `${run} Statistics Parade, Adelaide SA`;
let today = '';

async function newPage(): Promise<Page> {
  const { context, page } = await openPage(browser, { ...desktop, acceptDownloads: true }, system.url);
  contexts.push(context);
  return page;
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  const ops = system.api.as('ops');
  const customer = await ops.post('/customers', { name: `Statistics ${run}` });
  const site = await ops.post(`/customers/${customer.body.id}/sites`, { address });
  for (const description of ['Inverter beeps', 'Inverter beeps again']) {
    const raised = await ops.post('/cases', { customerId: customer.body.id, siteId: site.body.id, category, description, raisedBy: 'staff' });
    expect(raised.status).toBe(201);
  }
  // Two more that moved on: one not required, one resolved after an internal review (stages left, lead times).
  const second = await ops.post(`/customers/${customer.body.id}/sites`, { address: `${run} Second Street, Adelaide SA` });
  const closed = [
    await ops.post('/cases', { customerId: customer.body.id, siteId: second.body.id, category: 'battery', description: 'Duplicate', raisedBy: 'staff' }),
    await ops.post('/cases', { customerId: customer.body.id, siteId: second.body.id, category: 'inverter', description: 'Logs', raisedBy: 'staff' }),
  ].map((answer) => new Flow(system.api, answer.body.id));
  await closed[0]!.complete('service_request', { description: 'Duplicate', resolution: 'not_required' });
  await closed[1]!.complete('service_request', { description: 'Check the logs', resolution: 'internal' });
  await closed[1]!.complete('internal_review', { outcome: 'resolved' });
  today = new Intl.DateTimeFormat('en-CA', { timeZone: system.config.companyTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/** The rows of a chart's table, as text cells. */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  const rows = page.getByTestId(`table-${id}`).locator('tbody tr');
  const cells: string[][] = [];
  for (let index = 0; index < (await rows.count()); index++) cells.push((await rows.nth(index).locator('th, td').allTextContents()).map((text) => text.trim()));
  return cells;
}

test('ops sees the charts with their numbers, keeps the period in the URL and downloads the article export', async () => {
  const page = await newPage();
  await signIn(page, 'ops');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).click();
  await page.getByRole('heading', { name: 'Statistics', level: 1 }).waitFor();
  await page.goto(`/statistics?from=${today}&to=${today}`);

  // Five charts, each a canvas with an accessible name.
  for (const id of ['status', 'category', 'site', 'month']) await page.getByTestId(`chart-${id}`).locator('canvas').waitFor({ timeout: TIMEOUT });
  const canvases = page.locator('canvas[role="img"]');
  expect(await canvases.count()).toBeGreaterThanOrEqual(4);
  for (let index = 0; index < (await canvases.count()); index++) expect(await canvases.nth(index).getAttribute('aria-label')).toMatch(/case|stage/);

  // The tables say the same in numbers: this run's site and category have their two cases.
  await page.getByTestId('chart-site').getByText('Show the numbers').click();
  expect(await tableRows(page, 'site')).toContainEqual([address, '2']);
  await page.getByTestId('chart-category').getByText('Show the numbers').click();
  expect(await tableRows(page, 'category')).toContainEqual([`Zz${run}`, '2']);
  await page.getByTestId('chart-status').getByText('Show the numbers').click();
  const planned = (await tableRows(page, 'status')).find(([status]) => status === 'Planned');
  expect(Number(planned?.[1])).toBeGreaterThanOrEqual(2);
  await page.getByTestId('chart-lead-times').getByText('Show the numbers').click();
  const stages = (await tableRows(page, 'lead-times')).map(([stage]) => stage);
  expect(stages).toEqual(expect.arrayContaining(['Requesting', 'Investigating']));
  await expectAccessible(page, 'statistics');
  await screenshot(page, 'statistics');

  // The article export of the period, as the browser saves it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as Excel (.xlsx)' }).click()]);
  expect(download.suggestedFilename()).toBe(`articles_${today}_${today}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
  expect((workbook.getWorksheet('Registrations')!.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['Date', 'Case']);

  // Another period through the form: it goes into the URL, and a year long past is empty.
  await page.getByLabel('From', { exact: true }).fill('2020-01-01');
  await page.getByLabel('To', { exact: true }).fill('2020-01-31');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL((url) => url.searchParams.get('from') === '2020-01-01' && url.searchParams.get('to') === '2020-01-31');
  await page.getByText('No cases in this period').first().waitFor();
  // A period that ends before it starts is explained, not sent.
  await page.getByLabel('From', { exact: true }).fill('2020-02-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('alert').getByText(/ends before it starts/).waitFor();
  expect(new URL(page.url()).searchParams.get('from')).toBe('2020-01-01');
  await expectAccessible(page, 'statistics (empty period)');
  expect(pageErrors).toEqual([]);
});

test('installers and customers have no statistics', async () => {
  for (const role of ['installer', 'customer']) {
    const page = await newPage();
    await signIn(page, role);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).count()).toBe(0);
    await page.goto('/statistics');
    await page.waitForLoadState('networkidle');
    expect(await page.locator('canvas').count()).toBe(0);
  }
});
