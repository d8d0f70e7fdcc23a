// Routing in headless Chromium against the real API, worker, Temporal and database: an
// admin adds a group (members ticked from the office's people) and a rule for a customer
// through the Routing page; the customer's next case lands with the group, one member
// takes it from the task page and the other sees who has it. Every page passes axe.
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
// Unique per run: with PostgreSQL the test files share one database.
const run = crypto.randomUUID().slice(0, 6);
const PASSWORD = 'routing-e2e-password';
const groupName = `Service North ${run}`;
const customerName = `Routing Household ${run}`;
const people = [
  { name: `Greta Group ${run}`, email: `greta.${run}@routing.test` },
  { name: `Gunnar Group ${run}`, email: `gunnar.${run}@routing.test` },
];
let customerId = '';
let siteId = '';

async function signInAs(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').getByTestId('role').waitFor();
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  const admin = system.api.as('admin');
  for (const person of people) {
    const answer = await admin.post('/users', { ...person, role: 'ops', password: PASSWORD });
    if (answer.status !== 201) throw new Error(`user: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const customer = await admin.post('/customers', { name: customerName });
  customerId = customer.body.id;
  siteId = (await admin.post(`/customers/${customerId}/sites`, { address: `${run} Routing Road, Adelaide SA 5000` })).body.id;
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

test('an admin adds a group and a rule on the Routing page; a member takes the routed task', async () => {
  const { context, page } = await openPage(browser, desktop, system.url);
  contexts.push(context);
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Routing' }).click();
  await page.getByRole('heading', { name: 'Routing', level: 1 }).waitFor();

  // A group, its members ticked from the office's people.
  const groupForm = page.getByRole('form', { name: 'Add a group' });
  await groupForm.getByRole('button', { name: 'Add group' }).click();
  await groupForm.getByRole('alert').getByText('Enter the group’s name.').waitFor();
  await groupForm.getByLabel('Name').fill(groupName);
  for (const person of people) await groupForm.getByLabel(person.name).check();
  await groupForm.getByRole('button', { name: 'Add group' }).click();
  const groups = page.getByTestId('groups');
  await groups.getByRole('heading', { name: groupName }).waitFor();
  await eventually(async () => expect(await groups.textContent()).toContain(`${people[0].name}, ${people[1].name}`));

  // A rule for the customer: a bad priority is named first, then the rule is listed.
  const ruleForm = page.getByRole('form', { name: 'Add a rule' });
  await ruleForm.getByLabel('Priority').fill('first');
  await ruleForm.getByRole('button', { name: 'Add rule' }).click();
  const summary = page.locator('#rule-errors');
  await summary.getByRole('link', { name: /whole number/ }).waitFor();
  await summary.getByRole('link', { name: /person or group/ }).waitFor();
  await expectAccessible(page, 'routing (errors)');
  await ruleForm.getByLabel('Priority').fill('3');
  await ruleForm.getByLabel('Customer').selectOption(customerId);
  await eventually(async () => expect(await ruleForm.getByLabel('Site').locator('option').count()).toBe(2));
  await ruleForm.getByLabel('Site').selectOption(siteId);
  await ruleForm.getByLabel('Goes to').selectOption({ label: groupName });
  await ruleForm.getByRole('button', { name: 'Add rule' }).click();
  const rules = page.getByTestId('routing-rules');
  const row = rules.getByRole('row').filter({ hasText: customerName });
  await row.waitFor();
  expect(await row.textContent()).toContain(groupName);
  expect(await row.getByRole('cell').first().textContent()).toBe('3');
  await expectAccessible(page, 'routing');
  await screenshot(page, 'office-routing');

  // The customer's next case goes to the group; each member sees it in their inbox.
  const flow = await Flow.create(system.api, `Routed leak ${run}`, customerId, siteId);
  const task = await flow.openTask('service_request');
  expect(task.assignee).toMatch(/^group:grp_/);

  const greta = await openPage(browser, desktop, system.url);
  const gunnar = await openPage(browser, desktop, system.url);
  contexts.push(greta.context, gunnar.context);
  await signInAs(greta.page, people[0].email);
  await signInAs(gunnar.page, people[1].email);
  for (const member of [greta.page, gunnar.page]) {
    const link = member.getByRole('list', { name: 'Open tasks' }).getByRole('link').filter({ hasText: `Routed leak ${run}` });
    await link.waitFor();
    expect(await link.textContent()).toContain(groupName);
  }

  // Greta takes it from the task page; Gunnar then sees that she has it, with no form to fill.
  await greta.page.goto(`/tasks/${task.id}`);
  await greta.page.getByTestId('take-task').getByRole('button', { name: 'Take it' }).click();
  await eventually(async () => expect(await greta.page.getByTestId('task-holder').textContent()).toBe('You'));
  expect(await greta.page.getByTestId('take-task').count()).toBe(0);
  await expectAccessible(greta.page, 'task (taken)');
  await screenshot(greta.page, 'office-task-taken');
  await gunnar.page.goto(`/tasks/${task.id}`);
  await eventually(async () => expect(await gunnar.page.getByTestId('task-holder').textContent()).toBe(people[0].name));
  await gunnar.page.getByText(`${people[0].name} has taken this task`).waitFor();
  expect(await gunnar.page.getByTestId('take-task').count()).toBe(0);

  // The rule goes again (it would route this test's customer only, but the table is shared).
  await row.getByRole('button', { name: /^Delete/ }).click();
  await row.getByRole('button', { name: 'Delete the rule' }).click();
  await eventually(async () => expect(await page.getByRole('row').filter({ hasText: customerName }).count()).toBe(0));
});

test('no page errors', () => {
  expect(pageErrors).toEqual([]);
});
