// The site job's contract: input, result, view, the assignment update and the cancel
// signal. Only @temporalio/workflow is imported (the rest are types).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LedgerState } from '../tasks/ledger';
import type { Actor, Task } from '../tasks/definitions';

export type SiteJobType = 'audit' | 'replacement' | 'inspection' | 'installation';
export type JobOutcome = 'completed' | 'failed' | 'cancelled';

/** The job's share of its project's policy. */
export interface JobPolicy {
  taskDueAfterMs: number;
  taskEscalateAfterMs: number;
  readModelRetryMaxMs: number;
  /** Absent in jobs started before jobs could continue as new. */
  continueAsNewAfterEvents?: number;
}

export interface SiteJobInput {
  jobId: string;
  projectId: string;
  siteId: string;
  /** Added 2026-11 (absent in jobs started before). */
  customerId?: string;
  type: SiteJobType;
  /** A rework visit: no preparation again (installation). */
  variant?: 'rework';
  sequence: number;
  parentWorkflowId: string;
  policy: JobPolicy;
  /** The supervisor's approval of the service order (seed 003), when one applied: work order v1 comes from it. Added 2026-11. */
  approved?: { by: Actor; at: string };
  /** Set when the job continued as new. */
  carried?: SiteJobState;
}

export interface SiteJobState {
  step: number;
  /** Payloads of the tasks completed so far, by type: later steps read them. */
  results: Record<string, Record<string, unknown>>;
  scheduledStart?: string;
  installerId?: string;
  outcome?: JobOutcome;
  completedAt?: string;
  reason?: string;
  /** A rework visit (copied from the input, so chain steps can read it). */
  variant?: 'rework';
  ledger: LedgerState;
}

export interface SiteJobResult {
  jobId: string;
  outcome: JobOutcome;
  /** The payload of the job's review task (inspection, installation), for the project. */
  review?: Record<string, unknown>;
}

export interface SiteJobView {
  id: string;
  projectId: string;
  type: SiteJobType;
  sequence: number;
  status: 'open' | 'prepared' | 'done';
  outcome?: JobOutcome;
  scheduledStart?: string;
  installerId?: string;
  openTasks: Task[];
}

/** An installer claims an offered job (`claim`), or staff assign or reassign it. */
export interface AssignJobRequest {
  installerId: string;
  actor: Actor;
  claim: boolean;
}

export const getJobQuery = defineQuery<SiteJobView>('getJobQuery');
export const assignJobUpdate = defineUpdate<SiteJobView, [AssignJobRequest]>('assignJobUpdate');
/** The project closed while the job ran (or it is no longer needed). */
export const cancelJobSignal = defineSignal<[{ reason: string }]>('cancelJobSignal');
