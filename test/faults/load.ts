// The load the faults hit: service projects driven concurrently over HTTP through the
// shared flow helpers by retrying clients, and the checks every project must pass after.
import type { Client } from '@temporalio/client';
import { salesWorkflowId } from '../../workflows/ids';
import { Flow } from '../support/flows';
import { duplicates, percentile, readModelCatchesUp } from './checks';
import type { RetryingApi } from './client';
import { sleep } from './stack';

export interface Driven {
  flow: Flow;
  ms: number;
  kind?: 'service' | 'sales';
}

/** How a load's project is walked: service by default; every other one sales when given. */
export type Drive = (api: RetryingApi, title: string) => Promise<Driven>;

/** One service project from request to closed: an audit job, then the service review. */
export async function driveServiceProject(api: RetryingApi, title: string): Promise<Driven> {
  const start = Date.now();
  const flow = await Flow.create(api, title);
  try {
    await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
    await flow.auditJob();
    await flow.complete('service_review', { outcome: 'resolved' });
  } catch (err) {
    throw Object.assign(new Error(`${flow.projectId}: ${(err as Error).message}`), { projectId: flow.projectId });
  }
  return { flow, ms: Date.now() - start, kind: 'service' };
}

/** What Temporal says of a project that did not finish: its pending work and last events. */
export async function explain(temporal: Client, workflowId: string): Promise<string> {
  const handle = temporal.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const { events } = await handle.fetchHistory();
  const raw = description.raw;
  return JSON.stringify(
    {
      workflowId,
      status: description.status.name,
      pendingWorkflowTask: raw.pendingWorkflowTask,
      pendingActivities: raw.pendingActivities?.map((a) => ({ type: a.activityType?.name, state: a.state, attempt: a.attempt, lastFailure: a.lastFailure?.message })),
      lastEvents: (events ?? []).slice(-12).map((event) => `${event.eventId} ${event.eventType}`),
    },
    null,
    1,
  );
}

/**
 * Starts `count` projects 50 ms apart (with `sales`, every other one a sales project);
 * `done` settles when every one has finished or failed.
 */
export function driveMany(api: RetryingApi, count: number, label: string, temporal?: () => Client | undefined, sales?: Drive): { done: Promise<Driven[]>; running: () => boolean } {
  let running = true;
  const done = Promise.allSettled(
    Array.from({ length: count }, async (_, index) => {
      await sleep(index * 50);
      return sales && index % 2 === 1 ? sales(api, `${label} ${index} (sales)`) : driveServiceProject(api, `${label} ${index}`);
    }),
  ).then(async (outcomes) => {
    running = false;
    const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    const client = temporal?.();
    for (const outcome of failed) {
      const projectId = (outcome.reason as { projectId?: string }).projectId;
      if (client && projectId) {
        const sales = / \(sales\): /.test(String((outcome.reason as Error).message));
        process.stdout.write(`not finished: ${await explain(client, sales ? salesWorkflowId(projectId) : `service-${projectId}`).catch((err) => String(err))}\n`);
        // And its jobs: a job whose rows never reached the read model leaves the project's view without its tasks.
        for (const n of [1, 2]) process.stdout.write(`its job ${n}: ${await explain(client, `job-${projectId}-j${n}`).catch((err) => String(err))}\n`);
      }
    }
    expect(failed.map((outcome) => String(outcome.reason))).toEqual([]);
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<Driven>).value);
  });
  return { done, running: () => running };
}

/** Closed as resolved in the read model and in Temporal, read model = workflows, nothing twice. */
export async function expectAllFinished(api: RetryingApi, temporal: Client, driven: Driven[]): Promise<{ catchUpMs: number[] }> {
  const catchUpMs: number[] = [];
  const twice: string[] = [];
  for (const { flow, kind } of driven) {
    const view = await flow.project();
    const end = kind === 'sales' ? { stage: 'completed', outcome: 'completed' } : { stage: 'closed', outcome: 'resolved' };
    expect({ id: flow.projectId, stage: view.stage, outcome: view.outcome }).toEqual({ id: flow.projectId, ...end });
    expect((await temporal.workflow.getHandle(view.workflowId).result()).outcome).toBe(end.outcome);
    catchUpMs.push(await readModelCatchesUp(flow, temporal));
    twice.push(...(await duplicates(api, flow.projectId, api.uploads.get(flow.projectId))).map((entry) => `${flow.projectId}: ${entry}`));
  }
  expect(twice).toEqual([]);
  return { catchUpMs };
}

export const projectTimes = (driven: Driven[]) =>
  `project p50 ${(percentile(driven.map((d) => d.ms), 50) / 1000).toFixed(1)} s, max ${(Math.max(...driven.map((d) => d.ms)) / 1000).toFixed(1)} s`;
