// Field work on a 360 px phone in headless Chromium, against the real API, worker, Temporal
// and database: the installer opens the job from "My jobs", plans a trip and taps "On my
// way" and "Arrived", fills the protocol (a material line, a work line, two photos from
// the camera input, the customer's handover drawn on the pad), raises a confirmation
// (work order version 2), answers the templated audit checklist with a failed item and
// its comment, and taps "Finished". Every tap target on the job page is at least 44 px.
// The office then sees the protocol, the photos and both work-order versions in the
// project's job panel and downloads version 2.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Flow } from '../support/flows';
import { startTestSystem, type TestSystem } from '../support/system';
import { buildConsole, desktop, eventually, expectAccessible, launchChromium, openPage, pageErrors, pageWidth, phone, repoRoot, screenshot, signIn } from './browser';

jest.setTimeout(240_000);

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
let flow: Flow;
let jobId = '';
let installer: Page;

/** A solid 96×72 PNG, so the photos show as something in the screenshots. */
function solidPng(red: number, green: number, blue: number): Buffer {
  const width = 96;
  const height = 72;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [red, green, blue]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

async function newPage(options = desktop): Promise<Page> {
  const { context, page } = await openPage(browser, options, system.url);
  contexts.push(context);
  return page;
}

/** Controls on the page lower than 44 px: there should be none. */
async function smallTapTargets(page: Page): Promise<string[]> {
  return page
    .locator('main button, main a.button, main .thumb, main select, main textarea, main label.button, main label.choice, main input:not(.visually-hidden):not([type="radio"]):not([type="checkbox"])')
    .evaluateAll((elements) =>
      (elements as unknown as { getBoundingClientRect(): { height: number; width: number }; outerHTML: string }[])
        .filter((element) => {
          const box = element.getBoundingClientRect();
          return box.width > 0 && (box.height < 44 || box.width < 44);
        })
        .map((element) => element.outerHTML.slice(0, 100)),
    );
}

/** Elements that reach past the right edge of the screen: there should be none. */
async function overflowing(page: Page): Promise<string[]> {
  return page.locator('main *').evaluateAll((elements) =>
    (elements as unknown as { getBoundingClientRect(): { right: number }; outerHTML: string }[])
      .filter((element) => element.getBoundingClientRect().right > 361)
      .map((element) => element.outerHTML.slice(0, 100)),
  );
}

async function drawSignature(page: Page, canvas: ReturnType<Page['locator']>): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) await page.mouse.move(box.x + 20 + step * 20, box.y + box.height / 2 + (step % 2 ? -25 : 25));
  await page.mouse.up();
}

