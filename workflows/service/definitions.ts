// The service project's contract: its stages, outcomes, data and input. The project
// messages (event signal, query) are every kind's, in ../projects/definitions. Only types
// are imported here, so the API can use this module.
import type { Approval, ProjectInput, ProjectPolicy, ProjectResult, ProjectView } from '../projects/definitions';
export type { ErpActivities } from '../../activities/erp/activities';

export { getProjectQuery, projectEventSignal } from '../projects/definitions';

export type ServiceStage = 'requesting' | 'investigating' | 'servicing' | 'reviewing' | 'closed';
export type ServiceOutcome = 'resolved' | 'not_required' | 'unresolved' | 'rejected' | 'cancelled';
/** The customer-facing status of a case (seed 002). */
export type CaseStatus = 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'problem';
export type JobType = 'audit' | 'replacement';

export type ServicePolicy = ProjectPolicy;

/** What only a service project keeps. */
export interface ServiceData {
  resolution?: string;
  /** The case was raised by the customer: approval always applies (added 2026-11). */
  raisedBy?: 'customer';
  /** The request's resolution, held while a supervisor decides on the order. */
  awaitingApproval?: { resolution: string; jobType?: JobType; estimateCents?: number };
  /** The supervisor's approval; the jobs of the case carry it. */
  approved?: Approval;
  /** The ERP's order for the resolved case, once it took it (added 2026-11). */
  erpOrderId?: string;
}

export type ServiceProjectInput = ProjectInput<ServiceData>;
export type ServiceProjectResult = ProjectResult;
export type ServiceProjectView = ProjectView;

export interface ManufacturerOutcomeEvent {
  outcome: 'resolved' | 'site_visit_required' | 'unable_to_resolve';
  jobType?: JobType;
  note?: string;
  reference?: string;
}
