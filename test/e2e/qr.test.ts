// QR intake in headless Chromium against the real API, worker, Temporal and database: the
// office sees a site's code on its page; someone at the site opens the code's URL on a
// 360 px phone without an account, finds the site and contact filled in, gets every
// mistake named at once, sends the report and reads the case number; the office sees the
// case. The office revokes the code on the site page, and the old URL then shows a page
// that says so instead of a form; an altered code too. Every page passes axe.
import crypto from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_CUSTOMER_ID } from '../../runtime/demo';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, expectAccessible, launchChromium, openPage, pageErrors, pageWidth, phone, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
let ops: Page;
const run = crypto.randomUUID().slice(0, 6);
const address = `${run} Jetty Road, Glenelg SA 5045`;
let siteId = '';
let formUrl = '';

/** The URL the site's PNG code holds, read back from its pixels. */
async function scan(id: string): Promise<string> {
  const token = await system.api.login('ops@demo.test');
  const response = await fetch(`${system.url}/sites/${id}/qr`, { headers: { Authorization: `Bearer ${token}` } });
  const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)!.data;
}

async function onPhone(): Promise<Page> {
  const { context, page } = await openPage(browser, phone, system.url);
  contexts.push(context);
  return page;
}

/** Every visible button, input, select and textarea is at least 44 px tall and wide. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('button, input, select, textarea, a')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ el, box: el.getBoundingClientRect() }))
    .filter(({ box }) => box.height < 44 || box.width < 44)
    .map(({ el, box }) => el.tagName + ' ' + (el.id || el.textContent.trim()) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height))`);
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  const site = await system.api.as('ops').post(`/customers/${DEMO_CUSTOMER_ID}/sites`, { address });
  siteId = site.body.id;
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

test("the office sees the site's QR code on the site page", async () => {
  await ops.goto(`/sites/${siteId}`);
  const card = ops.getByTestId('site-qr');
  const image = card.getByRole('img', { name: `QR code for reporting a fault at ${address}` });
  // Made on the server on first sight: a loaded machine may take a while.
  await image.waitFor({ timeout: 60_000 });
  await ops.waitForFunction(`(() => { const img = document.querySelector('[data-testid="site-qr"] img'); return img && img.complete && img.naturalWidth > 0; })()`);
  await card.getByRole('button', { name: 'Download SVG' }).waitFor();
  await expectAccessible(ops, 'site (QR code)');
  formUrl = await scan(siteId);
  expect(formUrl.startsWith(`${system.url}/qr/`)).toBe(true);
  // The customer page offers the printable sheet.
  await ops.goto(`/customers/${DEMO_CUSTOMER_ID}`);
  const download = ops.waitForEvent('download');
  await ops.getByRole('button', { name: 'QR codes to print (PDF)' }).click();
  expect((await download).suggestedFilename()).toBe(`qr-codes-${DEMO_CUSTOMER_ID}.pdf`);
});

test('on a 360 px phone the form is prefilled, names every mistake at once, and answers with the case number', async () => {
  expect(formUrl).not.toBe('');
  const page = await onPhone();
  await page.goto(formUrl);
  await page.getByRole('heading', { name: 'Report a fault', level: 1 }).waitFor();
  const site = page.getByTestId('qr-site');
  expect(await site.textContent()).toContain(address);
  expect(await site.textContent()).toContain('Demo Solar Household');
  expect(await page.getByLabel('Your name').inputValue()).toBe('Demo Solar Household');
  // The number and email on file only as hints.
  await page.getByText('Leave empty to be called on the number we have (ending in 00).').waitFor();
  expect(await page.content()).not.toContain('+61 400 000 000');
  await expectAccessible(page, 'QR form');
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  expect(await smallTargets(page)).toEqual([]);

  // Nothing written, a wrong phone and a wrong email: all three named in one summary.
  await page.getByLabel('Your phone').fill('call me');
  await page.getByLabel('Your email').fill('not an email');
  await page.getByRole('button', { name: 'Send report' }).click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  for (const field of ['What is wrong', 'Your phone', 'Your email']) await summary.getByRole('link', { name: new RegExp(`^${field}:`) }).waitFor();
  await expectAccessible(page, 'QR form (errors)');

  await page.getByLabel('What it is about').selectOption('battery');
  await page.getByLabel('What is wrong').fill(`Battery cabinet smells of burning (${run})`);
  await page.getByLabel('Your name').fill('Tom Tenant');
  await page.getByLabel('Your phone').fill('0412 345 678');
  await page.getByLabel('Your email').fill('');
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('heading', { name: 'Thank you, your report is in' }).waitFor();
  const caseId = (await page.getByTestId('qr-case-id').textContent())!.trim();
  expect(caseId).toMatch(/^prj_/);
  await expectAccessible(page, 'QR form (sent)');
  expect(await smallTargets(page)).toEqual([]);
  await screenshot(page, 'qr-form-sent', false);

  // The office has the case, raised through the code, with the contact the form gave.
  const office = (await system.api.as('ops').get(`/projects/${caseId}`)).body;
  expect(office).toMatchObject({ siteId, title: 'Deviation: battery', case: { source: 'qr', category: 'battery', contactName: 'Tom Tenant', contactPhone: '0412 345 678' } });
  expect(office.case.contactEmail).toBeUndefined();
});

test("the office revokes the code on the site page; the old code's page says so and offers no form; an altered code too", async () => {
  await ops.goto(`/sites/${siteId}`);
  const card = ops.getByTestId('site-qr');
  await card.getByRole('img').waitFor({ timeout: 60_000 });
  await card.getByRole('button', { name: 'Revoke code…' }).click();
  await expectAccessible(ops, 'site (revoke?)');
  await card.getByRole('button', { name: 'Yes, revoke it' }).click();
  await card.getByText('The old code no longer works.').waitFor({ timeout: 60_000 });
  const fresh = await scan(siteId);
  expect(fresh).not.toBe(formUrl);

  const page = await onPhone();
  await page.goto(formUrl);
  await page.getByRole('heading', { name: 'This QR code no longer works', level: 1 }).waitFor();
  await page.getByText('The code has been withdrawn by the office.').waitFor();
  expect(await page.locator('form, textarea').count()).toBe(0);
  await expectAccessible(page, 'QR code revoked');
  await screenshot(page, 'qr-revoked', false);

  // One character changed in the new code: not ours.
  const token = fresh.slice(fresh.lastIndexOf('/qr/') + 4);
  const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  await page.goto(`/qr/${altered}`);
  await page.getByRole('heading', { name: 'This QR code cannot be used', level: 1 }).waitFor();
  expect(await page.locator('form, textarea').count()).toBe(0);
  await expectAccessible(page, 'QR code altered');

  // The new code opens the form.
  await page.goto(fresh);
  await page.getByRole('button', { name: 'Send report' }).waitFor();
  expect(pageErrors).toEqual([]);
});
