// The contract of every project workflow, whatever its kind: input, state, view, the
// outside-event and job-report signals and the project query. Only @temporalio/workflow
// is imported (the rest are types), so the API can use this module.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JobOutcome, SiteJobType } from '../jobs/definitions';
import type { LedgerState } from '../tasks/ledger';
import type { Actor, ProjectRow, Task } from '../tasks/definitions';

export type ProjectKindName = 'service' | 'sales';

/** Durations and limits, from configuration; never read from a clock or the environment inside workflow code. */
export interface ProjectPolicy {
  taskDueAfterMs: number;
  taskEscalateAfterMs: number;
  readModelRetryMaxMs: number;
  /** How often to chase a silent manufacturer (service). */
  chaseManufacturerAfterMs: number;
  /** How often to follow up a customer who has not signed a sent proposal (sales). Absent in older inputs. */
  followUpCustomerAfterMs?: number;
  /** How often a project checks on jobs it carried across continue-as-new (a terminated job cannot report). */
  jobWatchEveryMs: number;
  /** Field tasks fall due this long after their job's scheduled start (added 2026-11). */
  fieldTaskDueAfterStartMs?: number;
  /** Continue as new once history reaches this many events (or when the server suggests it). */
  continueAsNewAfterEvents: number;
  /** A service order estimated over this many cents needs a supervisor's approval (seed 003). Absent in older inputs: no limit applies. */
  approvalLimitCents?: number;
}

/** A supervisor approved the order (seed 003): who and when, for the job's work order. */
export interface Approval {
  by: Actor;
  at: string;
}

/** A site job as its project sees it: an entry in state, whose result comes back as an event. */
export interface JobEntry {
  id: string;
  type: SiteJobType;
  sequence: number;
  workflowId: string;
  status: 'starting' | 'open' | 'done';
  outcome?: JobOutcome;
  /** Why a job ended without its own outcome (it could not start, failed or was terminated). */
  reason?: string;
  /** The payload of the job's review task, for its project to act on. */
  review?: Record<string, unknown>;
  /** A rework visit after a review sent the installers back. */
  variant?: 'rework';
  /** The approval of the order the job carries out, handed to the job's input (added 2026-11). */
  approved?: Approval;
  /** Why the job was closed as not carried out. */
  closeReason?: string;
}

/**
 * Outside work a kind asked for (a call to the design tool, a compensation after a
 * cancel): run by the loop through activities, retried with backoff until it succeeds,
 * also after the project closed.
 */
export interface Effect {
  id: string;
  kind: string;
  args: Record<string, unknown>;
  attempts: number;
  /** Epoch ms of the next attempt after a failure. */
  retryAt?: number;
  lastError?: string;
}

export interface ProjectState<D = Record<string, unknown>> {
  projectId: string;
  customerId: string;
  siteId: string;
  title?: string;
  createdBy: Actor;
  stage: string;
  outcome?: string;
  closedAt?: string;
  jobs: JobEntry[];
  ledger: LedgerState;
  /** Outside work waiting to run (absent in older state). */
  effects?: Effect[];
  effectSeq?: number;
  /** The latest webhook delivery ids applied (added 2026-11; absent in older state). */
  deliveries?: string[];
  /** What only this kind keeps. */
  data: D;
}

export interface ProjectInput<D = Record<string, unknown>> {
  projectId: string;
  customerId: string;
  siteId: string;
  title?: string;
  /** For outside systems and summaries (added 2026-11; absent in older inputs). */
  customerName?: string;
  siteAddress?: string;
  createdBy: Actor;
  /** Who raised the case: `customer` (the portal, a QR form, a customer's call) makes approval apply (added 2026-11). */
  raisedBy?: 'customer' | 'staff';
  policy: ProjectPolicy;
  /** Set when the workflow continued as new. */
  carried?: ProjectState<D>;
}

export interface ProjectResult {
  projectId: string;
  outcome: string;
  jobs: number;
}

/** The project as readers see it: its row (less what only the database needs), open tasks and jobs. */
export interface ProjectView extends Omit<ProjectRow, 'createdBy' | 'closedAt'> {
  openTasks: Task[];
  jobs: JobEntry[];
  /** True while the read model is behind this workflow. */
  stale?: boolean;
}

/** Something an outside system told us, verified by the API before it becomes a signal. */
export interface ProjectEvent {
  type: string;
  /** The webhook's delivery id, for the timeline. */
  deliveryId?: string;
  source?: string;
  [field: string]: unknown;
}

/** A site job tells its project how it ended, by workflow id, so the report survives the project's continue-as-new. */
export interface JobReport {
  jobId: string;
  outcome: JobOutcome;
  reason?: string;
  review?: Record<string, unknown>;
  /** A job closed as not carried out says why (unlike `reason`, its own rows are written). */
  closeReason?: string;
}

/** A supervisor cancels the project, whatever its stage. */
export interface CancelProjectRequest {
  reason: string;
  actor: Actor;
}

export const cancelProjectUpdate = defineUpdate<ProjectView, [CancelProjectRequest]>('cancelProjectUpdate');
export const projectEventSignal = defineSignal<[ProjectEvent]>('projectEventSignal');
export const jobFinishedSignal = defineSignal<[JobReport]>('jobFinishedSignal');
export const getProjectQuery = defineQuery<ProjectView>('getProjectQuery');
