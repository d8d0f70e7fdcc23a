// The office's project page and its safety, in headless Chromium against the real API,
// worker, Temporal and database: what people entered shows in the timeline and on the
// completed task (read-only), a review shows what it reviews, closing asks first (and
// going back changes nothing), a wrong form shows every error at once in plain words, and
// on a 360 px phone no tap target of the installer's inbox or job page is under 44 px.
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, expectStage, launchChromium, openPage, openTask, pageErrors, phone, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
let reviewed: Flow;
const serial = `OP-${crypto.randomUUID().slice(0, 8)}`;
const description = 'Inverter shows E21 since the storm; the customer hears a click every minute';

async function newPage(options = desktop): Promise<Page> {
  const { context, page } = await openPage(browser, options, system.url);
  contexts.push(context);
  return page;
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem({ COMPANY_TIME_ZONE: 'Australia/Adelaide' }), launchChromium()]);
  // A service case walked through one audit job (with a serial registered) to its review.
  reviewed = await Flow.create(system.api, 'Office project: E21 after the storm');
  await reviewed.complete('service_request', { description, resolution: 'site_visit', jobType: 'audit', note: 'Call before 9, the dog is out after' });
  await reviewed.complete('confirm_job', { note: 'Side gate code 4711' });
  await reviewed.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  await reviewed.fillProtocol();
  await reviewed.complete('audit_checklist', {}, 'installer');
  await reviewed.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: true });
  await reviewed.complete('update_asset_register', { assets: [{ make: 'Fronius', model: 'Primo 5.0', serial }] });
  await reviewed.complete('audit_review', { outcome: 'completed' });
  await reviewed.openTask('service_review');
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('the timeline and the completed tasks show what people entered; a completed task opens read-only; the review shows what it reviews', async () => {
  // A supervisor reads what ops and the installer entered, by their display names.
  const ops = await newPage();
  await signIn(ops, 'supervisor');
  await ops.goto(`/projects/${reviewed.projectId}`);
  await expectStage(ops, 'Reviewing');

  // The timeline: the request's description and note, the serial, with display names.
  const timeline = ops.getByTestId('timeline');
  const request = timeline.getByRole('listitem').filter({ hasText: 'Service request completed' });
  await eventually(async () => expect(await request.textContent()).toContain(description));
  expect(await request.textContent()).toContain('Call before 9, the dog is out after');
  expect(await request.textContent()).toMatch(/Olle Ops \(ops\)/);
  expect(await request.textContent()).not.toMatch(/demo ops/);
  const register = timeline.getByRole('listitem').filter({ hasText: 'Update asset register completed' });
  expect(await register.textContent()).toContain(serial);
  // A checklist's answers, with their questions, open from the timeline.
  const checklist = timeline.getByRole('listitem').filter({ hasText: 'Audit checklist completed' });
  expect(await checklist.textContent()).toMatch(/Ivy Installer \(installer\)/);
  await checklist.getByText('Answers and photos').click();
  await checklist.locator('.answers').waitFor();
  expect(await checklist.locator('.answers dt').count()).toBeGreaterThan(0);
  // The header names people as the timeline does.
  expect(await ops.getByRole('banner').textContent()).toContain('Sam Supervisor');

  // The review shows what it reviews, above its form.
  const review = openTask(ops, 'service_review');
  await review.getByText('What was entered on this project').click();
  await eventually(async () => expect(await review.textContent()).toContain(description));
  expect(await review.textContent()).toContain(serial);
  await expectAccessible(ops, 'project (entered values)');
  await screenshot(ops, 'office-project-entered');

  // The completed service request opens read-only with its values, and no form.
  await request.getByRole('link', { name: 'Open the completed task' }).click();
  await ops.getByRole('heading', { name: 'Service request', level: 1 }).waitFor();
  const done = ops.getByTestId('done-task');
  await done.waitFor();
  expect(await done.textContent()).toContain(description);
  expect(await done.textContent()).toMatch(/Site visit/);
  expect(await done.textContent()).toMatch(/can be read, not changed/);
  expect(await ops.getByRole('main').getByRole('button', { name: /^Complete/ }).count()).toBe(0);
  expect(await ops.getByRole('main').locator('input, textarea, select').count()).toBe(0);
  expect(await ops.getByRole('main').textContent()).toMatch(/Completed .* by Olle Ops/);
  await expectAccessible(ops, 'completed task');
  await screenshot(ops, 'office-project-completed-task');
});

