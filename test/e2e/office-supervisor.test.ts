// The office's oversight in headless Chromium against the real API, worker, Temporal and
// database, with deadlines of seconds: a supervisor watches a task go overdue and then
// escalate, and its notification arrive, without reloading; an admin adds a person who
// then signs in, and disables them again; the article catalogue and the settings with
// the configured Temporal UI link. Every page passes axe.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, markDocument, openPage, pageErrors, phone, repoRoot, screenshot, signIn, stillSameDocument } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(options = desktop): Promise<Page> {
  const { context, page } = await openPage(browser, options, system.url);
  contexts.push(context);
  return page;
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([
    startTestSystem({ TASK_DUE_AFTER: 'PT8S', TASK_ESCALATE_AFTER: 'PT10S', TEMPORAL_UI_PUBLIC_URL: 'https://temporal.example.test/' }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/**
 * A supervisor of this test's own: reads are per person, so no other test file (they may
 * share the database) reads their notifications while this one counts them.
 */
async function newSupervisor(page: Page): Promise<{ email: string; password: string }> {
  const email = `sam.${crypto.randomUUID().slice(0, 8)}@example.test`;
  const password = 'supervisor-password';
  const created = await system.api.as('admin').post('/users', { email, name: 'Sue Supervisor', role: 'supervisor', password });
  expect(created.status).toBe(201);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').getByTestId('role').waitFor();
  return { email, password };
}

/** The number the bell says, from its accessible name. */
async function unread(page: Page): Promise<number> {
  const label = (await page.getByRole('banner').getByRole('link', { name: /^Notifications/ }).getAttribute('aria-label')) ?? '';
  const match = /(\d+) unread/.exec(label);
  return match ? Number(match[1]) : 0;
}

test('a supervisor sees a task go overdue, then escalate, and its notification arrive, without a reload', async () => {
  const supervisor = await newPage();
  const account = await newSupervisor(supervisor);
  await supervisor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).click();
  await supervisor.getByRole('heading', { name: 'Supervision', level: 1 }).waitFor();
  await supervisor.getByTestId('supervision-totals').waitFor();
  await supervisor.locator('.live--live').waitFor();
  await expectAccessible(supervisor, 'supervision');
  await markDocument(supervisor);
  const before = await unread(supervisor);

  // Nobody takes this request: due in 8 s, escalated 10 s later.
  const title = `Nobody answers ${crypto.randomUUID().slice(0, 8)}`;
  const flow = await Flow.create(system.api, title);
  const task = await flow.openTask('service_request');
  // Meanwhile a costly service order arrives for approval; it shows at once.
  const order = await Flow.create(system.api, `New battery ${crypto.randomUUID().slice(0, 8)}`);
  await order.complete('service_request', { description: 'Battery swollen', resolution: 'site_visit', jobType: 'replacement', estimateCents: 450_000 });
  const approval = supervisor.getByTestId(`approvals-${(await order.openTask('approve_service_order')).id}`);
  await approval.waitFor();
  expect(await approval.textContent()).toContain('4,500.00');
  const row = supervisor.getByTestId(`overdue-${task.id}`);
  await row.waitFor({ timeout: 30_000 });
  expect(await row.textContent()).toContain(title);
  expect(await row.textContent()).toContain('Operations team');
  expect(await row.textContent()).not.toContain('Escalated');
  await eventually(async () => expect(await row.textContent()).toContain('Escalated'), 30_000);
  await eventually(async () => expect(await unread(supervisor)).toBeGreaterThan(before));
  expect(Number(await supervisor.getByTestId('workload-groups-group:ops').locator('td').nth(2).textContent())).toBeGreaterThanOrEqual(1);
  expect(await stillSameDocument(supervisor)).toBe(true);
  await expectAccessible(supervisor, 'supervision (escalated)');
  const file = await screenshot(supervisor, 'supervision');
  // The README's picture: written when missing or asked for, so a test run leaves the tree clean.
  const readmePicture = path.join(repoRoot, 'docs', 'console-supervision.png');
  if (process.env.UPDATE_DOCS_SCREENSHOTS || !fs.existsSync(readmePicture)) fs.copyFileSync(file, readmePicture);

  // The bell opens the list; the escalation is there, unread, and opens its task.
  await supervisor.getByRole('banner').getByRole('link', { name: /^Notifications/ }).click();
  await supervisor.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  const item = supervisor.locator('.notification', { hasText: title });
  await item.waitFor();
  expect(await item.textContent()).toContain('Escalated');
  expect(await item.textContent()).toContain('(unread)');
  await expectAccessible(supervisor, 'notifications');
  await screenshot(supervisor, 'notifications');
  await item.getByRole('button', { name: /^Mark read/ }).click();
  await eventually(async () => expect(await item.textContent()).not.toContain('(unread)'));
  // The bell agrees with the API (other test files may add escalations meanwhile).
  const token = await system.api.login(account.email, account.password);
  await eventually(async () => {
    const page = await system.api.request('GET', '/notifications?limit=1', { headers: { Authorization: `Bearer ${token}` } });
    expect(await unread(supervisor)).toBe(page.body.unreadCount);
  });
  await supervisor.getByRole('button', { name: 'Unread' }).click();
  await supervisor.waitForURL(/show=unread/);
  await eventually(async () => expect(await supervisor.locator('.notification', { hasText: title }).count()).toBe(0));
  expect(pageErrors).toEqual([]);
});

test('ops gets no supervision page; the bell is a 44 px target on a 360 px phone', async () => {
  const ops = await newPage(phone);
  await signIn(ops, 'ops');
  expect(await ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).count()).toBe(0);
  await ops.goto('/supervisor');
  await ops.getByText('Not available for your role').waitFor();
  const bell = ops.getByRole('banner').getByRole('link', { name: /^Notifications/ });
  const box = (await bell.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(44);
  expect(box.height).toBeGreaterThanOrEqual(44);
  await bell.click();
  await ops.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  await expectAccessible(ops, 'notifications (phone)');
  for (const button of await ops.locator('main button').all()) {
    const size = (await button.boundingBox())!;
    expect(size.height).toBeGreaterThanOrEqual(44);
  }
});

test('an admin adds a person on the users page, who then signs in; disabled, they cannot', async () => {
  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await admin.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
  await expectAccessible(admin, 'admin');
  await admin.getByRole('link', { name: 'Users' }).click();
  await admin.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await admin.getByTestId('users').waitFor();
  await expectAccessible(admin, 'users');

  // An empty form: every problem at once, in words, each a link to its field.
  await admin.getByRole('button', { name: 'Add person' }).click();
  const summary = admin.locator('#user-errors');
  await summary.waitFor();
  expect(await summary.getByRole('link').allTextContents()).toEqual([
    'Enter the person’s name.',
    'Enter an email address like name@example.com.',
    'Choose a password of at least 12 characters.',
  ]);
  await expectAccessible(admin, 'users (errors)');
  await summary.getByRole('link', { name: /email address/ }).click();
  expect(await admin.evaluate('document.activeElement && document.activeElement.id')).toBe('user-email');

  const email = `ines.${crypto.randomUUID().slice(0, 8)}@example.test`;
  const password = 'a-long-first-password';
  await admin.getByLabel('Name').fill('Ines Installer');
  await admin.getByLabel('Email').fill(email);
  await admin.getByLabel('Role').selectOption({ label: 'Installer' });
  await admin.getByLabel('First password').fill(password);
  await admin.getByRole('button', { name: 'Add person' }).click();
  const row = admin.getByTestId(`user-${email}`);
  await row.waitFor();
  expect(await row.textContent()).toContain('Installer');
  expect(await summary.count()).toBe(0);
  await screenshot(admin, 'users');

  // The same email again is refused in words.
  await admin.getByLabel('Name').fill('Ines Again');
  await admin.getByLabel('Email').fill(email.toUpperCase());
  await admin.getByLabel('First password').fill(password);
  await admin.getByRole('button', { name: 'Add person' }).click();
  await summary.getByText('Someone already signs in with this email.').waitFor();

  const newcomer = await newPage(phone);
  await newcomer.goto('/sign-in');
  await newcomer.getByLabel('Email').fill(email);
  await newcomer.getByLabel('Password').fill(password);
  await newcomer.getByRole('button', { name: 'Sign in' }).click();
  await newcomer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();
  expect(await newcomer.getByRole('banner').getByTestId('role').textContent()).toBe('Installer');

  await row.getByRole('button', { name: 'Disable Ines Installer' }).click();
  await row.getByRole('button', { name: 'Disable Ines Installer' }).click();
  await eventually(async () => expect(await row.textContent()).toContain('Disabled'));
  const login = await system.api.request('POST', '/auth/login', { body: { email, password } });
  expect(login.status).toBe(401);
});

test('the article catalogue takes a new article; the settings link to the configured Temporal UI', async () => {
  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.goto('/admin');
  await admin.getByRole('link', { name: 'Article catalogue' }).click();
  await admin.getByRole('heading', { name: 'Article catalogue', level: 1 }).waitFor();
  await admin.getByTestId('articles').waitFor();
  await expectAccessible(admin, 'articles');
  const number = `TEST-${crypto.randomUUID().slice(0, 6)}`;
  await admin.getByLabel('Article number').fill(number);
  await admin.getByLabel('Name', { exact: true }).fill('Cable tie 300 mm');
  await admin.getByLabel('Price per unit').fill('0.35');
  await admin.getByRole('button', { name: 'Add article' }).click();
  const row = admin.getByTestId('articles').locator('tr', { hasText: number });
  await row.waitFor();
  expect(await row.textContent()).toContain('0.35');
  await screenshot(admin, 'articles');

  await admin.goto('/admin');
  await admin.getByRole('link', { name: 'Settings' }).click();
  await admin.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  const link = admin.getByRole('link', { name: /Temporal UI/ });
  expect(await link.getAttribute('href')).toBe('https://temporal.example.test/namespaces/default/workflows');
  await expectAccessible(admin, 'settings');
  expect(pageErrors).toEqual([]);
});
