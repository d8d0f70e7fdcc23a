// Drives the floor workflows with a Temporal client directly: for each of Fieldflow's
// HTTP actions, the Temporal calls its API makes (api/routes/projects.ts, tasks.ts).
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../../workflows/search-attributes';
import { APPOINTMENT, appointment, AUDIT, fieldStep, POLL_MS, SALES, type RecordAction, type Record_, type SalesTask } from '../product-client';
import {
  FLOOR_TASK_QUEUE,
  floorCompleteUpdate,
  floorDesignEventSignal,
  floorJobWorkflowId,
  floorProtocolUpdate,
  floorSalesWorkflowId,
  floorSettledUpdate,
  floorWorkflowId,
  floorWrittenQuery,
  type FloorChain,
  type FloorDesignEvent,
  type FloorSalesInput,
  type FloorWritten,
  type FloorFollow,
  type FloorStep,
  type FloorTimes,
} from './definitions';
import type { floorProject, floorSalesProject } from './workflows';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The floor's job chains: the step sizes of the product client's sales table. */
const CHAINS: FloorSalesInput['chains'] = {
  inspection: SALES.inspection.map((step) => step.length),
  installation: SALES.installation.map((step) => step.length),
  // A rework visit: accept and schedule, then the installer's reports and the review.
  rework: [1, ...SALES.installation.slice(1).map((step) => step.length)],
  installationPreparedAt: 1,
  fieldSteps: { inspection: fieldStep(SALES.inspection), installation: fieldStep(SALES.installation), rework: fieldStep(SALES.installation) },
};
/** The service project's audit job: the product client's AUDIT. */
const AUDIT_CHAIN: FloorChain = { chain: AUDIT.map((step) => step.length), fieldStep: fieldStep(AUDIT) };

/** The product's policy, as far as it decides Temporal actions (timers, continue-as-new). */
export type FloorPolicy = FloorTimes;

export class FloorClient {
  /** Queries made while waiting, for the sales phase's notes. */
  polls = 0;

  constructor(
    readonly client: Client,
    readonly policy: FloorPolicy,
  ) {}

