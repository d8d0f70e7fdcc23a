// What a project asks Temporal about its jobs. A project that continued as new no longer
// holds its jobs' handles; a job that ends normally reports by signal, but one that was
// terminated cannot, so the project checks on its carried jobs now and then.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { JobOutcome } from '../workflows/jobs/definitions';
import type { SiteJobResult } from '../workflows/jobs/definitions';

export interface JobCheck {
  workflowId: string;
  running: boolean;
  /** The job's own outcome when it completed; absent when it failed, was terminated or timed out. */
  outcome?: JobOutcome;
  review?: Record<string, unknown>;
  closeReason?: string;
  status: string;
}

export function createJobActivities({ temporal }: { temporal: Client }) {
  return {
    /** Each job on its own: one that cannot be asked about is left for the next check, one Temporal no longer knows has ended. */
    async checkJobs(workflowIds: string[]): Promise<JobCheck[]> {
      const checks = await Promise.allSettled(
        workflowIds.map(async (workflowId): Promise<JobCheck> => {
          const handle = temporal.workflow.getHandle(workflowId);
          let status: string;
          try {
            status = (await handle.describe()).status.name;
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) return { workflowId, running: false, status: 'NOT_FOUND' };
            throw err;
          }
          if (status === 'RUNNING') return { workflowId, running: true, status };
          if (status !== 'COMPLETED') return { workflowId, running: false, status };
          const result = (await handle.result()) as SiteJobResult;
          return {
            workflowId,
            running: false,
            status,
            outcome: result.outcome,
            ...(result.review ? { review: result.review } : {}),
            ...(result.closeReason ? { closeReason: result.closeReason } : {}),
          };
        }),
      );
      return checks.flatMap((check) => (check.status === 'fulfilled' ? [check.value] : []));
    },
  };
}

export type JobActivities = ReturnType<typeof createJobActivities>;
