// Every path of the service project to each of its outcomes, through HTTP against the
// real Temporal server and database, checking the read model against the workflows
// after every step.
import { eq } from 'drizzle-orm';
import { assets } from '../db/schema';
import { serviceWorkflowId } from '../workflows/ids';
import { expectReadModelMatchesWorkflow } from './support/consistency';
import { Flow } from './support/flows';
import { startTestSystem, WEBHOOK_SECRET, type TestSystem } from './support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem({ CHASE_MANUFACTURER_AFTER: 'PT2S' });
});
afterAll(() => system?.stop());

/** Runs a step, then checks the read model against the workflows. */
async function step<T>(flow: Flow, action: () => Promise<T>): Promise<T> {
  const result = await action();
  await expectReadModelMatchesWorkflow(flow, system.temporal);
  return result;
}

async function expectClosed(flow: Flow, outcome: string, status: string) {
  const project = await flow.project();
  expect(project).toMatchObject({ stage: 'closed', outcome, status, openTasks: [] });
  const result = await system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId)).result();
  expect(result.outcome).toBe(outcome);
}

test('not required: the request alone closes the case as cancelled', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, async () => {
    const answer = await flow.complete('service_request', { description: 'Customer asked twice', resolution: 'not_required' });
    expect(answer.project).toMatchObject({ stage: 'closed', outcome: 'not_required', status: 'cancelled' });
  });
  await expectClosed(flow, 'not_required', 'cancelled');
});

test('manufacturer resolves it', async () => {
  const flow = await Flow.create(system.api);
  const answer = await step(flow, () => flow.complete('service_request', { description: 'Panel delamination', resolution: 'manufacturer' }));
  expect(answer.project.stage).toBe('investigating');
  expect(answer.project.openTasks.map((t: { type: string }) => t.type)).toEqual(['manufacturer_outcome']);
  await step(flow, () => flow.complete('manufacturer_outcome', { outcome: 'resolved', note: 'warranty replacement shipped' }));
  await expectClosed(flow, 'resolved', 'completed');
});

test('manufacturer cannot resolve it: closed unresolved', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, () => flow.complete('service_request', { description: 'Battery fade', resolution: 'manufacturer' }));
  await step(flow, () => flow.complete('manufacturer_outcome', { outcome: 'unable_to_resolve' }));
  await expectClosed(flow, 'unresolved', 'problem');
});

test('manufacturer outcome arrives as a signed webhook and needs a replacement visit', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, () => flow.complete('service_request', { description: 'Inverter dead', resolution: 'manufacturer' }));
  const accepted = await flow.sendManufacturerEvent(WEBHOOK_SECRET, { outcome: 'site_visit_required', jobType: 'replacement', reference: 'RMA-77' });
  expect(accepted.status).toBe(202);
  // A signal is applied after the 202: the project moves on, then its job starts and
  // writes its first task. Once that has happened the read model matches again.
  await eventually(async () => {
    expect(await flow.project()).toMatchObject({ stage: 'servicing', jobs: [{ type: 'replacement', sequence: 1, status: 'open' }] });
    await expectReadModelMatchesWorkflow(flow, system.temporal);
  });

  const timeline = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items;
  expect(timeline).toContainEqual(expect.objectContaining({ kind: 'event', actor: { id: 'manufacturer', role: 'event' } }));

  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-02T08:00:00+10:30' }, 'installer');
  await step(flow, () => flow.complete('pre_start_checklist', {}, 'installer'));
  // The two checklists run in parallel: the job waits for both.
  expect((await flow.project()).openTasks.map((t: { type: string }) => t.type)).toEqual(['testing_commissioning']);
  await flow.fillProtocol();
  await step(flow, () => flow.complete('testing_commissioning', {}, 'installer'));
  await step(flow, () => flow.complete('review_replacement_artefacts'));
  await step(flow, () => flow.complete('update_asset_serials', { assets: [{ make: 'Fronius', model: 'Primo 5.0', serial: 'FR-9' }] }));
  const doc = await flow.uploadDocument('coc.pdf', '%PDF-1.4 certificate');
  const last = await step(flow, () => flow.complete('upload_regulatory_documents', { documentIds: [doc.id] }));
  // The last job task moves the project on before the answer comes back.
  expect(last.project).toMatchObject({ stage: 'reviewing', jobs: [{ status: 'done', outcome: 'completed' }] });
  expect(last.project.openTasks.map((t: { type: string }) => t.type)).toEqual(['service_review']);
  await step(flow, () => flow.complete('service_review', { outcome: 'resolved' }));
  await expectClosed(flow, 'resolved', 'completed');
});

test('a manufacturer event that is not awaited changes nothing but the timeline', async () => {
  const flow = await Flow.create(system.api);
  const before = await flow.project();
  const answer = await flow.sendManufacturerEvent(WEBHOOK_SECRET, { outcome: 'resolved' });
  expect(answer.status).toBe(202);
  await eventually(async () => {
    const items = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items;
    expect(items.map((entry: { summary: string }) => entry.summary)).toContainEqual(expect.stringContaining('ignored'));
  });
  const after = await flow.project();
  expect({ stage: after.stage, openTasks: after.openTasks }).toEqual({ stage: before.stage, openTasks: before.openTasks });
});

