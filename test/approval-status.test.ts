// Field work (seeds 002 and 003) through HTTP against the real Temporal server and read
// model: the supervisor's approval of a service order, the customer-facing status of a
// whole service case with its `?status=` filter, and the asset register's lineage.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import crypto from 'node:crypto';
import { jobWorkflowId, serviceWorkflowId } from '../workflows/ids';
import { expectReadModelMatchesWorkflow } from './support/consistency';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;

beforeAll(async () => {
  // 500.00 is the limit: 500.01 needs approval, 500.00 does not.
  system = await startTestSystem({ APPROVAL_LIMIT_CENTS: '50000' });
});
afterAll(() => system?.stop());

const types = (project: { openTasks: { type: string }[] }) => project.openTasks.map((task) => task.type);

async function createCase(body: Record<string, unknown> = {}): Promise<Flow> {
  const answer = await system.api.as('ops').post('/projects', { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title: `Case ${crypto.randomUUID()}`, ...body });
  expect(answer.status).toBe(201);
  return new Flow(system.api, answer.body.id);
}

/** The input the job's workflow was started with, from its history. */
async function jobInput(jobId: string): Promise<Record<string, unknown>> {
  const history = await system.temporal.workflow.getHandle(jobWorkflowId(jobId)).fetchHistory();
  const started = history.events![0].workflowExecutionStartedEventAttributes!;
  return defaultPayloadConverter.fromPayload(started.input!.payloads![0] as Payload);
}

async function statusOf(flow: Flow, role = 'ops'): Promise<string> {
  const answer = await system.api.as(role).get(`/projects/${flow.projectId}`);
  expect(answer.status).toBe(200);
  return answer.body.customerStatus;
}

async function listed(status: string, role = 'ops'): Promise<string[]> {
  const answer = await system.api.as(role).get(`/projects?kind=service&status=${status}&limit=200`);
  expect(answer.status).toBe(200);
  for (const item of answer.body.items) expect(item.customerStatus).toBe(status);
  return answer.body.items.map((item: { id: string }) => item.id);
}

