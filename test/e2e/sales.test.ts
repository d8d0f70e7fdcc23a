// A sales project end to end in headless Chromium, against the real API, worker, Temporal,
// database and the design tool's stand-in: ops creates it on the new-project page and
// works the office tasks through the generated forms; the stand-in's own page (in the
// same browser) adds a proposal and presses "Mark sent", "Mark signed" and "Record
// deposit", whose signed webhooks move the project; the installer accepts and does the
// inspection on a 360 px phone; the installation's four field reports go through the API
// (as the installer's app would: the phone flow is the same forms and shown above); the
// project page ends on Completed with the signed proposal and its price. A supervisor
// cancels a second project with a reason and a confirmation step.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TINY_PNG } from '../support/checklists';
import { PAYLOADS, SalesFlow } from '../support/sales-flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, expectStage, launchChromium, openPage, openTask, pageErrors, pageWidth, phone, screenshot, signIn } from './browser';

jest.setTimeout(180_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
let ops: Page;
let flow: SalesFlow;
const customerName = `Sales e2e ${Date.now().toString(36)}`;

async function newPage(options = desktop, baseURL = system.url): Promise<Page> {
  const { context, page } = await openPage(browser, options, baseURL);
  contexts.push(context);
  return page;
}

/** Completes the open task of this type through its form on the project page. */
async function completeInForm(page: Page, type: string, fill?: (card: ReturnType<typeof openTask>) => Promise<void>): Promise<void> {
  const card = openTask(page, type);
  await card.waitFor();
  // This task's own card: a repeatable task (sync_design) opens again under the same type.
  const label = await card.getAttribute('aria-labelledby');
  const own = label ? page.locator(`[aria-labelledby="${label}"]`) : card;
  if (fill) await fill(own);
  await own.getByRole('button', { name: /^Complete/ }).click();
  await own.waitFor({ state: 'detached' });
}

const taskRow = (page: Page, taskId: string) => page.locator(`a[href="/tasks/${encodeURIComponent(taskId)}"]`);

async function openTaskId(type: string): Promise<string> {
  const project = await flow.untilOpen(type);
  return project.openTasks.find((task: { type: string }) => task.type === type).id;
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

test('ops creates a sales project for a new customer on the new-project page', async () => {
  ops = await newPage();
  await signIn(ops, 'ops');
  await ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New project' }).click();
  await ops.getByRole('heading', { name: 'New service project' }).waitFor();
  await ops.getByRole('radio', { name: /^Sales/ }).check();
  await ops.getByRole('heading', { name: 'New sales project' }).waitFor();
  await ops.getByRole('radio', { name: 'New customer' }).check();
  await ops.getByLabel('Customer name').fill(customerName);
  await ops.getByLabel('Site address').fill('7 Sunny Parade, Adelaide SA 5000');
  await ops.getByLabel('Phases').selectOption('3');
  await ops.getByLabel('Title').fill('Rooftop 6.6 kW');
  await expectAccessible(ops, 'new project (sales)');
  await screenshot(ops, 'sales-new-project');

  await ops.getByRole('button', { name: 'Create sales project' }).click();
  await ops.waitForURL(/\/projects\/prj_/);
  flow = new SalesFlow(system.api, new URL(ops.url()).pathname.split('/').pop()!);
  await ops.getByRole('heading', { name: 'Rooftop 6.6 kW', level: 1 }).waitFor();
  await expectStage(ops, 'Onboarding');
  // The sales stages, not the service ones.
  const stages = ops.getByRole('list', { name: 'Stages' });
  expect(((await stages.textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(/Onboarding.*Quoting.*Considering.*Committing.*Inspection.*Installation.*Completed/);
  await ops.getByTestId('sales-design').getByText('not linked yet').waitFor();
});

test('the ops inbox lists the onboarding task and filters by the sales stages', async () => {
  const taskId = await openTaskId('onboard_site');
  await ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  const row = taskRow(ops, taskId);
  await row.waitFor();
  await eventually(async () => expect(await row.textContent()).toContain('Rooftop 6.6 kW'));
  await ops.getByLabel('Stage').selectOption('quoting');
  await row.waitFor({ state: 'detached' });
  await ops.getByLabel('Stage').selectOption('onboarding');
  await row.waitFor();
  await ops.getByLabel('Type').selectOption({ label: 'Onboard customer site' });
  await row.waitFor();
  await expectAccessible(ops, 'inbox (sales)');
  await row.click();
  await ops.getByRole('heading', { name: 'Onboard customer site', level: 1 }).waitFor();
  await ops.getByRole('main').getByRole('link', { name: 'Rooftop 6.6 kW' }).click();
  await openTask(ops, 'onboard_site').waitFor();
});

test('onboard_site and link_design_project through their forms; the linked design project shows', async () => {
  await completeInForm(ops, 'onboard_site', async (card) => {
    await card.getByRole('group', { name: /Phases/ }).getByRole('radio', { name: '3' }).check();
    await card.getByLabel('NMI').fill('2001985732');
    await card.getByLabel('Roof').selectOption('tin');
    await card.getByLabel('Distributor').fill('SA Power Networks');
    await expectAccessible(ops, 'project (onboard site form)');
    await screenshot(ops, 'sales-onboard-site');
  });
  await expectStage(ops, 'Quoting');
  await completeInForm(ops, 'link_design_project');
  const design = ops.getByTestId('design-project');
  await design.waitFor();
  expect(await design.textContent()).toMatch(/\S+/);
  await openTask(ops, 'sync_design').waitFor();
});

test("the stand-in's page adds a proposal and marks it sent; the console follows to considering and shows it after a sync", async () => {
  const designProjectId = ((await ops.getByTestId('design-project').textContent()) ?? '').replace(/\(opens.*$/, '').replace('↗', '').trim();
  const tool = await newPage(desktop, system.designTool!.url);
  await tool.goto('/');
  const section = tool.locator(`section[id="${designProjectId}"]`);
  await section.waitFor();
  const add = section.getByRole('group', { name: 'Add a proposal' });
  await add.getByLabel('Title').fill('6.6 kW, 20 panels');
  await add.getByLabel('Price').fill('9900.00');
  await add.getByRole('button', { name: 'Add proposal' }).click();
  await tool.locator(`section[id="${designProjectId}"]`).getByRole('button', { name: /^Mark sent/ }).click();
  await tool.waitForLoadState();
  await expectStage(ops, 'Considering');

  await completeInForm(ops, 'sync_design');
  const proposals = ops.getByTestId('proposals');
  await eventually(async () => {
    const text = (await proposals.textContent()) ?? '';
    expect(text).toContain('Sent');
    expect(text).toContain('9,900.00');
  });

  await tool.locator(`section[id="${designProjectId}"]`).getByRole('button', { name: /^Mark signed/ }).click();
  await tool.waitForLoadState();
  await expectStage(ops, 'Committing');
  await tool.locator(`section[id="${designProjectId}"]`).getByRole('button', { name: 'Record deposit' }).click();
  await tool.waitForLoadState();
  await expectStage(ops, 'Inspection');
  await eventually(async () => expect((await proposals.textContent()) ?? '').toContain('Signed'));
  await expectAccessible(ops, 'project (sales, inspection)');
  await screenshot(ops, 'sales-project-inspection');
});

test('the inspection: ops starts the job, the installer accepts it and fills the checklist on a phone, ops reviews (fail asks for a reason)', async () => {
  await completeInForm(ops, 'start_job', async (card) => card.getByLabel('Note').fill('Ladder access at the side gate'));

  const installer = await newPage(phone);
  await signIn(installer, 'installer');
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();
  const accept = taskRow(installer, await openTaskId('accept_schedule_job'));
  await accept.waitFor();
  await eventually(async () => expect(await accept.textContent()).toMatch(/Rooftop 6\.6 kW.*Inspection job 1/));
  expect(await pageWidth(installer)).toBeLessThanOrEqual(360);
  await expectAccessible(installer, 'installer inbox (inspection)');
  await accept.click();
  await installer.getByRole('heading', { name: 'Accept and schedule job', level: 1 }).waitFor();
  await installer.getByLabel('Scheduled start').fill('2026-12-03T09:00');
  await installer.getByRole('button', { name: 'Complete accept and schedule job' }).click();
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();

  await flow.fillProtocol(); // the field step needs a work line and a photo
  const checklist = taskRow(installer, await openTaskId('inspection_checklist'));
  await checklist.click();
  await installer.getByRole('heading', { name: 'Inspection checklist', level: 1 }).waitFor();
  // The inspection template: choices, pass/fail, numbers with units, two photos from the camera.
  const item = (name: string) => installer.getByRole('group', { name, exact: true });
  await item('Roof type').getByRole('radio', { name: 'Tin' }).check();
  await item('Shading on the planned array').getByRole('radio', { name: 'None' }).check();
  await item('Roof structure sound').getByRole('button', { name: 'Pass' }).click();
  await item('Switchboard has space and is compliant').getByRole('button', { name: 'Pass' }).click();
  await installer.getByLabel('Roof pitch (°)').fill('22.5');
  await installer.getByLabel('Main switch rating (A)').fill('63');
  await installer.getByLabel('Proposed inverter and battery location').fill('Garage wall, north side');
  for (const name of ['Photo of the roof area for the array', 'Photo of the switchboard, door open']) {
    await item(name).getByLabel('Take photo').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: TINY_PNG });
    await item(name).getByRole('img', { name }).waitFor();
  }
  expect(await pageWidth(installer)).toBeLessThanOrEqual(360);
  await expectAccessible(installer, 'installer inspection checklist');
  await screenshot(installer, 'sales-installer-inspection');
  await installer.getByRole('button', { name: 'Complete inspection checklist' }).click();
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();

  const review = openTask(ops, 'review_inspection_report');
  await review.waitFor();
  await review.getByRole('radio', { name: 'Fail' }).check();
  await review.getByLabel('Reason').waitFor();
  await expectAccessible(ops, 'project (inspection review, fail)');
  await review.getByRole('radio', { name: 'Pass', exact: true }).check();
  await review.getByLabel('Reason').waitFor({ state: 'detached' });
  await review.getByRole('button', { name: /^Complete/ }).click();
  await review.waitFor({ state: 'detached' });
  await openTask(ops, 'start_installation').waitFor();
});

test('the installation: preparation through the forms, field reports by the installer, review and close-out to completed', async () => {
  await completeInForm(ops, 'start_installation');
  await expectStage(ops, 'Installation');
  await completeInForm(ops, 'start_job');
  await completeInForm(ops, 'lodge_application_to_connect');
  await completeInForm(ops, 'upload_permission_to_connect', async (card) => {
    await card.getByRole('group', { name: /Documents/ }).getByLabel('Upload a document').setInputFiles({ name: 'permission-to-connect.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 ptc') });
    await eventually(async () => expect(await card.getByRole('checkbox', { name: /permission-to-connect\.pdf/ }).isChecked()).toBe(true));
  });
  await completeInForm(ops, 'setup_stc_site');
  await completeInForm(ops, 'send_supplier_order', async (card) => card.getByLabel('Note').fill('PO 4411'));
  await eventually(async () => expect(await ops.getByTestId('job-2').textContent()).toMatch(/Prepared|Open/));

  // The installer's four reports, through the API as the phone would send them.
  await flow.untilOpen('accept_schedule_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-10T08:00:00+10:30' }, 'installer');
  await flow.fillProtocol();
  await flow.complete('pre_installation_checklist', PAYLOADS.pre_installation_checklist, 'installer');
  await flow.complete('roof_works', PAYLOADS.roof_works, 'installer');
  await flow.complete('system_installation', { assets: [{ make: 'SolarEdge', model: 'SE7K', serial: 'SE-7000-1' }] }, 'installer');
  await flow.complete('commissioning_sheet', PAYLOADS.commissioning_sheet, 'installer');

  await completeInForm(ops, 'review_installation_reports', async (card) => card.getByRole('radio', { name: 'Approve' }).check());
  await completeInForm(ops, 'upload_compliance_documents', async (card) => {
    await card.getByRole('group', { name: /Documents/ }).getByLabel('Upload a document').setInputFiles({ name: 'certificate-of-compliance.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 ces') });
    await eventually(async () => expect(await card.getByRole('checkbox', { name: /certificate-of-compliance\.pdf/ }).isChecked()).toBe(true));
  });
  await completeInForm(ops, 'invoice_customer');
  await completeInForm(ops, 'confirm_payment');
  await expectStage(ops, 'Completed');
  expect(await ops.getByTestId('project-outcome').textContent()).toBe('Completed');
  await ops.getByText('This project is completed. Nothing is left to do.').waitFor();
  expect(await ops.getByTestId('proposals').textContent()).toMatch(/Signed.*9,900\.00/);
  await eventually(async () => expect((await ops.getByTestId('timeline').textContent()) ?? '').toContain('Invoice draft: 9900.00 AUD'));
  // Ops may not cancel; the action is for supervisors.
  expect(await ops.getByRole('button', { name: /Cancel project/ }).count()).toBe(0);
  await expectAccessible(ops, 'project (sales, completed)');
  await screenshot(ops, 'sales-project-completed');
});

test('a supervisor cancels a sales project with a reason and a confirmation', async () => {
  const other = await SalesFlow.createSales(system.api, 'Customer changed their mind');
  const supervisor = await newPage();
  await signIn(supervisor, 'supervisor');
  await supervisor.goto(`/projects/${other.projectId}`);
  await expectStage(supervisor, 'Onboarding');
  await supervisor.getByRole('button', { name: 'Cancel project…' }).click();
  const panel = supervisor.getByTestId('cancel-project');
  await panel.getByRole('button', { name: 'Continue' }).click();
  await panel.getByText('Say why the project is cancelled').waitFor();
  await panel.getByLabel('Reason').fill('Customer went with another installer');
  await expectAccessible(supervisor, 'project (cancel)');
  await panel.getByRole('button', { name: 'Continue' }).click();
  await panel.getByText(/Customer went with another installer/).waitFor();
  await panel.getByRole('button', { name: 'Yes, cancel the project' }).click();
  await expectStage(supervisor, 'Cancelled');
  await supervisor.getByText('This project was cancelled. Nothing is left to do.').waitFor();
  await eventually(async () => expect((await supervisor.getByTestId('timeline').textContent()) ?? '').toContain('Cancelled: Customer went with another installer'));
  expect(await supervisor.getByRole('button', { name: /Cancel project/ }).count()).toBe(0);
  expect(pageErrors).toEqual([]);
});
