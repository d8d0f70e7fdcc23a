// Drives the floor workflows with a Temporal client directly: for each of Fieldflow's
// HTTP actions, the Temporal calls its API makes (api/routes/projects.ts, tasks.ts).
import { performance } from 'node:perf_hooks';
import { Client, WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../../workflows/search-attributes';
import type { Record_ } from '../product-client';
import {
  FLOOR_TASK_QUEUE,
  floorCompleteUpdate,
  floorSettledUpdate,
  floorWorkflowId,
  type FloorFollow,
  type FloorStep,
  type FloorTimes,
} from './definitions';
import type { floorProject } from './workflows';

/** The product's policy, as far as it decides Temporal actions (timers, continue-as-new). */
export type FloorPolicy = FloorTimes;

export class FloorClient {
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
      args: [{ projectId, customerId: 'cus_demo', siteId: 'sit_demo', ...this.policy, continueAsNewAfterEvents }],
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

  async auditJob(parent: WorkflowHandle, follow: FloorFollow | undefined, record?: Record_): Promise<void> {
    if (!follow) throw new Error(`${parent.workflowId}: no job started`);
    const job = this.client.workflow.getHandle(follow.workflowId);
    for (let i = 0; i < 5; i++) await this.act(job, { step: 'job' }, record);
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
}
