// The floor's contract. The floor is the least a Temporal application can do to run the
// same process as Fieldflow: the same starts, updates, signals, timers, search-attribute
// upserts, patch markers, child workflows and activities, in the same order, with no-op
// activities, tiny payloads and no API. Only @temporalio/workflow is imported.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** One task completion: which decision it answers and its outcome. */
export interface FloorStep {
  /** `task`: a sales project's task, named by `task`; `job`: the open task of a job. */
  step: 'request' | 'investigation' | 'review' | 'job' | 'task';
  /** The task's type (a job's too: its confirming task makes the work order). */
  task?: string;
  /** A job's accept task: the appointment, which the field tasks' due time follows. */
  scheduledStart?: string;
  /** Service outcomes (manufacturer, internal, site_visit, resolved, return_to_site) or a review's (pass, approve, …). */
  outcome?: string;
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
  kind: 'due' | 'escalate' | 'chase' | 'watch' | 'follow_up';
}

/** What the last completed write carried: what the driver would see in the read model. */
export interface FloorWritten {
  writes: number;
  stage?: string;
  /** Sales: the design project is linked; proposals were synced this many times. */
  linked?: boolean;
  synced?: number;
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
  /** Sales: a follow-up task this long after a proposal was sent without a signature. */
  followUpAfterMs?: number;
  /** Field tasks fall due this long after the appointment (the product's default when absent: 4 h). */
  fieldTaskDueAfterStartMs?: number;
}

/** A job's chain as the floor's client knows it: tasks per step, and the step with the installer's checklists. */
export interface FloorChain {
  chain: number[];
  fieldStep: number;
}

export interface FloorProjectInput extends FloorTimes {
  /** The audit job's chain (the product client's AUDIT). */
  audit: FloorChain;
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
  /** Tasks opened together at each step (the steps that apply); `steps` of one task each when absent. */
  chain?: number[];
  /** The step with the installer's checklists: it ends only with a protocol, its tasks fall due after the appointment. */
  fieldStep?: number;
  /** The step from which the job is `prepared` (an installation's first visit). */
  preparedAt?: number;
  /** The job's type for its search attribute (`job:<kind>`); `floor` when absent. */
  kind?: string;
  times: FloorTimes;
  carried?: FloorJobState;
}

export interface FloorJobState {
  done: number;
  step: number;
  open: string[];
  seq: number;
  outcome?: string;
  deadlines: FloorDeadline[];
  scheduledStart?: string;
  /** The protocol: work or material lines, photo attachments. */
  lines: number;
  photos: number;
  /** Work-order versions asked for (each made by the no-op activity). */
  orders: number;
  /** Update ids of recent protocol changes (a keyed retry changes nothing). */
  keys: string[];
}

/** One protocol change (the product's changeProtocolUpdate): a work line or a photo attachment. */
export interface FloorProtocolChange {
  op: 'work' | 'photo';
  updateId?: string;
}

export type FloorSalesStage = 'onboarding' | 'quoting' | 'considering' | 'committing' | 'inspection' | 'installation' | 'completed' | 'cancelled';
export type FloorDesignEvent = 'proposal.sent' | 'proposal.signed' | 'deposit.paid';

export interface FloorSalesState {
  stage: FloorSalesStage;
  open: { id: string; task: string }[];
  taskSeq: number;
  jobs: { id: string; workflowId: string; type: 'inspection' | 'installation'; rework?: boolean; status: 'starting' | 'open' | 'done'; outcome?: string }[];
  /** Outside work (the design tool), run by the loop in order. */
  effects: { id: string; kind: 'link' | 'sync' | 'archive' }[];
  effectSeq: number;
  linked: boolean;
  synced: number;
  depositPaid: boolean;
  closing: string[];
  deadlines: FloorDeadline[];
  closed: boolean;
}

export interface FloorSalesInput extends FloorTimes {
  /** Tasks per step of each job's chain (what the bench's product client completes). */
  chains: { inspection: number[]; installation: number[]; rework: number[]; installationPreparedAt: number; fieldSteps: { inspection: number; installation: number; rework: number } };
  projectId: string;
  customerId: string;
  siteId: string;
  carried?: FloorSalesState;
}

export const floorCompleteUpdate = defineUpdate<FloorCompleteResult, [FloorStep]>('floorCompleteUpdate');
/** A change to a job's protocol (the product's changeProtocolUpdate): lines and photos after it. */
export const floorProtocolUpdate = defineUpdate<{ lines: number; photos: number }, [FloorProtocolChange]>('floorProtocolUpdate');
export const floorSettledUpdate = defineUpdate<{ closed: boolean }, [{ afterJobId?: string }]>('floorSettledUpdate');
export const floorOutcomeSignal = defineSignal<[FloorStep]>('floorOutcomeSignal');
/** A job tells its project it ended (by workflow id, as the product's jobFinishedSignal). */
export const floorJobFinishedSignal = defineSignal<[{ jobId: string; outcome?: string }]>('floorJobFinishedSignal');
/** A design-tool event, as the API signals it after a verified webhook (the product's projectEventSignal). */
export const floorDesignEventSignal = defineSignal<[{ type: FloorDesignEvent }]>('floorDesignEventSignal');
/** What the read model would show: what the last completed write carried (no history events). */
export const floorWrittenQuery = defineQuery<FloorWritten>('floorWrittenQuery');
/** A closing project tells its running jobs to stop (the product's cancelJobSignal). */
export const floorCancelJobSignal = defineSignal('floorCancelJobSignal');

export const FLOOR_TASK_QUEUE = 'bench-floor';
export const floorWorkflowId = (projectId: string) => `floor-${projectId}`;
export const floorSalesWorkflowId = (projectId: string) => `floorsales-${projectId}`;
export const floorJobWorkflowId = (jobId: string) => `floorjob-${jobId}`;