beforeAll(async () => {
  await buildConsole();
  [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
  // An audit job, confirmed by the office (work order version 1) and scheduled by the installer.
  flow = await Flow.create(system.api, 'Inverter shows E21 (field work)');
  await flow.complete('service_request', { description: 'Inverter shows E21 and stops at noon', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job', { note: 'Key in the meter box' });
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  jobId = (await flow.project()).jobs.at(-1).id;
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

test('the installer reaches the job page from My jobs, plans a trip and taps "On my way" and "Arrived"', async () => {
  installer = await newPage(phone);
  await signIn(installer, 'installer');
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();
  const link = installer.locator(`a[href="/jobs/${encodeURIComponent(jobId)}"]`);
  await eventually(async () => expect(await link.textContent()).toMatch(/Audit job 1.*Inverter shows E21 \(field work\)/));
  await link.click();
  await installer.getByRole('heading', { name: 'Audit job 1', level: 1 }).waitFor();
  const trips = installer.getByRole('region', { name: /^Trips/ });
  await trips.getByText('No trips yet.', { exact: false }).waitFor();

  await trips.getByRole('button', { name: 'Plan a trip' }).click();
  await trips.getByRole('radio', { name: 'Field trip' }).check();
  await trips.getByLabel('Planned start').fill('2026-12-01T08:30');
  await trips.getByRole('button', { name: 'Plan the trip' }).click();
  await trips.getByText(/Field trip.*planned/).first().waitFor();
  await trips.getByRole('button', { name: 'On my way' }).click();
  await trips.getByRole('button', { name: 'Arrived' }).waitFor();
  expect(await trips.textContent()).toMatch(/on the way/);
  await trips.getByRole('button', { name: 'Arrived' }).click();
  await trips.getByRole('button', { name: 'Finished' }).waitFor();

  const answer = (await system.api.as('ops').get(`/jobs/${jobId}/trips`)).body;
  expect(answer.items).toHaveLength(1);
  expect(answer.items[0].startedAt).toBeTruthy();
  expect(answer.items[0].arrivedAt).toBeTruthy();
  expect(answer.items[0].finishedAt).toBeUndefined();
  // The customer-facing status follows the trip.
  expect((await flow.project()).customerStatus).toBe('in_progress');
});

test('the protocol: what is missing is said, then a material line, a work line, two camera photos and the signed handover', async () => {
  const protocol = installer.getByRole('region', { name: 'Protocol' });
  const missing = protocol.getByTestId('protocol-missing');
  await missing.waitFor();
  expect(await missing.textContent()).toMatch(/Add at least one work line or material line.*Attach at least one photo/);

  await protocol.getByLabel('Fault found').fill('DC isolator burnt');
  await protocol.getByLabel('Solution', { exact: true }).fill('Replaced the DC isolator');
  await protocol.getByRole('button', { name: 'Save fault and solution' }).click();
  await protocol.getByText('Saved', { exact: true }).waitFor();

  await protocol.getByLabel('Search articles').first().fill('isolator 1000');
  await protocol.getByLabel('Article', { exact: true }).first().selectOption({ label: 'DC isolator 1000 V 32 A (DC-ISO-1000)' });
  await protocol.getByText('149.00 per pcs').waitFor();
  await protocol.getByLabel('Quantity (pcs)').first().fill('1');
  await protocol.getByRole('button', { name: 'Add material' }).click();
  await protocol.getByRole('list', { name: 'Material lines' }).getByText(/1 pcs · DC isolator 1000 V 32 A/).waitFor();

  await protocol.getByLabel('What was done').fill('Replaced DC isolator, tested strings');
  await protocol.getByLabel('Minutes').fill('45');
  await protocol.getByRole('button', { name: 'Add work line' }).click();
  await protocol.getByRole('list', { name: 'Work lines' }).getByText(/Replaced DC isolator, tested strings.*45 min.*You/).waitFor();
  expect(await protocol.getByLabel('What was done').inputValue()).toBe('');

  // Two photos from the camera input.
  await protocol.getByLabel('Photo before').setInputFiles({ name: 'before.png', mimeType: 'image/png', buffer: solidPng(150, 60, 40) });
  await protocol.getByRole('img', { name: 'Before photo' }).waitFor();
  await protocol.getByLabel('Photo after').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: solidPng(40, 120, 70) });
  await protocol.getByRole('img', { name: 'After photo' }).waitFor();
  await missing.waitFor({ state: 'detached' });
  await protocol.getByText('The protocol is complete: the field step can finish.').waitFor();

  // The customer signs the handover with a finger.
  await drawSignature(installer, protocol.locator('canvas'));
  await protocol.getByRole('button', { name: 'Use this signature' }).click();
  await protocol.getByRole('img', { name: 'Handover signature (signed)' }).waitFor();

  const saved = (await system.api.as('ops').get(`/jobs/${jobId}/protocol`)).body;
  expect(saved).toMatchObject({ fault: 'DC isolator burnt', solution: 'Replaced the DC isolator', missing: [] });
  expect(saved.materials).toEqual([expect.objectContaining({ articleId: 'art_dc_isolator', quantity: 1, unitPriceCents: 14900 })]);
  expect(saved.work).toEqual([expect.objectContaining({ description: 'Replaced DC isolator, tested strings', minutes: 45, technicianId: 'usr_demo_installer' })]);
  expect(saved.attachments.map((attachment: { kind: string }) => attachment.kind).sort()).toEqual(['after', 'before', 'handover_signature']);
  const signature = saved.attachments.find((attachment: { kind: string }) => attachment.kind === 'handover_signature');
  expect((await system.api.as('ops').get(`/documents/${signature.documentId}`)).headers.get('content-type')).toBe('image/png');
});

test('a confirmation makes work order version 2; the job page passes axe, fits 360 px and every tap target is at least 44 px', async () => {
  const confirmation = installer.getByRole('region', { name: 'Confirmation' });
  await confirmation.getByRole('button', { name: 'Raise a confirmation' }).click();
  await confirmation.getByRole('radio', { name: 'More material' }).check();
  await confirmation.getByLabel('Description').fill('Second isolator burnt too');
  await confirmation.getByLabel('Search articles').fill('DC-ISO');
  await confirmation.getByLabel('Article', { exact: true }).selectOption({ label: 'DC isolator 1000 V 32 A (DC-ISO-1000)' });
  await confirmation.getByLabel('Quantity (pcs)').fill('2');
  await confirmation.getByRole('button', { name: 'Add to the confirmation' }).click();
  await confirmation.getByText(/2 pcs · DC isolator 1000 V 32 A/).waitFor();
  await confirmation.getByRole('button', { name: 'Send the confirmation' }).click();
  await confirmation.getByTestId('confirmation-made').getByText(/Work order version 2 made/).waitFor();
  const orders = installer.getByTestId('work-orders');
  await eventually(async () => expect(await orders.getByRole('listitem').count()).toBe(2));
  expect(await orders.textContent()).toMatch(/Version 2.*Version 1/);

  expect(await overflowing(installer)).toEqual([]);
  expect(await pageWidth(installer)).toBeLessThanOrEqual(360);
  expect(await smallTapTargets(installer)).toEqual([]);
  await expectAccessible(installer, 'installer job page');
  await screenshot(installer, 'installer-job-page', false);
  const file = await screenshot(installer, 'installer-job-page-full');
  const readmePicture = path.join(repoRoot, 'docs', 'phone-job.png');
  if (process.env.UPDATE_DOCS_SCREENSHOTS || !fs.existsSync(readmePicture)) fs.copyFileSync(path.join(path.dirname(file), 'installer-job-page.png'), readmePicture);
});

test('the templated audit checklist with a failed item and its comment finishes the field step; then "Finished"', async () => {
  await installer.getByRole('region', { name: 'What to do next' }).getByRole('link', { name: /Audit checklist/ }).click();
  await installer.getByRole('heading', { name: 'Audit checklist', level: 1 }).waitFor();
  const item = (name: string) => installer.getByRole('group', { name, exact: true });
  for (const name of ['Site safe to work on', 'AC isolator condition', 'Array frame earthing continuity', 'Signage and labelling present and legible', 'Panels free of cracks, hot spots and heavy soiling']) {
    await item(name).getByRole('button', { name: 'Pass' }).click();
  }
  await item('DC isolator condition').getByRole('button', { name: 'Fail' }).click();
  await installer.getByLabel('What is wrong? (required on fail)').fill('Burnt terminals, isolator replaced');
  await installer.getByLabel('Inverter display: status or error code').fill('E21');
  await installer.getByLabel('Inverter serial number').fill('FR-7781');
  await installer.getByLabel('String 1 voltage (V)').fill('402');
  await installer.getByLabel('Insulation resistance (MΩ)').fill('550');
  await installer.getByLabel('Findings and recommended action').fill('Isolator replaced, system back online');
  await installer.getByLabel('Take photo').setInputFiles({ name: 'inverter.png', mimeType: 'image/png', buffer: solidPng(60, 60, 160) });
  await item('Photo of the inverter and its rating label').getByRole('img', { name: 'Photo of the inverter and its rating label' }).waitFor();
  await installer.getByRole('button', { name: 'Complete audit checklist' }).click();
  await installer.getByRole('heading', { name: 'My jobs', level: 1 }).waitFor();
  await eventually(async () => expect((await flow.project()).openTasks.map((task: { type: string }) => task.type)).toContain('review_audit_artefacts'));

  await installer.goto(`/jobs/${encodeURIComponent(jobId)}`);
  const trips = installer.getByRole('region', { name: /^Trips/ });
  await trips.getByRole('button', { name: 'Finished' }).click();
  await trips.getByText(/finished/).waitFor();
  expect(await trips.getByRole('button', { name: /On my way|Arrived|Finished/ }).count()).toBe(0);
  const trip = (await system.api.as('ops').get(`/jobs/${jobId}/trips`)).body.items[0];
  expect(trip.finishedAt).toBeTruthy();
});

test("the office sees the protocol, the photos and both work-order versions in the project's job panel", async () => {
  const ops = await newPage();
  await signIn(ops, 'ops');
  await ops.goto(`/projects/${flow.projectId}`);
  const job = ops.getByTestId('job-1');
  await job.getByText('Field work').click();
  const panel = ops.getByTestId(`job-panel-${jobId}`);
  const summary = panel.getByTestId('protocol-summary');
  await summary.getByText(/Replaced DC isolator, tested strings.*45 min/).waitFor();
  expect(await summary.textContent()).toMatch(/DC isolator burnt.*Replaced the DC isolator/);
  expect(await summary.textContent()).toContain('1 pcs · DC isolator 1000 V 32 A');
  await summary.getByRole('img', { name: 'Before photo' }).waitFor();
  await summary.getByRole('img', { name: 'After photo' }).waitFor();
  await summary.getByRole('img', { name: 'Handover signature (signed)' }).waitFor();
  expect(await panel.getByRole('region', { name: 'Confirmations' }).textContent()).toMatch(/Confirmation \(more material\): Second isolator burnt too.*Ivy Installer.*work order version 2/);
  const orders = panel.getByTestId('work-orders');
  await eventually(async () => expect(await orders.getByRole('listitem').count()).toBe(2));
  expect(await panel.getByRole('region', { name: /^Trips/ }).textContent()).toMatch(/arrived.*finished/);
  await panel.getByRole('link', { name: 'Open the job page' }).waitFor();

  const [download] = await Promise.all([ops.waitForEvent('download'), orders.getByRole('button', { name: 'PDF of work order version 2' }).click()]);
  expect(download.suggestedFilename()).toBe('work-order-v2.pdf');
  const saved = path.join(repoRoot, 'test-output', 'work-order-v2.pdf');
  await download.saveAs(saved);
  expect(fs.readFileSync(saved).subarray(0, 5).toString()).toBe('%PDF-');
  const [invoice] = await Promise.all([ops.waitForEvent('download'), ops.getByRole('button', { name: 'Invoice draft (PDF)' }).click()]);
  expect(invoice.suggestedFilename()).toBe(`invoice-draft-${flow.projectId}.pdf`);
  await expectAccessible(ops, 'project (job panel)');
  await screenshot(ops, 'project-job-panel');
});

test('"Could not carry out": a reason, a confirmation step, and the job closes as not carried out', async () => {
  const other = await Flow.create(system.api, 'No access to the site');
  await other.complete('service_request', { description: 'Inverter beeping', resolution: 'site_visit', jobType: 'audit' });
  await other.complete('confirm_job');
  await other.complete('accept_schedule_job', { scheduledStart: '2026-12-02T09:00:00+10:30' }, 'installer');
  const otherJob = (await other.project()).jobs.at(-1).id;
  await installer.goto(`/jobs/${encodeURIComponent(otherJob)}`);
  const close = installer.getByTestId('close-job');
  await close.getByRole('button', { name: 'Could not carry out…' }).click();
  await close.getByRole('button', { name: 'Continue' }).click();
  await close.getByText('Say why, so the office can plan what happens next.').waitFor();
  await close.getByLabel('Why could the job not be done?').fill('Gate locked, customer not answering');
  await close.getByRole('button', { name: 'Continue' }).click();
  await close.getByText(/not carried out.*Gate locked, customer not answering/).waitFor();
  await expectAccessible(installer, 'installer job page (could not carry out)');
  await close.getByRole('button', { name: 'Yes, close the job' }).click();
  await installer.getByRole('heading', { name: /Audit job 1\s*Not carried out/, level: 1 }).waitFor();
  await close.waitFor({ state: 'detached' });
  const job = (await other.project()).jobs.find((candidate: { id: string }) => candidate.id === otherJob);
  expect(job).toMatchObject({ status: 'done', outcome: 'not_carried_out' });
  expect(pageErrors).toEqual([]);
});
