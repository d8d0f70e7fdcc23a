// The floor's contract. The floor is the least a Temporal application can do to run the
// same process as Fieldflow: the same starts, updates, signals, timers, search-attribute
// upserts, patch markers, child workflows and activities, in the same order, with no-op
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

/** A deadline as the product keeps it: an absolute time, served by one timer. */
export interface FloorDeadline {
  id: string;
  at: number;
  kind: 'due' | 'escalate' | 'chase' | 'watch';
}

export interface FloorState {
  stage: string;
  awaiting?: 'request' | 'manufacturer' | 'internal' | 'review';
  jobs: { id: string; workflowId: string; status: 'starting' | 'open' | 'done' }[];
  deadlines: FloorDeadline[];
  closed: boolean;
}

/** The product's policy, as far as it decides Temporal actions (timers, continue-as-new). */
export interface FloorTimes {
  taskDueAfterMs: number;
  taskEscalateAfterMs: number;
  chaseAfterMs: number;
  jobWatchEveryMs: number;
  continueAsNewAfterEvents: number;
}

export interface FloorProjectInput extends FloorTimes {
  projectId: string;
  customerId: string;
  siteId: string;
  carried?: FloorState;
}

export interface FloorJobInput {
  jobId: string;
  parentWorkflowId: string;
  customerId: string;
  siteId: string;
  /** Task completions until the job is done (an audit job without a register update: 5). */
  steps: number;
  times: FloorTimes;
  carried?: { done: number; deadlines: FloorDeadline[] };
}

export const floorCompleteUpdate = defineUpdate<FloorCompleteResult, [FloorStep]>('floorCompleteUpdate');
export const floorSettledUpdate = defineUpdate<{ closed: boolean }, [{ afterJobId?: string }]>('floorSettledUpdate');
export const floorOutcomeSignal = defineSignal<[FloorStep]>('floorOutcomeSignal');
/** A job tells its project it ended (by workflow id, as the product's jobFinishedSignal). */
export const floorJobFinishedSignal = defineSignal<[{ jobId: string }]>('floorJobFinishedSignal');
/** A closing project tells its running jobs to stop (the product's cancelJobSignal). */
export const floorCancelJobSignal = defineSignal('floorCancelJobSignal');

export const FLOOR_TASK_QUEUE = 'bench-floor';
export const floorWorkflowId = (projectId: string) => `floor-${projectId}`;
export const floorJobWorkflowId = (jobId: string) => `floorjob-${jobId}`;