describe('approval of the service order (seed 003)', () => {
  test('over the limit: a supervisor approves, and the job starts with the approval in its input', async () => {
    const flow = await createCase();
    const requested = await flow.complete('service_request', { description: 'Replace the inverter', resolution: 'site_visit', jobType: 'replacement', estimateCents: 50_001 });
    expect(requested.project).toMatchObject({ stage: 'requesting', customerStatus: 'planned', jobs: [] });
    expect(types(requested.project)).toEqual(['approve_service_order']);
    const task = await flow.openTask('approve_service_order');
    expect(task.assignee).toBe('group:supervisor');
    await expectReadModelMatchesWorkflow(flow, system.temporal);

    // Only supervisors (and admins) decide; ops and installers are refused and nothing changes.
    for (const role of ['ops', 'installer', 'customer']) {
      expect((await system.api.as(role).post(`/tasks/${task.id}/complete`, { decision: 'approve' })).status).toBe(403);
    }
    expect(types(await flow.project())).toEqual(['approve_service_order']);

    const approved = await flow.complete('approve_service_order', { decision: 'approve', note: 'within budget' }, 'supervisor');
    expect(approved.project).toMatchObject({ stage: 'servicing', jobs: [{ type: 'replacement', sequence: 1, status: 'open' }] });
    expect(types(approved.project)).toEqual(['confirm_job']);
    const input = await jobInput(approved.project.jobs[0].id);
    expect(input.approved).toMatchObject({ by: { id: 'usr_demo_supervisor', role: 'supervisor' } });
    expect(Date.parse((input.approved as { at: string }).at)).toBeGreaterThan(Date.now() - 120_000);
    const summaries = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items.map((entry: { summary: string }) => entry.summary);
    expect(summaries).toEqual(expect.arrayContaining([expect.stringMatching(/^Approval needed: the estimate 500\.01 is over the limit of 500\.00$/), 'Service order approved']));
    await expectReadModelMatchesWorkflow(flow, system.temporal);

    // Work order v1 is made on approval, before anyone confirms the job; confirming makes no second one.
    const jobId = approved.project.jobs[0].id;
    const orders = async () => (await system.api.as('ops').get(`/jobs/${jobId}/work-orders`)).body.items as { version: number; reason: string; createdBy: string }[];
    for (let i = 0; i < 100 && (await orders()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await orders()).toEqual([expect.objectContaining({ version: 1, reason: expect.stringMatching(/^approved by /), createdBy: 'usr_demo_supervisor' })]);
    await flow.complete('confirm_job');
    expect((await orders()).map((order) => order.version)).toEqual([1]);
  });

  test('at or under the limit, or without an estimate, the request goes on at once', async () => {
    const atLimit = await createCase();
    const answer = await atLimit.complete('service_request', { description: 'Reset the gateway', resolution: 'internal', estimateCents: 50_000 });
    expect(answer.project.stage).toBe('investigating');
    expect(types(answer.project)).toEqual(['internal_review']);

    const none = await createCase();
    const visit = await none.complete('service_request', { description: 'Check the isolator', resolution: 'site_visit', jobType: 'audit' });
    expect(visit.project).toMatchObject({ stage: 'servicing', jobs: [{ type: 'audit' }] });
    expect(await jobInput(visit.project.jobs[0].id)).not.toHaveProperty('approved');
  });

  test('a negative or fractional estimate is a 400 naming the field, and changes nothing', async () => {
    const flow = await createCase();
    const task = await flow.openTask('service_request');
    for (const estimateCents of [-1, 12.5, '100']) {
      const answer = await system.api.as('ops').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'internal', estimateCents });
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain('estimateCents');
    }
    expect(types(await flow.project())).toEqual(['service_request']);
  });

  test('a case raised by the customer always needs approval; a rejection closes it rejected with the reason', async () => {
    const flow = await createCase({ raisedBy: 'customer' });
    const requested = await flow.complete('service_request', { description: 'Customer reports a burning smell', resolution: 'site_visit', jobType: 'audit', estimateCents: 100 });
    expect(types(requested.project)).toEqual(['approve_service_order']);
    const task = await flow.openTask('approve_service_order');

    // A rejection needs its reason.
    const bare = await system.api.as('supervisor').post(`/tasks/${task.id}/complete`, { decision: 'reject' });
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((error: { path: string }) => error.path)).toContain('reason');

    const rejected = await flow.complete('approve_service_order', { decision: 'reject', reason: 'Covered by the installer warranty, not by us' }, 'supervisor');
    expect(rejected.project).toMatchObject({ stage: 'closed', outcome: 'rejected', customerStatus: 'cancelled', openTasks: [], jobs: [] });
    expect((await system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId)).result()).outcome).toBe('rejected');
    const timeline = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items;
    expect(timeline).toContainEqual(expect.objectContaining({ kind: 'project', summary: 'Service order rejected: Covered by the installer warranty, not by us' }));
    // The customer sees the case cancelled, not the office's reasons.
    expect(await statusOf(flow, 'customer')).toBe('cancelled');
    const theirs = (await system.api.as('customer').get(`/projects/${flow.projectId}/timeline`)).body.items;
    expect(JSON.stringify(theirs)).not.toContain('warranty');
    expect(await listed('cancelled')).toContain(flow.projectId);
  });

  test('a customer-raised case that is not required closes without approval', async () => {
    const flow = await createCase({ raisedBy: 'customer' });
    const answer = await flow.complete('service_request', { description: 'Asked twice', resolution: 'not_required' });
    expect(answer.project).toMatchObject({ outcome: 'not_required', customerStatus: 'cancelled' });
  });
});

