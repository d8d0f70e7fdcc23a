// `npm run record-histories`: runs the service project's main paths against a fresh dev
// server and writes each workflow's history (projects and their jobs) to test/histories/.
// The replay test runs the current workflow code over them, so a change that would break
// a running project fails `npm test`. Record again only when a change is deliberately
// guarded with patched(), and keep the old files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../runtime/config';
import { startSystem, type System } from '../../runtime/system';
import { startDevServer } from '../../runtime/temporal-dev-server';
import { jobWorkflowId } from '../../workflows/ids';
import { Flow } from './flows';
import { SalesFlow } from './sales-flows';
import { Api } from './http';

const OUT = path.resolve(__dirname, '..', 'histories');
const SECRET = `whsec_${Buffer.from('record-manufacturer-webhook-key').toString('base64')}`;

/** Workflows a scenario ran besides its project and jobs (a maintenance plan's run), recorded after them. */
const alsoRecord = new Map<string, string[]>();

const scenarios: Record<string, (flow: Flow, system: System) => Promise<void>> = {
  'not-required': async (flow) => {
    await flow.complete('service_request', { description: 'Duplicate request', resolution: 'not_required' });
  },
  'manufacturer-event-replacement': async (flow) => {
    await flow.complete('service_request', { description: 'Inverter dead', resolution: 'manufacturer' });
    await sleep(2500); // past the chase timer: a chase_manufacturer task opens
    const answer = await flow.sendManufacturerEvent(SECRET, { outcome: 'site_visit_required', jobType: 'replacement' });
    if (answer.status !== 202) throw new Error(`event: ${answer.status}`);
    await until(async () => (await flow.project()).openTasks.some((task: { type: string }) => task.type === 'confirm_job'));
    await flow.replacementJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  'manufacturer-chased-twice': async (flow) => {
    await flow.complete('service_request', { description: 'Inverter silent', resolution: 'manufacturer' });
    await sleep(5000); // two chase timers: the first opens the chase task, the second finds it open
    const answer = await flow.sendManufacturerEvent(SECRET, { outcome: 'resolved' });
    if (answer.status !== 202) throw new Error(`event: ${answer.status}`);
    await until(async () => Boolean((await flow.project()).outcome));
  },
  'site-visit-replacement': async (flow) => {
    await flow.complete('service_request', { description: 'Inverter dead', resolution: 'site_visit', jobType: 'replacement' });
    await flow.replacementJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // The job's workflow id is taken (a stray run holds it): the job cannot start, the
  // project records that and goes on to its review.
  'job-cannot-start': async (flow, system) => {
    const squatter = await system.temporal.workflow.start('siteJob', {
      workflowId: jobWorkflowId(`${flow.projectId}-j1`),
      taskQueue: 'nobody-polls-this',
      args: [{}],
    });
    await flow.complete('service_request', { description: 'Meter dark', resolution: 'site_visit', jobType: 'audit' });
    await until(async () => (await flow.project()).openTasks.some((task: { type: string }) => task.type === 'service_review'));
    await squatter.terminate('recorded');
    await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
    await flow.auditJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // An admin terminates the running job in Temporal: the project closes its rows and goes on.
  'job-terminated': async (flow, system) => {
    await flow.complete('service_request', { description: 'Battery fault', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    await system.temporal.workflow.getHandle(jobWorkflowId(`${flow.projectId}-j1`)).terminate('admin stopped it');
    await until(async () => (await flow.project()).openTasks.some((task: { type: string }) => task.type === 'service_review'));
    await flow.complete('service_review', { outcome: 'cannot_resolve' });
  },
  // A task passes its due time, then is escalated.
  'task-overdue-escalated': async (flow) => {
    await until(async () => (await flow.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items.some((entry: { summary: string }) => /escalated/.test(entry.summary)), 20_000);
    await flow.complete('service_request', { description: 'Late', resolution: 'not_required' });
  },
  // Recorded after the job-search-attributes patch: its jobs take the new branch.
  'patched-job-search-attributes': async (flow) => {
    await flow.complete('service_request', { description: 'Fan noise', resolution: 'site_visit', jobType: 'audit' });
    await flow.auditJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // A maintenance plan's schedule starts one run of `plannedCase`, which starts its case.
  'maintenance-plan-run': async (flow, system) => {
    const plan = await flow.api.as('ops').post('/sites/sit_demo/plans', { title: 'Recorded plan', category: 'inverter', every: 'PT2S', startAt: new Date(Date.now() + 1000).toISOString() });
    if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body)}`);
    const schedule = system.temporal.schedule.getHandle(plan.body.id);
    await until(async () => (await schedule.describe()).info.recentActions.length > 0, 20_000);
    const run = (await schedule.describe()).info.recentActions[0]!.action.workflow.workflowId;
    await schedule.delete();
    await system.temporal.workflow.getHandle(run).result();
    alsoRecord.set('maintenance-plan-run', [run]);
    await flow.complete('service_request', { description: 'Recorded', resolution: 'not_required' });
  },
  // Recorded after the drain-yields-to-loop patch: continue-as-new takes the new branch.
  'patched-drain-yields': async (flow) => {
    await flow.complete('service_request', { description: 'Low yield again', resolution: 'internal' });
    await flow.complete('internal_review', { outcome: 'site_visit_required', jobType: 'audit' });
    await flow.auditJob('completed', true);
    await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'replacement' });
    await flow.replacementJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // Recorded after the service-approval patch: an order over the limit waits for a supervisor.
  'patched-service-approval': async (flow) => {
    await flow.complete('service_request', { description: 'New inverter', resolution: 'site_visit', jobType: 'audit', estimateCents: 250_000 });
    await flow.complete('approve_service_order', { decision: 'approve' }, 'supervisor');
    await flow.auditJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // Recorded after approved jobs made their work order at the start (2026-11-work-orders at start).
  'approved-work-order-at-start': async (flow) => {
    await flow.complete('service_request', { description: 'New inverter', resolution: 'site_visit', jobType: 'audit', estimateCents: 250_000 });
    await flow.complete('approve_service_order', { decision: 'approve' }, 'supervisor');
    await flow.auditJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  'patched-service-approval-rejected': async (flow) => {
    await flow.complete('service_request', { description: 'Second battery', resolution: 'internal', estimateCents: 900_000 });
    await flow.complete('approve_service_order', { decision: 'reject', reason: 'over budget' }, 'supervisor');
  },
  // Recorded after the field-work patches (work orders, due at the appointment): a trip,
  // the protocol, a confirmation (work order v2), then a second visit not carried out.
  'patched-field-work': async (flow) => {
    const installer = flow.api.as('installer');
    const ok = async (answer: Promise<{ status: number; body: any }>, status = 200) => {
      const { status: got, body } = await answer;
      if (got !== status) throw new Error(`field work: ${got} ${JSON.stringify(body)}`);
      return body;
    };
    await flow.complete('service_request', { description: 'Isolator smells burnt', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
    const jobId = (await flow.project()).jobs[0].id;
    const trip = await ok(installer.post(`/jobs/${jobId}/trips`, { type: 'field_trip', plannedStart: '2026-12-01T08:30:00+10:30' }), 201);
    await ok(installer.post(`/jobs/${jobId}/trips/${trip.id}/start`));
    await ok(installer.post(`/jobs/${jobId}/trips/${trip.id}/arrive`));
    await ok(installer.post(`/jobs/${jobId}/confirmations`, { kind: 'more_material', description: 'Second isolator', materials: [{ articleId: 'art_dc_isolator', quantity: 1 }] }), 201);
    await flow.fillProtocol();
    await ok(installer.post(`/jobs/${jobId}/trips/${trip.id}/finish`));
    await flow.complete('audit_checklist', {}, 'installer');
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
    await flow.complete('audit_review', { outcome: 'completed' });
    await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-08T09:00:00+10:30' }, 'installer');
    const second = (await flow.project()).jobs[1].id;
    await ok(installer.post(`/jobs/${second}/close`, { outcome: 'not_carried_out', reason: 'No access to the meter box' }));
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // Recorded after the dispatch board: booked from the board (which accepts the offer),
  // moved to another installer while the checklist was open (its due time moves), then done.
  'dispatch-board-booked': async (flow) => {
    const ops = flow.api.as('ops');
    const ok = async (answer: Promise<{ status: number; body: any }>) => {
      const { status, body } = await answer;
      if (status !== 200) throw new Error(`dispatch: ${status} ${JSON.stringify(body)}`);
      return body;
    };
    await flow.complete('service_request', { description: 'Meter flickers', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    const jobId = (await flow.project()).jobs[0].id;
    await ok(ops.post(`/jobs/${jobId}/schedule`, { installerId: 'usr_demo_installer2', start: '2026-12-01T09:00:00+10:30', end: '2026-12-01T11:00:00+10:30' }));
    await ok(ops.post(`/jobs/${jobId}/schedule`, { installerId: 'usr_demo_installer', start: '2026-12-02T13:00:00+10:30', end: '2026-12-02T15:30:00+10:30' }));
    await flow.fillProtocol();
    await flow.complete('audit_checklist', {}, 'installer');
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
    await flow.complete('audit_review', { outcome: 'completed' });
    await flow.complete('service_review', { outcome: 'resolved' });
  },
  // Recorded after the ERP order patch: the resolved case pushes its article registrations
  // to the ERP stand-in once, as outside work after the close.
  'patched-erp-order': async (flow) => {
    await flow.complete('service_request', { description: 'Isolator burnt out', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
    const jobId = (await flow.project()).jobs[0].id;
    const added = await flow.api.as('installer').post(`/jobs/${jobId}/protocol/materials`, { articleId: 'art_dc_isolator', quantity: 2 });
    if (added.status !== 201) throw new Error(`material: ${added.status} ${JSON.stringify(added.body)}`);
    await flow.fillProtocol();
    await flow.complete('audit_checklist', {}, 'installer');
    await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
    await flow.complete('audit_review', { outcome: 'completed' });
    await flow.complete('service_review', { outcome: 'resolved' });
    await until(async () => (await flow.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items.some((entry: { summary: string }) => entry.summary.startsWith('ERP order')));
    await sleep(1000); // the workflow completes once the order is written down
  },
  'internal-audit-return-to-site': async (flow) => {
    await flow.complete('service_request', { description: 'Low yield', resolution: 'internal' });
    await flow.complete('internal_review', { outcome: 'site_visit_required', jobType: 'audit' });
    await flow.auditJob('completed', true);
    await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
    await flow.auditJob('failed');
    await flow.complete('service_review', { outcome: 'cannot_resolve' });
  },
};

/** Sales scenarios make their own project (a site of its own) and press the design tool's stand-in. */
const salesScenarios: Record<string, (flow: SalesFlow, system: System) => Promise<void>> = {
  'sales-completed': async (flow, system) => {
    await toInspection(flow, system);
    await flow.inspection({ outcome: 'pass_update_quote' });
    await flow.untilOpen('update_quote');
    await flow.complete('update_quote');
    await flow.complete('start_installation');
    await flow.installation({ outcome: 'return_to_site' });
    await flow.installation({ outcome: 'approve', quoteUpdateNeeded: true }, { rework: true, serial: null });
    await flow.untilOpen('update_quote');
    await flow.complete('update_quote');
    await flow.complete('update_asset_serials', { assets: [{ make: 'SolarEdge', model: 'SE7K', serial: 'SE-1' }] });
    const compliance = await flow.uploadDocument('ces.pdf', '%PDF-1.4 ces');
    await flow.complete('upload_compliance_documents', { documentIds: [compliance.id] });
    await flow.complete('invoice_customer');
    await flow.complete('confirm_payment');
  },
  'sales-cancelled-during-inspection': async (flow, system) => {
    await toInspection(flow, system);
    await flow.inspection({ outcome: 'reinspect' });
    await flow.untilOpen('start_job');
    const answer = await flow.api.as('supervisor').post(`/projects/${flow.projectId}/cancel`, { reason: 'financing fell through' });
    if (answer.status !== 200) throw new Error(`cancel: ${answer.status}`);
    await until(async () => Boolean((await flow.project()).outcome) && (await flow.project()).jobs.every((job: { status: string }) => job.status === 'done'));
    await sleep(1500); // the archive compensation
  },
};

async function toInspection(flow: SalesFlow, system: System): Promise<void> {
  const control = async (route: string, body: Record<string, unknown> = {}) =>
    (await (await fetch(system.designTool!.url + route, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) })).json()) as any;
  await flow.complete('onboard_site', { phases: 3, nmi: '2001985732', roof: 'tin', distributor: 'SAPN' });
  await flow.complete('link_design_project');
  await flow.untilOpen('sync_design');
  const linked = (await flow.api.as('ops').get(`/projects/${flow.projectId}/timeline`)).body.items.find((entry: { summary: string }) => entry.summary.startsWith('Linked design project'));
  const designProjectId = linked.summary.split(' ').at(-1);
  const { proposal } = await control(`/_control/projects/${designProjectId}/proposals`, { title: '6.6 kW', amount: 990_000, currency: 'AUD' });
  await flow.complete('sync_design');
  await control(`/_control/proposals/${proposal.id}/send`);
  await flow.until('considering', (project) => project.stage === 'considering');
  await control(`/_control/proposals/${proposal.id}/sign`);
  await flow.until('committing', (project) => project.stage === 'committing');
  await control(`/_control/projects/${designProjectId}/deposit`);
  await flow.untilOpen('start_job');
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const server = await startDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH });
  const config = loadConfig({
    PORT: '0',
    JWT_SECRET: 'record-jwt-secret-of-at-least-32-characters',
    WEBHOOK_SECRET_MANUFACTURER: SECRET,
    WEBHOOK_SECRET_DESIGN: SECRET,
    LOG_LEVEL: 'warn',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-record-')),
    CHASE_MANUFACTURER_AFTER: 'PT2S',
    // Short enough for the overdue scenario, long enough that the others rarely hit it.
    TASK_DUE_AFTER: 'PT4S',
    TASK_ESCALATE_AFTER: 'PT2S',
    JOB_WATCH_EVERY: 'PT2S',
    FOLLOW_UP_CUSTOMER_AFTER: 'PT2S',
    CONTINUE_AS_NEW_AFTER_EVENTS: '30',
    PLAN_MIN_INTERVAL: 'PT2S',
  });
  const system = await startSystem({ config, temporalAddress: server.address, inMemoryDatabase: true, seed: true });
  const api = new Api(system.url);
  try {
    // `npm run record-histories -- NAME…` records only those scenarios: the corpus is
    // append-only, so a new scenario is added without recording the others again.
    const only = process.argv.slice(2);
    const wanted = ([name]: [string, unknown]) => !only.length || only.includes(name);
    const runs: [string, () => Promise<Flow>][] = [
      ...Object.entries(scenarios).filter(wanted).map(([name, run]): [string, () => Promise<Flow>] => [name, async () => {
        const flow = await Flow.create(api, name);
        await run(flow, system);
        return flow;
      }]),
      ...Object.entries(salesScenarios).filter(wanted).map(([name, run]): [string, () => Promise<Flow>] => [name, async () => {
        const flow = await SalesFlow.createSales(api, name);
        await run(flow, system);
        return flow;
      }]),
    ];
    for (const [name, make] of runs) {
      const flow = await make();
      const project = await flow.project();
      const workflowIds = [project.workflowId, ...project.jobs.map((job: { id: string }) => jobWorkflowId(job.id)), ...(alsoRecord.get(name) ?? [])];
      let index = 0;
      for (const workflowId of workflowIds) {
        // Every run of the workflow id: continue-as-new leaves several.
        for await (const execution of system.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
          if (execution.taskQueue !== config.taskQueue) continue; // a stray run no worker of ours ran
          // The CLI writes the standard JSON history format that historyFromJSON reads.
          const history = execFileSync(server.cliPath, ['workflow', 'show', '--address', server.address, '--workflow-id', workflowId, '--run-id', execution.runId, '-o', 'json']);
          const file = path.join(OUT, `${name}.${String(++index).padStart(2, '0')}.${execution.type}.json`);
          fs.writeFileSync(file, history);
          console.log('wrote', path.relative(process.cwd(), file));
        }
      }
    }
  } finally {
    await system.stop();
    await server.stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(100);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
