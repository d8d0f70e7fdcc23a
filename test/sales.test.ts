// Sales projects through HTTP, the real dev server and the design tool's stand-in, whose
// controls a person (here, the test) presses: every branch of PRODUCT.md's sales table.
import { eq } from 'drizzle-orm';
import { timeline } from '../db/schema';
import { salesWorkflowId } from '../workflows/ids';
import { expectReadModelMatchesWorkflow } from './support/consistency';
import { webhookHeaders } from './support/flows';
import { SalesFlow } from './support/sales-flows';
import { DESIGN_WEBHOOK_SECRET, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ FOLLOW_UP_CUSTOMER_AFTER: 'PT2S' });
});
afterAll(() => system?.stop());

const standIn = () => system.designTool!.url;
async function control(path: string, body: Record<string, unknown> = {}) {
  const response = await fetch(standIn() + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`stand-in ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as any;
}
async function calls(): Promise<{ method: string; path: string }[]> {
  return ((await (await fetch(standIn() + "/_calls")).json()) as any).items;
}
const summaries = async (projectId: string) => (await system.database.db.select().from(timeline).where(eq(timeline.projectId, projectId))).map((entry) => entry.summary);

/** Onboarding, the linked design project, a proposal the customer signs, and the deposit. */
async function toInspection(flow: SalesFlow): Promise<{ designProjectId: string; proposalId: string }> {
  await flow.complete('onboard_site', { phases: 3, nmi: '2001985732', roof: 'tin', distributor: 'SA Power Networks' });
  await flow.complete('link_design_project');
  await flow.untilOpen('sync_design');
  const linked = (await summaries(flow.projectId)).find((summary) => summary.startsWith('Linked design project'))!;
  const id = linked.split(' ').at(-1)!;
  const { proposal } = await control(`/_control/projects/${id}/proposals`, { title: '6.6 kW, 20 panels', amount: 990_000, currency: 'AUD' });
  await control(`/_control/proposals/${proposal.id}/send`);
  await flow.until('considering', (project) => project.stage === 'considering');
  await control(`/_control/proposals/${proposal.id}/sign`);
  await flow.until('committing', (project) => project.stage === 'committing');
  await control(`/_control/projects/${id}/deposit`);
  await flow.until('inspection', (project) => project.stage === 'inspection');
  await flow.untilOpen('start_job'); // the job has started and written its first task
  return { designProjectId: id, proposalId: proposal.id };
}

test('from onboarding to completed: conditional tasks present when the review asks and a serial is missing', async () => {
  const flow = await SalesFlow.createSales(system.api, 'Rooftop 6.6 kW');
  expect((await flow.project()).stage).toBe('onboarding');
  await toInspection(flow);
  await expectReadModelMatchesWorkflow(flow, system.temporal);
  await flow.inspection({ outcome: 'pass' });
  await flow.untilOpen('start_installation');
  await flow.complete('start_installation');
  await flow.installation({ outcome: 'approve', quoteUpdateNeeded: true }, { serial: null });
  await flow.untilOpen('update_quote');
  await expectReadModelMatchesWorkflow(flow, system.temporal);
  await flow.complete('update_quote');
  await flow.complete('update_asset_serials', { assets: [{ make: 'SolarEdge', model: 'SE7K', serial: 'SE-7000-9' }] });
  const compliance = await flow.uploadDocument('certificate-of-compliance.pdf', '%PDF-1.4 ces');
  await flow.complete('upload_compliance_documents', { documentIds: [compliance.id] });
  // Before invoice_customer there is no draft to show; after it, the accepted proposal (9900.00 AUD, GST included at the default 10 %).
  expect((await system.api.as('ops').get(`/projects/${flow.projectId}/invoice-draft`)).status).toBe(409);
  await flow.complete('invoice_customer');
  const draft = (await system.api.as('ops').get(`/projects/${flow.projectId}/invoice-draft`)).body;
  expect(draft).toMatchObject({ basis: 'proposal', currency: 'AUD', subtotalCents: 900_000, taxCents: 90_000, totalCents: 990_000, lines: [{ kind: 'proposal' }] });
  const done = await flow.complete('confirm_payment');
  expect(done.project).toMatchObject({ stage: 'completed', outcome: 'completed', status: 'completed' });
  expect(await summaries(flow.projectId)).toContain('Invoice draft: 9900.00 AUD');
  await expectReadModelMatchesWorkflow(flow, system.temporal);
  expect(await system.temporal.workflow.getHandle(salesWorkflowId(flow.projectId)).result()).toMatchObject({ outcome: 'completed', jobs: 2 });
});

test('conditional tasks absent; rework twice; pass_update_quote goes through update_quote', async () => {
  const flow = await SalesFlow.createSales(system.api, 'Rework twice');
  await toInspection(flow);
  await flow.inspection({ outcome: 'pass_update_quote' });
  await flow.untilOpen('update_quote');
  await flow.complete('update_quote');
  await flow.complete('start_installation');
  await flow.installation({ outcome: 'return_to_site' });
  await flow.installation({ outcome: 'return_to_site' }, { rework: true });
  await flow.installation({ outcome: 'approve' }, { rework: true });
  const project = await flow.untilOpen('upload_compliance_documents');
  expect(project.openTasks.map((task: { type: string }) => task.type)).toEqual(['upload_compliance_documents']);
  expect(project.jobs.map((job: { type: string }) => job.type)).toEqual(['inspection', 'installation', 'installation', 'installation']);
  await expectReadModelMatchesWorkflow(flow, system.temporal);
});

test('reinspect twice, then fail: the project is cancelled with the reason', async () => {
  const flow = await SalesFlow.createSales(system.api, 'Bad roof');
  await toInspection(flow);
  await flow.inspection({ outcome: 'reinspect' });
  await flow.inspection({ outcome: 'reinspect' });
  const answer = await flow.inspection({ outcome: 'fail', reason: 'asbestos roof' });
  expect(answer.project).toMatchObject({ stage: 'cancelled', outcome: 'cancelled' });
  expect(await summaries(flow.projectId)).toContain('Cancelled: the inspection failed: asbestos roof');
});

test('cancel from three stages: open tasks close, running jobs stop, the design project is archived once', async () => {
  // onboarding: nothing outside to undo
  const early = await SalesFlow.createSales(system.api, 'Cancelled early');
  expect((await system.api.as('supervisor').post(`/projects/${early.projectId}/cancel`, { reason: 'customer changed mind' })).body).toMatchObject({ outcome: 'cancelled', stage: 'cancelled' });
  // considering: the design project is archived
  const middle = await SalesFlow.createSales(system.api, 'Cancelled while considering');
  await middle.complete('onboard_site', { phases: 1, nmi: '2001985732', roof: 'tile', distributor: 'SAPN' });
  await middle.complete('link_design_project');
  await middle.untilOpen('sync_design');
  // inspection: with the inspection job running
  const late = await SalesFlow.createSales(system.api, 'Cancelled during inspection');
  const { designProjectId } = await toInspection(late);
  await late.untilOpen('start_job');
  for (const flow of [middle, late]) {
    const answer = await system.api.as('supervisor').post(`/projects/${flow.projectId}/cancel`, { reason: 'financing fell through' });
    expect(answer.body).toMatchObject({ outcome: 'cancelled', stage: 'cancelled' });
  }
  await late.until('no open tasks and the job stopped', (project) => project.openTasks.length === 0 && project.jobs.every((job: { status: string }) => job.status === 'done'));
  const deadline = Date.now() + 20_000;
  while (!(await calls()).some((call) => call.path === `/v1/projects/${designProjectId}/archive`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect((await calls()).filter((call) => call.path === `/v1/projects/${designProjectId}/archive`)).toHaveLength(1);
  await system.temporal.workflow.getHandle(salesWorkflowId(late.projectId)).result();
  expect(await summaries(late.projectId)).toContain(`Design project ${designProjectId} archived`);
});

test('design events out of order, duplicated or for the wrong stage change nothing but one timeline line each', async () => {
  const flow = await SalesFlow.createSales(system.api, 'Noisy tool');
  const early = await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'deposit.paid', { amount: 1000 });
  expect(early.status).toBe(202);
  const duplicateId = 'msg_duplicate_1';
  expect((await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'proposal.signed', {}, duplicateId)).status).toBe(202);
  expect((await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'proposal.signed', {}, duplicateId)).body).toMatchObject({ duplicate: true });
  const deadline = Date.now() + 10_000;
  let ignored: string[] = [];
  while (Date.now() < deadline) {
    ignored = (await summaries(flow.projectId)).filter((summary) => /ignored/.test(summary));
    if (ignored.length >= 2) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(ignored).toEqual([
    'Event deposit.paid ignored: the project has no linked design project yet',
    'Event proposal.signed ignored: the project has no linked design project yet',
  ]);
  expect((await flow.project()).stage).toBe('onboarding');
  // The design tool speaks to sales projects only: a service case is not found for it.
  const service = await system.api.as('ops').post('/projects', { kind: 'service', customerId: flow.customerId, siteId: flow.siteId });
  const raw = JSON.stringify({ type: 'proposal.signed', projectId: service.body.id });
  const crossKind = await system.api.request('POST', '/events/design', { raw, headers: { 'content-type': 'application/json', ...webhookHeaders(DESIGN_WEBHOOK_SECRET, raw) } });
  expect(crossKind.status).toBe(404);
  expect((await system.api.as('ops').get(`/projects/${service.body.id}`)).body.stage).toBe('requesting');
});

test('a deposit that arrives before the signature is kept, and the signature then goes straight on to the inspection', async () => {
  const flow = await SalesFlow.createSales(system.api, 'Deposit first');
  await flow.complete('onboard_site', { phases: 1, nmi: '2001985732', roof: 'tin', distributor: 'SAPN' });
  await flow.complete('link_design_project');
  await flow.untilOpen('sync_design');
  const linked = (await summaries(flow.projectId)).find((summary) => summary.startsWith('Linked design project'))!;
  const designProjectId = linked.split(' ').at(-1)!;
  // Another design project's event is not this project's.
  await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'proposal.sent', { designProjectId: 'dp_someone_else' });
  await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'deposit.paid', { designProjectId, amount: 99_000 });
  await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'proposal.signed', { designProjectId, proposalId: 'pr_1', amount: 990_000 });
  await flow.untilOpen('start_job');
  const lines = await summaries(flow.projectId);
  expect(lines).toContain('Event proposal.sent ignored: it is about another design project');
  expect(lines).toContain('Deposit paid before the signature: kept until the proposal is signed');
  expect((await flow.project()).stage).toBe('inspection');
});

test('a follow-up task appears after the configured period without a signature', async () => {
  const flow = await SalesFlow.createSales(system.api, 'Slow customer');
  await flow.complete('onboard_site', { phases: 1, nmi: '2001985732', roof: 'flat', distributor: 'SAPN' });
  await flow.complete('link_design_project');
  await flow.untilOpen('sync_design');
  await flow.sendDesignEvent(DESIGN_WEBHOOK_SECRET, 'proposal.sent', { proposalId: 'pr_x' });
  await flow.until('considering', (project) => project.stage === 'considering');
  const project = await flow.untilOpen('follow_up_customer');
  expect(project.stage).toBe('considering');
});

test('two sales projects created at the same instant on one site: one is made, the other is 409', async () => {
  const customer = (await system.api.as('ops').post('/customers', { name: 'Race customer' })).body;
  const site = (await system.api.as('ops').post(`/customers/${customer.id}/sites`, { address: '1 Race Road' })).body;
  const body = { kind: 'sales', customerId: customer.id, siteId: site.id };
  const answers = await Promise.all([system.api.as('ops').post('/projects', body), system.api.as('ops').post('/projects', body)]);
  expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
  // Once the holder's workflow is gone (here terminated by an admin), the site is free again.
  const winner = answers.find((answer) => answer.status === 201)!.body.id;
  await system.temporal.workflow.getHandle(salesWorkflowId(winner)).terminate('test');
  expect((await system.api.as('ops').post('/projects', body)).status).toBe(201);
  // A service case on the same site is still fine.
  expect((await system.api.as('ops').post('/projects', { ...body, kind: 'service' })).status).toBe(201);
});
