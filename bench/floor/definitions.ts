// The floor's contract. The floor is the least a Temporal application can do to run the
// same process as Fieldflow: the same starts, updates, signals, timers, search-attribute
// upserts, child workflows and local activities, in the same order, with no-op
// activities, tiny payloads and no API. Only @temporalio/workflow is imported.
import { defineSignal, defineUpdate } from '@temporalio/workflow';

/** One task completion: which decision it answers and its outcome. */
export interface FloorStep {
  step: 'request' | 'investigation' | 'review' | 'job';
  outcome?: 'manufacturer' | 'internal' | 'site_visit' | 'resolved' | 'return_to_site';
}

export interface FloorFollow {
  workflowId: string;
  afterJobId?: string;
}

export interface FloorCompleteResult {
  follow?: FloorFollow;
}

export interface FloorState {
  stage: string;
  awaiting?: 'request' | 'manufacturer' | 'internal' | 'review';
  jobs: { id: string; workflowId: string; status: 'starting' | 'open' | 'done' }[];
  step: number;
  closed: boolean;
}

export interface FloorProjectInput {
  projectId: string;
  chaseAfterMs: number;
  continueAsNewAfterEvents: number;
  carried?: FloorState;
}

export interface FloorJobInput {
  jobId: string;
  parentWorkflowId: string;
  /** Task completions until the job is done (an audit job without a register update: 5). */
  steps: number;
}

export const floorCompleteUpdate = defineUpdate<FloorCompleteResult, [FloorStep]>('floorCompleteUpdate');
export const floorSettledUpdate = defineUpdate<{ closed: boolean }, [{ afterJobId?: string }]>('floorSettledUpdate');
export const floorOutcomeSignal = defineSignal<[FloorStep]>('floorOutcomeSignal');

export const FLOOR_TASK_QUEUE = 'bench-floor';
export const floorWorkflowId = (projectId: string) => `floor-${projectId}`;
export const floorJobWorkflowId = (jobId: string) => `floorjob-${jobId}`;
