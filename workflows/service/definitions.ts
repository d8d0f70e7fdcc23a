// The service project's contract: its input, state and view, the manufacturer event
// signal and the project query. Only @temporalio/workflow is imported, so the API can
// use this module without pulling in workflow code.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Actor, Task } from '../tasks/definitions';

export type ServiceStage = 'requesting' | 'investigating' | 'servicing' | 'reviewing' | 'closed';
export type ServiceOutcome = 'resolved' | 'not_required' | 'unresolved' | 'rejected';
/** The customer-facing status of a case (seed 002). */
export type CaseStatus = 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'problem';
export type JobType = 'audit' | 'replacement';

/** Durations and limits, from configuration; never read from a clock or the environment inside workflow code. */
export interface ServicePolicy {
  taskDueAfterMs: number;
  chaseManufacturerAfterMs: number;
  /** Continue as new once history reaches this many events (or when the server suggests it). */
  continueAsNewAfterEvents: number;
}

export interface JobSummary {
  id: string;
  type: JobType;
  sequence: number;
  workflowId: string;
  status: 'starting' | 'open' | 'done';
  outcome?: string;
}

export interface ServiceProjectState {
  projectId: string;
  customerId: string;
  siteId: string;
  title?: string;
  createdBy: Actor;
  stage: ServiceStage;
  outcome?: ServiceOutcome;
  closedAt?: string;
  resolution?: string;
  jobs: JobSummary[];
  ledger: { taskSeq: number; timelineSeq: number; open: Task[] };
  /** Counts task completions and events, so waits can tell that something happened. */
  step: number;
}

export interface ServiceProjectInput {
  projectId: string;
  customerId: string;
  siteId: string;
  title?: string;
  createdBy: Actor;
  policy: ServicePolicy;
  /** Set when the workflow continued as new. */
  carried?: ServiceProjectState;
}

export interface ServiceProjectResult {
  projectId: string;
  outcome: ServiceOutcome;
  jobs: number;
}

export interface ServiceProjectView {
  id: string;
  kind: 'service';
  stage: ServiceStage;
  status: CaseStatus;
  outcome?: ServiceOutcome;
  customerId: string;
  siteId: string;
  workflowId: string;
  openTasks: Task[];
  jobs: JobSummary[];
}

export interface ManufacturerOutcomeEvent {
  outcome: 'resolved' | 'site_visit_required' | 'unable_to_resolve';
  jobType?: JobType;
  note?: string;
  reference?: string;
}

export const manufacturerOutcomeSignal = defineSignal<[ManufacturerOutcomeEvent]>('manufacturerOutcomeSignal');
export const getProjectQuery = defineQuery<ServiceProjectView>('getProjectQuery');