test('no manufacturer outcome: a chase_manufacturer task appears after the configured wait', async () => {
  const flow = await Flow.create(system.api);
  await flow.complete('service_request', { description: 'Waiting on OEM', resolution: 'manufacturer' });
  await eventually(async () => expect((await flow.project()).openTasks.map((t: { type: string }) => t.type)).toContain('chase_manufacturer'), 15_000);
  await expectReadModelMatchesWorkflow(flow, system.temporal);
  await step(flow, () => flow.complete('chase_manufacturer', { note: 'emailed the OEM again' }));
  expect((await flow.project()).openTasks.map((t: { type: string }) => t.type)).toEqual(['manufacturer_outcome']);
  // The outcome closes any chase task still open.
  await eventually(async () => expect((await flow.project()).openTasks.map((t: { type: string }) => t.type)).toContain('chase_manufacturer'), 15_000);
  // The next wait runs out with that chase task still open: no second task, a timeline line.
  await eventually(async () => {
    const timeline = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items;
    expect(timeline.map((entry: { summary: string }) => entry.summary)).toContain('Still no manufacturer outcome: the chase task is still open');
  }, 15_000);
  expect((await flow.project()).openTasks.filter((t: { type: string }) => t.type === 'chase_manufacturer')).toHaveLength(1);
  await step(flow, () => flow.complete('manufacturer_outcome', { outcome: 'resolved' }));
  await expectClosed(flow, 'resolved', 'completed');
  const cancelled = (await system.api.as('ops').get(`/tasks?projectId=${flow.projectId}&status=cancelled`)).body.items;
  expect(cancelled.map((t: { type: string }) => t.type)).toEqual(['chase_manufacturer']);
});

test('internal review resolves it', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, () => flow.complete('service_request', { description: 'App not reporting', resolution: 'internal' }));
  await step(flow, () => flow.complete('internal_review', { outcome: 'resolved', note: 'reset the gateway remotely' }));
  await expectClosed(flow, 'resolved', 'completed');
});

test('internal review cannot resolve it: closed unresolved', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, () => flow.complete('service_request', { description: 'Odd noise', resolution: 'internal' }));
  await step(flow, () => flow.complete('internal_review', { outcome: 'unable_to_resolve' }));
  await expectClosed(flow, 'unresolved', 'problem');
});

test('internal review sends an audit; the asset register is updated; review resolves', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, () => flow.complete('service_request', { description: 'Low yield', resolution: 'internal' }));
  const answer = await step(flow, () => flow.complete('internal_review', { outcome: 'site_visit_required', jobType: 'audit' }));
  expect(answer.project).toMatchObject({ stage: 'servicing', status: 'in_progress', jobs: [{ type: 'audit', status: 'open' }] });
  expect(answer.project.openTasks.map((t: { type: string }) => t.type)).toEqual(['confirm_job']);
  await step(flow, () => flow.complete('confirm_job', { note: 'booked' }));
  await step(flow, () => flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer'));
  // Field work goes to the installer who accepted.
  const checklist = await flow.openTask('audit_checklist');
  expect(checklist.assignee).toBe('usr_demo_installer');
  await flow.fillProtocol();
  await step(flow, () => flow.complete('audit_checklist', {}, 'installer'));
  await step(flow, () => flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: true }));
  await step(flow, () => flow.complete('update_asset_register', { assets: [{ make: 'SMA', model: 'Sunny Boy 5', serial: 'SMA-1' }] }));
  const reviewed = await step(flow, () => flow.complete('audit_review', { outcome: 'completed' }));
  expect(reviewed.project.stage).toBe('reviewing');
  await step(flow, () => flow.complete('service_review', { outcome: 'resolved' }));
  await expectClosed(flow, 'resolved', 'completed');
  const registered = await system.database.db.select().from(assets).where(eq(assets.siteId, 'sit_demo'));
  expect(registered.map((asset) => asset.serial)).toContain('SMA-1');
});

test('site visit straight from the request; the review cannot resolve it', async () => {
  const flow = await Flow.create(system.api);
  await step(flow, () => flow.complete('service_request', { description: 'Isolator burnt', resolution: 'site_visit', jobType: 'audit' }));
  // Without an asset register update the chain skips that step.
  await step(flow, () => flow.auditJob('failed'));
  expect(await flow.project()).toMatchObject({ stage: 'reviewing', status: 'problem' });
  await step(flow, () => flow.complete('service_review', { outcome: 'cannot_resolve' }));
  await expectClosed(flow, 'unresolved', 'problem');
});

test('the timeline records every stage change, completion and event with who did it', async () => {
  const flow = await Flow.create(system.api);
  await flow.complete('service_request', { description: 'Check', resolution: 'internal' });
  await flow.complete('internal_review', { outcome: 'resolved' });
  const { items } = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body;
  expect(items.map((entry: any) => [entry.kind, entry.actor.id])).toEqual([
    ['project', 'usr_demo_ops'],
    ['stage', 'usr_demo_ops'],
    ['task', 'usr_demo_ops'],
    ['stage', 'usr_demo_ops'],
    ['task', 'usr_demo_ops'],
    ['stage', 'usr_demo_ops'],
  ]);
  expect(items.at(-1).summary).toBe('Closed: resolved');
  const times = items.map((entry: { at: string }) => Date.parse(entry.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
