// The site job's contract: input, result and view. Only @temporalio/workflow is imported.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, Task } from '../tasks/definitions';

export type SiteJobType = 'audit' | 'replacement' | 'inspection' | 'installation';
export type JobOutcome = 'completed' | 'failed';

export interface SiteJobInput {
  jobId: string;
  projectId: string;
  siteId: string;
  type: SiteJobType;
  sequence: number;
  parentWorkflowId: string;
  taskDueAfterMs: number;
}

export interface SiteJobState {
  step: number;
  /** Payloads of the tasks completed so far, by type: later steps read them. */
  results: Record<string, Record<string, unknown>>;
  scheduledStart?: string;
  installerId?: string;
  outcome?: JobOutcome;
  completedAt?: string;
  ledger: { taskSeq: number; timelineSeq: number; open: Task[] };
}

export interface SiteJobResult {
  jobId: string;
  outcome: JobOutcome;
}

export interface SiteJobView {
  id: string;
  projectId: string;
  type: SiteJobType;
  sequence: number;
  status: 'open' | 'done';
  outcome?: JobOutcome;
  scheduledStart?: string;
  installerId?: string;
  openTasks: Task[];
}

export const getJobQuery = defineQuery<SiteJobView>('getJobQuery');

/** Gives the job to an installer: an installer's claim of an offer, or a staff reassignment. */
export interface AssignJobRequest {
  installerId: string;
  actor: Actor;
  claim: boolean;
}

export const assignJobUpdate = defineUpdate<SiteJobView, [AssignJobRequest]>('assignJobUpdate');
