// A case's thread on the office's project page, in headless Chromium against the real API,
// worker, Temporal and database: ops writes to the customer, the customer's answer (sent
// over HTTP, as the portal would) arrives without a reload, a wrong message is explained in
// plain words, the page is axe clean and its controls are 44 px tap targets.
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_SITE_ID } from '../../runtime/demo';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, markDocument, openPage, pageErrors, screenshot, signIn, stillSameDocument } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const { context, page } = await openPage(browser, desktop, system.url);
  contexts.push(context);
  return page;
}

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

test("ops writes to the customer on the project page and sees the customer's reply arrive live", async () => {
  const marker = crypto.randomUUID().slice(0, 8);
  const raised = await system.api.as('customer').post('/cases', { siteId: DEMO_SITE_ID, category: 'battery', description: `Battery shows 0 % (${marker})`, kind: 'issue' });
  expect(raised.status).toBe(201);
  const projectId: string = raised.body.id;

  const page = await newPage();
  await signIn(page, 'ops');
  await page.goto(`/projects/${projectId}`);
  const thread = page.getByRole('region', { name: /Messages with the customer/ });
  await thread.getByText('No messages yet').waitFor();

  // Sending nothing is explained in words, next to the field, and sends nothing.
  await thread.getByRole('button', { name: 'Send message' }).click();
  await thread.getByText('Write a message first.').waitFor();
  expect(await thread.getByLabel('Message to the customer').getAttribute('aria-invalid')).toBe('true');

  await thread.getByLabel('Message to the customer').fill(`Is the battery's display blank too? (${marker})`);
  await thread.getByRole('button', { name: 'Send message' }).click();
  const messages = thread.getByTestId('case-message');
  await eventually(async () => expect(await messages.count()).toBe(1));
  expect(await messages.first().textContent()).toContain('You');
  expect(await thread.getByLabel('Message to the customer').inputValue()).toBe('');
  await expect(thread.getByText('Write a message first.').count()).resolves.toBe(0);

  // The customer answers from the portal: it arrives here without a reload.
  await markDocument(page);
  const reply = await system.api.as('customer').post(`/projects/${projectId}/messages`, { body: `Yes, blank since this morning (${marker})` });
  expect(reply.status).toBe(201);
  await eventually(async () => expect(await messages.count()).toBe(2));
  const last = await messages.nth(1).textContent();
  expect(last).toContain(`Yes, blank since this morning (${marker})`);
  expect(last).toContain('Cleo Customer (customer)');
  expect(await stillSameDocument(page)).toBe(true);
  // The timeline has both, live too.
  const timeline = page.getByTestId('timeline');
  await eventually(async () => expect(await timeline.textContent()).toContain(`Yes, blank since this morning (${marker})`));

  // Tap targets of the thread: 44 px at least.
  for (const control of [thread.getByRole('button', { name: 'Send message' }), thread.getByLabel('Message to the customer')]) {
    const box = await control.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  await expectAccessible(page, 'project (case thread)');
  await screenshot(page, 'case-thread');
});