test('closing asks for confirmation, says what will happen, and going back changes nothing', async () => {
  const ops = await newPage();
  await signIn(ops, 'ops');
  await ops.goto(`/projects/${reviewed.projectId}`);
  const review = openTask(ops, 'service_review');
  await review.getByRole('radio', { name: 'Resolved' }).check();
  await review.getByRole('button', { name: 'Complete service review' }).click();

  const question = review.getByRole('alertdialog');
  await question.waitFor();
  expect(await question.textContent()).toMatch(/closes the project as resolved/);
  expect(await question.textContent()).toMatch(/cannot be undone/);
  await expectAccessible(ops, 'project (closing question)');
  await screenshot(ops, 'office-project-confirm-close');

  // Going back (Escape, or the button): nothing was sent, the project stays open.
  await ops.keyboard.press('Escape');
  await question.waitFor({ state: 'detached' });
  await review.getByRole('button', { name: 'Complete service review' }).click();
  // (By keyboard: the project page below may still be growing as its photos load.)
  await question.getByRole('button', { name: 'No, go back' }).press('Enter');
  await question.waitFor({ state: 'detached' });
  const project = await reviewed.project();
  expect(project).toMatchObject({ stage: 'reviewing' });
  expect(project.outcome).toBeUndefined();
  expect(project.openTasks.map((task: { type: string }) => task.type)).toContain('service_review');
  await expectStage(ops, 'Reviewing');

  // Asked again and confirmed: closed.
  await review.getByRole('button', { name: 'Complete service review' }).click();
  await review.getByRole('alertdialog').getByRole('button', { name: 'Yes, close it as resolved' }).press('Enter');
  await expectStage(ops, 'Closed');
  expect(await reviewed.project()).toMatchObject({ outcome: 'resolved' });
  // The toast sits in the page's flow, above the content: it covers nothing.
  const toast = ops.getByTestId('toasts');
  await eventually(async () => expect(await toast.textContent()).toContain('Service review completed'));
  expect(await ops.evaluate(`getComputedStyle(document.querySelector('[data-testid="toasts"]')).position`)).toBe('static');
});

test('a wrong form shows every error at once, in plain words, in one summary that links to the fields', async () => {
  const flow = await Flow.create(system.api, 'Office project: empty request');
  const task = await flow.openTask('service_request');
  const ops = await newPage();
  await signIn(ops, 'ops');
  await ops.goto(`/tasks/${task.id}`);
  await ops.getByRole('heading', { name: 'Service request', level: 1 }).waitFor();
  await ops.getByRole('button', { name: 'Complete service request' }).click();

  const summary = ops.getByRole('alert').filter({ hasText: 'Please fix' });
  await summary.waitFor();
  const lines = await summary.getByRole('listitem').allTextContents();
  // Both sections at once: the choice and the description.
  expect(lines).toHaveLength(2);
  expect(lines.join('\n')).toMatch(/Resolution: Choose one: manufacturer, internal, not required, site visit/);
  expect(lines.join('\n')).toMatch(/Description: This is required/);
  const text = (await summary.textContent()) ?? '';
  expect(text).not.toMatch(/schema|Too small|expected string|Invalid/);
  // Each line links to its field.
  await summary.getByRole('link', { name: /^Description/ }).click();
  await eventually(async () => expect(String(await ops.evaluate('document.activeElement ? document.activeElement.id : ""'))).toMatch(/description$/));
  await expectAccessible(ops, 'task (every error at once)');
  await screenshot(ops, 'office-project-form-errors');
  // Nothing was written.
  expect((await flow.project()).stage).toBe('requesting');
});

