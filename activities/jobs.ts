// What a project asks Temporal about its jobs. A project that continued as new no longer
// holds its jobs' handles; a job that ends normally reports by signal, but one that was
// terminated cannot, so the project checks on its carried jobs now and then.
import type { Client } from '@temporalio/client';
import type { JobOutcome } from '../workflows/jobs/definitions';
import type { SiteJobResult } from '../workflows/jobs/definitions';

export interface JobCheck {
  workflowId: string;
  running: boolean;
  /** The job's own outcome when it completed; absent when it failed, was terminated or timed out. */
  outcome?: JobOutcome;
  status: string;
}

export function createJobActivities({ temporal }: { temporal: Client }) {
  return {
    async checkJobs(workflowIds: string[]): Promise<JobCheck[]> {
      return Promise.all(
        workflowIds.map(async (workflowId) => {
          const handle = temporal.workflow.getHandle(workflowId);
          const { status } = await handle.describe();
          if (status.name === 'RUNNING') return { workflowId, running: true, status: status.name };
          if (status.name !== 'COMPLETED') return { workflowId, running: false, status: status.name };
          const result = (await handle.result()) as SiteJobResult;
          return { workflowId, running: false, status: status.name, outcome: result.outcome };
        }),
      );
    },
  };
}

export type JobActivities = ReturnType<typeof createJobActivities>;
