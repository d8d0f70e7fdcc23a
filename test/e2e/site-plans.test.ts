// The site page's maintenance plans in headless Chromium against the real API, worker,
// Temporal and database: ops adds a plan (a wrong custom interval and a missing title are
// both named at once), sees how often it runs and its next run, pauses and resumes it,
// and deletes it after confirming; Temporal's schedule follows each step. axe-clean, and
// every control a 44 px target.
import crypto from 'node:crypto';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
let context: BrowserContext;
let ops: Page;
const made: string[] = [];

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  ({ context, page: ops } = await openPage(browser, desktop, system.url));
  await signIn(ops, 'ops');
});

afterAll(async () => {
  for (const id of made) await system?.temporal.schedule.getHandle(id).delete().catch(() => undefined);
  await context?.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

test('ops adds, pauses, resumes and deletes a maintenance plan on the site page', async () => {
  const run = crypto.randomUUID().slice(0, 6);
  const site = await system.api.as('ops').post('/customers/cus_demo/sites', { address: `${run} Plan Parade, Adelaide SA 5000` });
  expect(site.status).toBe(201);
  await ops.goto(`/sites/${site.body.id}`);
  const plans = ops.getByTestId('site-plans');
  await plans.getByText('No maintenance plans').waitFor();

  await plans.getByRole('button', { name: 'Add a maintenance plan' }).click();
  await plans.getByLabel('Category').fill('inverter');
  await plans.getByLabel('How often').selectOption('custom');
  await plans.getByLabel('Interval').fill('P5M');
  await plans.getByLabel('First run').fill('2090-03-15T09:30');
  await plans.getByRole('button', { name: 'Add plan' }).click();
  // Both refusals at once, in plain words, next to their fields.
  const summary = plans.getByRole('alert');
  await summary.waitFor();
  await eventually(async () => expect(await summary.getByRole('listitem').count()).toBe(2));
  expect(await plans.locator('#plan-title-error').textContent()).toMatch(/Name the plan/);
  expect(await plans.locator('#plan-every-error').textContent()).toMatch(/P6M or P1Y/);
  await expectAccessible(ops, 'site plans form');

  await plans.getByLabel('What is done').fill('Half-yearly inverter service');
  await plans.getByLabel('How often').selectOption('P6M');
  await plans.getByRole('button', { name: 'Add plan' }).click();
  const item = plans.getByRole('listitem').filter({ hasText: 'Half-yearly inverter service' });
  await item.waitFor();
  expect(await item.textContent()).toContain('Every 6 months');
  expect(await item.locator('time').getAttribute('datetime')).toBe(new Date('2090-03-15T09:30:00+10:30').toISOString());
  const [plan] = (await system.api.as('ops').get(`/sites/${site.body.id}/plans`)).body.items;
  made.push(plan.id);
  const schedule = () => system.temporal.schedule.getHandle(plan.id).describe();

  await item.getByRole('button', { name: 'Pause Half-yearly inverter service' }).click();
  await item.getByText('no runs while paused').waitFor();
  expect((await schedule()).state.paused).toBe(true);
  await item.getByRole('button', { name: 'Resume Half-yearly inverter service' }).click();
  await item.getByText('next run').waitFor();
  expect((await schedule()).state.paused).toBe(false);

  // Every button of the section is a 44 px target.
  for (const button of await plans.getByRole('button').all()) {
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  await expectAccessible(ops, 'site plans');
  await screenshot(ops, 'site-plans');

  await item.getByRole('button', { name: 'Delete Half-yearly inverter service' }).click();
  const confirm = plans.getByRole('group', { name: 'Delete Half-yearly inverter service?' });
  await confirm.getByRole('button', { name: 'Keep' }).click();
  expect((await schedule()).scheduleId).toBe(plan.id);
  await item.getByRole('button', { name: 'Delete Half-yearly inverter service' }).click();
  await confirm.getByRole('button', { name: 'Delete plan' }).click();
  await plans.getByText('No maintenance plans').waitFor();
  await expect(schedule()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  expect(pageErrors).toEqual([]);
});