  /** POST /projects: update-with-start of the settle barrier. */
  async start(projectId: string, continueAsNewAfterEvents = this.policy.continueAsNewAfterEvents): Promise<WorkflowHandle> {
    const workflowId = floorWorkflowId(projectId);
    const start = new WithStartWorkflowOperation<typeof floorProject>('floorProject', {
      workflowId,
      taskQueue: FLOOR_TASK_QUEUE,
      args: [{ projectId, customerId: 'cus_demo', siteId: 'sit_demo', ...this.policy, continueAsNewAfterEvents, audit: AUDIT_CHAIN }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Floor project ${projectId}`,
      staticDetails: 'customer cus_demo, site sit_demo',
      typedSearchAttributes: [
        { key: ProjectKindKey, value: 'floor' },
        { key: ProjectStageKey, value: 'requesting' },
        { key: CustomerIdKey, value: 'cus_demo' },
        { key: SiteIdKey, value: 'sit_demo' },
      ],
    });
    await this.client.workflow.executeUpdateWithStart(floorSettledUpdate, { args: [{}], startWorkflowOperation: start });
    return this.client.workflow.getHandle(workflowId);
  }

  /** POST /tasks/:id/complete: the completion update, then the settle barrier on the workflow it names. */
  async act(handle: WorkflowHandle, step: FloorStep, record?: Record_): Promise<FloorFollow | undefined> {
    const started = performance.now();
    const { follow } = await handle.executeUpdate(floorCompleteUpdate, { args: [step] });
    if (follow) {
      await this.client.workflow
        .getHandle(follow.workflowId)
        .executeUpdate(floorSettledUpdate, { args: [follow.afterJobId ? { afterJobId: follow.afterJobId } : {}] });
    }
    record?.(performance.now() - started);
    return follow;
  }

  /** The minimal protocol: a work line, then a photo; each its own update with an update id (the API's Idempotency-Key). */
  async protocol(job: WorkflowHandle, record?: RecordAction): Promise<void> {
    for (const [op, action] of [
      ['work', 'protocol work line'],
      ['photo', 'protocol photo'],
    ] as const) {
      const started = performance.now();
      const updateId = crypto.randomUUID();
      await job.executeUpdate(floorProtocolUpdate, { args: [{ op, updateId }], updateId });
      record?.(action, performance.now() - started);
    }
  }

  /** A job's steps in order (the product client's table), the protocol before its field step. */
  private async steps(job: WorkflowHandle, steps: SalesTask[][], record?: RecordAction, recordProtocol?: RecordAction): Promise<FloorFollow | undefined> {
    let follow: FloorFollow | undefined;
    const fieldAt = fieldStep(steps);
    for (const [index, step] of steps.entries()) {
      if (index === fieldAt) await this.protocol(job, recordProtocol);
      follow = await this.tasks(job, step, true, record);
    }
    return follow;
  }

  async auditJob(parent: WorkflowHandle, follow: FloorFollow | undefined, record?: Record_): Promise<void> {
    if (!follow) throw new Error(`${parent.workflowId}: no job started`);
    await this.steps(this.client.workflow.getHandle(follow.workflowId), AUDIT, record && ((_action, ms) => record(ms)));
  }

  async serviceProject(projectId: string, record?: Record_): Promise<string> {
    const parent = await this.start(projectId);
    await this.act(parent, { step: 'request', outcome: 'manufacturer' }, record);
    const follow = await this.act(parent, { step: 'investigation', outcome: 'site_visit' }, record);
    await this.auditJob(parent, follow, record);
    await this.act(parent, { step: 'review', outcome: 'resolved' }, record);
    return parent.workflowId;
  }

  async parkedProject(projectId: string): Promise<string> {
    const parent = await this.start(projectId);
    await this.act(parent, { step: 'request', outcome: 'internal' });
    return parent.workflowId;
  }

  // --- the sales lifecycle ------------------------------------------------------------

  /** POST /projects with kind sales: the same update-with-start, of the floor's sales project. */
  async startSales(projectId: string): Promise<WorkflowHandle> {
    const workflowId = floorSalesWorkflowId(projectId);
    const start = new WithStartWorkflowOperation<typeof floorSalesProject>('floorSalesProject', {
      workflowId,
      taskQueue: FLOOR_TASK_QUEUE,
      args: [{ projectId, customerId: 'cus_demo', siteId: `sit_${projectId}`, ...this.policy, chains: CHAINS }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Floor sales project ${projectId}`,
      staticDetails: `customer cus_demo, site sit_${projectId}`,
      typedSearchAttributes: [
        { key: ProjectKindKey, value: 'floor-sales' },
        { key: ProjectStageKey, value: 'onboarding' },
        { key: CustomerIdKey, value: 'cus_demo' },
        { key: SiteIdKey, value: `sit_${projectId}` },
      ],
    });
    await this.client.workflow.executeUpdateWithStart(floorSettledUpdate, { args: [{}], startWorkflowOperation: start });
    return this.client.workflow.getHandle(workflowId);
  }

  /** Polls what a workflow's last write carried (the product's driver polls the read model). */
  async untilWritten(workflowId: string, what: string, check: (written: FloorWritten) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const handle = this.client.workflow.getHandle(workflowId);
    for (;;) {
      this.polls++;
      const written = await handle.query(floorWrittenQuery).catch(() => undefined); // not started yet
      if (written && check(written)) return;
      if (performance.now() > deadline) throw new Error(`${workflowId}: timed out waiting for ${what}`);
      await pause(POLL_MS);
    }
  }

  /** A design-tool event: the signal the API sends for a verified webhook. */
  async designEvent(parent: WorkflowHandle, type: FloorDesignEvent, record?: RecordAction): Promise<void> {
    const started = performance.now();
    await parent.signal(floorDesignEventSignal, { type });
    record?.(type, performance.now() - started);
  }

  private async tasks(handle: WorkflowHandle, tasks: { type: string; payload: Record<string, unknown> }[], job: boolean, record?: RecordAction): Promise<FloorFollow | undefined> {
    let follow: FloorFollow | undefined;
    for (const task of tasks) {
      const outcome = typeof task.payload.outcome === 'string' ? { outcome: task.payload.outcome } : {};
      const scheduled = task.payload.scheduledStart === APPOINTMENT ? { scheduledStart: appointment() } : {};
      follow = await this.act(handle, { step: job ? 'job' : 'task', task: task.type, ...scheduled, ...outcome }, record && ((ms) => record(task.type, ms)));
    }
    return follow;
  }

  /** One sales lifecycle with the product client's table (SALES), waiting where its driver waits. */
  async salesProject(projectId: string, record?: RecordAction): Promise<string> {
    const parent = await this.startSales(projectId);
    await this.tasks(parent, SALES.onboarding, false, record);
    await this.untilWritten(parent.workflowId, 'the linked design project', (w) => w.linked === true);
    await this.designEvent(parent, 'proposal.sent', record);
    await this.untilWritten(parent.workflowId, 'considering', (w) => w.stage === 'considering');
    await this.designEvent(parent, 'proposal.signed', record);
    await this.untilWritten(parent.workflowId, 'the signed proposal synced', (w) => (w.synced ?? 0) >= 1);
    await this.designEvent(parent, 'deposit.paid', record);
    const inspection = this.client.workflow.getHandle(floorJobWorkflowId(`${projectId}-j1`));
    await this.untilWritten(inspection.workflowId, 'the inspection job', (w) => w.writes >= 1);
    await this.steps(inspection, SALES.inspection, record, record);
    const follow = await this.tasks(parent, [SALES.startInstallation], false, record);
    if (!follow) throw new Error(`${parent.workflowId}: no installation job started`);
    const installation = this.client.workflow.getHandle(follow.workflowId);
    await this.steps(installation, SALES.installation, record, record);
    await this.tasks(parent, SALES.closing, false, record);
    // The product's last answer shows `completed`; here a query (no history events) says so.
    await this.untilWritten(parent.workflowId, 'completed', (w) => w.stage === 'completed', 1_000);
    return parent.workflowId;
  }
}