test('the new-project form lists every mistake of every section at once, and sends nothing', async () => {
  const ops = await newPage();
  await signIn(ops, 'ops');
  await ops.goto('/projects/new');
  await ops.getByRole('heading', { name: 'New service project' }).waitFor();
  await ops.getByRole('radio', { name: 'New customer' }).check();
  await ops.getByLabel('Email').fill('not-an-address');
  await ops.getByLabel('NMI').fill('12');
  // Nothing may be sent (other test files may create customers meanwhile: watch the requests).
  const writes: string[] = [];
  ops.on('request', (request) => {
    if (request.method() !== 'GET' && !request.url().includes('/stream')) writes.push(`${request.method()} ${request.url()}`);
  });
  await ops.getByRole('button', { name: 'Create service project' }).click();

  const summary = ops.getByRole('alert').filter({ hasText: 'Please fix' });
  await summary.waitFor();
  const lines = await summary.getByRole('listitem').allTextContents();
  expect(lines).toEqual([
    "Customer name: Enter the customer's name",
    'Email: Enter an email address like name@example.com',
    "Site address: Enter the site's address",
    'NMI: An NMI has 10 characters, or 11 with the checksum digit',
  ]);
  // Each field says it too, and the summary's lines lead there.
  expect(await ops.getByLabel('Site address').getAttribute('aria-invalid')).toBe('true');
  await summary.getByRole('link', { name: /^Site address/ }).click();
  await eventually(async () => expect(String(await ops.evaluate('document.activeElement ? document.activeElement.id : ""'))).toBe('site-address'));
  await expectAccessible(ops, 'new project (every error at once)');
  expect(ops.url()).toMatch(/\/projects\/new$/);
  expect(writes).toEqual([]);
});

/**
 * Visible controls whose tappable area (their own box, or the label a radio, checkbox or
 * file input sits in) is under 44 × 44 px, measured in the page.
 */
const SMALL_TAP_TARGETS = `(() => {
  const found = [];
  for (const element of document.querySelectorAll('a[href], button, input, select, textarea, summary, label.button, [role="button"]')) {
    const style = getComputedStyle(element);
    const own = element.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || own.width === 0 || own.height === 0 || own.right <= 0 || own.bottom <= 0) continue;
    if (element.closest('[aria-hidden="true"], .visually-hidden')) continue;
    const labelled = ['radio', 'checkbox', 'file'].includes(element.type) ? element.closest('label') || (element.id && document.querySelector('label[for="' + element.id + '"]')) : null;
    const area = labelled ? labelled.getBoundingClientRect() : own;
    if (area.height < 44 || area.width < 44) found.push(Math.round(area.width) + 'x' + Math.round(area.height) + ' ' + element.outerHTML.slice(0, 120));
  }
  return found;
})()`;
const smallTapTargets = async (page: Page): Promise<string[]> => (await page.evaluate(SMALL_TAP_TARGETS)) as string[];

test('at 360 px no tap target of the installer\'s inbox or job page is under 44 px', async () => {
  const flow = await Flow.create(system.api, 'Office project: phone targets');
  await flow.complete('service_request', { description: 'Isolator warm to touch', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  const jobId = (await flow.project()).jobs.at(-1).id;

  const installer = await newPage(phone);
  await signIn(installer, 'installer');
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();
  await installer.locator(`a[href="/jobs/${encodeURIComponent(jobId)}"]`).waitFor();
  expect(await smallTapTargets(installer)).toEqual([]);
  await expectAccessible(installer, 'installer inbox (360 px)');

  await installer.goto(`/jobs/${encodeURIComponent(jobId)}`);
  await installer.getByRole('heading', { name: 'Audit job 1', level: 1 }).waitFor();
  await installer.getByRole('region', { name: /^Trips/ }).waitFor();
  expect(await smallTapTargets(installer)).toEqual([]);
  await expectAccessible(installer, 'installer job page (360 px)');
  await screenshot(installer, 'office-project-phone-job');
});