describe('the customer-facing status (seed 002)', () => {
  test('planned → in_progress → completed across a whole service case, and the ?status= filter follows', async () => {
    const flow = await createCase();
    expect(await statusOf(flow)).toBe('planned');
    const visit = await flow.complete('service_request', { description: 'Low yield', resolution: 'site_visit', jobType: 'audit' });
    // A job that is not scheduled yet is planned, not under way.
    expect(visit.project.customerStatus).toBe('planned');
    await flow.complete('confirm_job');
    const scheduled = await flow.complete('accept_schedule_job', { scheduledStart: '2031-03-04T09:00:00+10:30' }, 'installer');
    expect(scheduled.project.customerStatus).toBe('planned');
    expect(await listed('planned')).toContain(flow.projectId);
    expect(await listed('in_progress')).not.toContain(flow.projectId);

    // The installer's first trip starts ("on my way").
    const jobId = scheduled.project.jobs[0].id;
    const trip = await system.api.as('installer').post(`/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2031-03-04T08:30:00+10:30' });
    expect(trip.status).toBe(201);
    expect((await system.api.as('installer').post(`/jobs/${jobId}/trips/${trip.body.id}/start`)).status).toBe(200);
    expect(await statusOf(flow)).toBe('in_progress');
    expect(await statusOf(flow, 'customer')).toBe('in_progress');
    expect(await listed('in_progress')).toContain(flow.projectId);
    expect(await listed('planned')).not.toContain(flow.projectId);
    // The customer's list shows the same status.
    const theirs = (await system.api.as('customer').get('/projects?status=in_progress&limit=200')).body.items;
    expect(theirs.map((item: { id: string }) => item.id)).toContain(flow.projectId);

    await flow.fillProtocol();

    await flow.complete('audit_checklist', {}, 'installer');
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
    // The job is done and the office reviews it: still in progress for the customer.
    const reviewed = await flow.complete('audit_review', { outcome: 'completed' });
    expect(reviewed.project).toMatchObject({ stage: 'reviewing', customerStatus: 'in_progress' });
    const closed = await flow.complete('service_review', { outcome: 'resolved' });
    expect(closed.project).toMatchObject({ outcome: 'resolved', customerStatus: 'completed' });
    expect(await listed('completed')).toContain(flow.projectId);
    expect(await listed('in_progress')).not.toContain(flow.projectId);
  });

  test('a job whose scheduled start has passed is under way; a failed job is a problem, and so is an unresolved case', async () => {
    const flow = await createCase();
    await flow.complete('service_request', { description: 'Isolator burnt', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    const started = await flow.complete('accept_schedule_job', { scheduledStart: '2020-01-06T08:00:00+10:00' }, 'installer');
    expect(started.project.customerStatus).toBe('in_progress');
    await flow.fillProtocol();
    await flow.complete('audit_checklist', {}, 'installer');
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
    const failed = await flow.complete('audit_review', { outcome: 'failed' });
    expect(failed.project).toMatchObject({ stage: 'reviewing', customerStatus: 'problem' });
    expect(await listed('problem')).toContain(flow.projectId);
    // Another visit is planned: no longer a problem until it fails too, and still in
    // progress (work has begun; the status never goes back to planned).
    const again = await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
    expect(again.project.customerStatus).toBe('in_progress');
    await flow.auditJob('failed');
    expect(await statusOf(flow)).toBe('problem');
    const closed = await flow.complete('service_review', { outcome: 'cannot_resolve' });
    expect(closed.project).toMatchObject({ outcome: 'unresolved', customerStatus: 'problem' });
    expect(await listed('problem')).toContain(flow.projectId);
  });

  test('cancelled: not required, or cancelled by a supervisor; an unknown status is a 400', async () => {
    const flow = await createCase();
    expect((await flow.complete('service_request', { description: 'Duplicate', resolution: 'not_required' })).project.customerStatus).toBe('cancelled');
    const other = await createCase();
    const cancelled = await system.api.as('supervisor').post(`/projects/${other.projectId}/cancel`, { reason: 'customer moved' });
    expect(cancelled.body.customerStatus).toBe('cancelled');
    const listedCancelled = await listed('cancelled');
    expect(listedCancelled).toEqual(expect.arrayContaining([flow.projectId, other.projectId]));
    const bad = await system.api.as('ops').get('/projects?status=finished');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toContain('status');
  });
});

describe('the asset register with lineage', () => {
  test('a replacement records which serial replaced which, when and by which task; readers see it by role', async () => {
    // A site of its own: with PostgreSQL the test files share one database, and another
    // file's job for installer2 at the demo site would make that site theirs too.
    const site = await system.api.as('ops').post('/customers/cus_demo/sites', { address: `Lineage ${crypto.randomUUID()}, 2 Demo Street` });
    expect(site.status).toBe(201);
    const siteId: string = site.body.id;
    const first = `LIN-${crypto.randomUUID().slice(0, 8)}`;
    const second = `${first}-R`;
    // An audit registers the inverter.
    const audit = await createCase({ siteId });
    await audit.complete('service_request', { description: 'Register the inverter', resolution: 'site_visit', jobType: 'audit' });
    await audit.complete('confirm_job');
    await audit.complete('accept_schedule_job', { scheduledStart: '2031-01-01T09:00:00+10:30' }, 'installer');
    await audit.fillProtocol();
    await audit.complete('audit_checklist', {}, 'installer');
    await audit.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: true });
    const registered = await audit.complete('update_asset_register', { assets: [{ make: 'Fronius', model: 'Primo 5.0', serial: first }] });
    const registerTask = registered.task.id;
    const before = (await system.api.as('ops').get(`/sites/${siteId}/assets`)).body.items.find((item: { serial: string }) => item.serial === first);
    expect(before).toMatchObject({ make: 'Fronius', history: [{ serial: first, taskId: registerTask, projectId: audit.projectId }] });

    // A replacement job puts a new unit in that position.
    const replacement = await createCase({ siteId });
    await replacement.complete('service_request', { description: 'Inverter dead', resolution: 'site_visit', jobType: 'replacement' });
    await replacement.complete('confirm_job');
    await replacement.complete('accept_schedule_job', { scheduledStart: '2031-01-08T09:00:00+10:30' }, 'installer');
    await replacement.fillProtocol();
    await replacement.complete('pre_start_checklist', {}, 'installer');
    await replacement.complete('testing_commissioning', {}, 'installer');
    await replacement.complete('review_replacement_artefacts');
    const serials = await replacement.complete('update_asset_serials', { assets: [{ assetId: before.id, make: 'Fronius', model: 'Primo GEN24 5.0', serial: second }] });

    const after = (await system.api.as('ops').get(`/sites/${siteId}/assets`)).body.items.find((item: { id: string }) => item.id === before.id);
    expect(after).toMatchObject({ id: before.id, make: 'Fronius', model: 'Primo GEN24 5.0', serial: second });
    expect(after.history).toEqual([
      expect.objectContaining({ serial: first, taskId: registerTask }),
      expect.objectContaining({ serial: second, replaced: first, taskId: serials.task.id, taskType: 'update_asset_serials', projectId: replacement.projectId }),
    ]);
    expect(Date.parse(after.history[1].at)).toBeGreaterThanOrEqual(Date.parse(after.history[0].at));
    expect(after.replacedAt).toBe(after.history[1].at);

    // The site's customer sees the lineage without the office's references; the installer
    // who worked there sees it; another installer and another customer do not.
    const customer = (await system.api.as('customer').get(`/sites/${siteId}/assets`)).body.items.find((item: { id: string }) => item.id === before.id);
    expect(customer.history.map((step: { serial: string; replaced?: string }) => [step.serial, step.replaced])).toEqual([[first, undefined], [second, first]]);
    expect(JSON.stringify(customer)).not.toContain(replacement.projectId);
    expect((await system.api.as('installer').get(`/sites/${siteId}/assets`)).status).toBe(200);
    expect((await system.api.as('installer2').get(`/sites/${siteId}/assets`)).status).toBe(403);
    expect((await system.api.as('customer2').get(`/sites/${siteId}/assets`)).status).toBe(403);
    expect((await system.api.as('ops').get('/sites/sit_nowhere/assets')).status).toBe(404);
  });

  test('one position twice in one task is a 400 and changes nothing', async () => {
    const flow = await createCase();
    await flow.complete('service_request', { description: 'Swap', resolution: 'site_visit', jobType: 'replacement' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2031-02-01T09:00:00+10:30' }, 'installer');
    await flow.fillProtocol();
    await flow.complete('pre_start_checklist', {}, 'installer');
    await flow.complete('testing_commissioning', {}, 'installer');
    await flow.complete('review_replacement_artefacts');
    const task = await flow.openTask('update_asset_serials');
    const unit = { assetId: 'ast_same', make: 'SMA', model: 'SB5', serial: 'A' };
    const answer = await system.api.as('ops').post(`/tasks/${task.id}/complete`, { assets: [unit, { ...unit, serial: 'B' }] });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain('assets');
    expect(types(await flow.project())).toEqual(['update_asset_serials']);
  });
});
