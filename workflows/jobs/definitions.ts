// The site job's contract: input, result, view, the assignment update and the cancel
// signal. Only @temporalio/workflow is imported (the rest are types).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LedgerState } from '../tasks/ledger';
import type { Actor, Task } from '../tasks/definitions';

export type SiteJobType = 'audit' | 'replacement' | 'inspection' | 'installation';
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'not_carried_out';

/** The job's share of its project's policy. */
export interface JobPolicy {
  taskDueAfterMs: number;
  taskEscalateAfterMs: number;
  readModelRetryMaxMs: number;
  /** Absent in jobs started before jobs could continue as new. */
  continueAsNewAfterEvents?: number;
  /** A field task falls due this long after the job's scheduled start (added 2026-11). */
  fieldTaskDueAfterStartMs?: number;
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
  /** The end of the appointment window, when the office booked one on the dispatch board (added 2026-11). */
  scheduledEnd?: string;
  installerId?: string;
  outcome?: JobOutcome;
  completedAt?: string;
  reason?: string;
  /** A rework visit (copied from the input, so chain steps can read it). */
  variant?: 'rework';
  ledger: LedgerState;
  /** Field work (added 2026-11; absent in older state). */
  field?: FieldState;
}

// --- field work: trips, the protocol, confirmations, work-order versions ----------------

export type TripType = 'field_trip' | 'customer_visit';

export interface Trip {
  id: string;
  type: TripType;
  technicianIds: string[];
  plannedStart: string;
  distanceKm?: number;
  startedAt?: string;
  arrivedAt?: string;
  finishedAt?: string;
  createdBy: string;
  /** The update that planned it, so a retried request finds its own trip (added 2026-11). */
  requestId?: string;
}

/** A line from the article catalogue, at the price it had when the line was added. */
export interface MaterialLine {
  id: string;
  articleId: string;
  articleNumber: string;
  name: string;
  quantity: number;
  unit: string;
  unitPriceCents: number;
}

export interface WorkLine {
  id: string;
  description: string;
  technicianId: string;
  minutes: number;
}

export type AttachmentKind = 'before' | 'after' | 'photo' | 'handover_signature';
export const PHOTO_KINDS: readonly AttachmentKind[] = ['before', 'after', 'photo'];

export interface Attachment {
  documentId: string;
  kind: AttachmentKind;
}

export interface Protocol {
  fault?: string;
  solution?: string;
  materials: MaterialLine[];
  work: WorkLine[];
  attachments: Attachment[];
}

export type ConfirmationKind = 'more_material' | 'more_workers' | 'unforeseen_service';

export interface Confirmation {
  id: string;
  kind: ConfirmationKind;
  description: string;
  materials: MaterialLine[];
  workers: string[];
  by: string;
  at: string;
  /** The work-order version it made. */
  version: number;
  /** The update that made it (added 2026-11). */
  requestId?: string;
}

export interface WorkOrderVersion {
  version: number;
  reason: string;
  createdBy: string;
  createdAt: string;
  /** Set once the PDF is stored. */
  documentId?: string;
  /** The confirmation that made it, whose changes the PDF shows. */
  confirmationId?: string;
  /** Why the PDF could not be made (the retries ran out). */
  failed?: string;
}

export interface FieldState {
  seq: number;
  trips: Trip[];
  protocol: Protocol;
  confirmations: Confirmation[];
  workOrders: WorkOrderVersion[];
  /** Technicians added by confirmations (more workers). */
  workers: string[];
  /** Update ids of recent field-work changes: a keyed retry after continue-as-new changes nothing. */
  keys: string[];
}

export interface SiteJobResult {
  jobId: string;
  outcome: JobOutcome;
  /** The payload of the job's review task (inspection, installation), for the project. */
  review?: Record<string, unknown>;
  /** Why a job was closed as not carried out. */
  closeReason?: string;
}

export interface SiteJobView {
  id: string;
  projectId: string;
  type: SiteJobType;
  sequence: number;
  status: 'open' | 'prepared' | 'done';
  outcome?: JobOutcome;
  scheduledStart?: string;
  scheduledEnd?: string;
  installerId?: string;
  openTasks: Task[];
  trips?: Trip[];
  protocol?: Protocol;
  confirmations?: Confirmation[];
  workOrders?: WorkOrderVersion[];
  reason?: string;
}

/** An installer claims an offered job (`claim`), or staff assign or reassign it. */
export interface AssignJobRequest {
  installerId: string;
  actor: Actor;
  claim: boolean;
}

/**
 * The office books a job from the dispatch board: installer and appointment window in one
 * step. It accepts and schedules the job when that task is open, or moves the appointment
 * (and the field tasks' due times with it) until the site work has started.
 */
export interface ScheduleJobRequest {
  installerId: string;
  /** The appointment window, ISO 8601 with offset; `end` after `start`. */
  start: string;
  end: string;
  /**
   * The window as people read it on the company's clocks ("Mon 7 Dec 2026, 09:00–11:00"),
   * written by the API, which knows the company's time zone; the installer's notice says
   * it. Added 2026-11: earlier bookings have none, and their notice shows the offset.
   */
  appointment?: string;
  actor: Actor;
}

export const getJobQuery = defineQuery<SiteJobView>('getJobQuery');
export const assignJobUpdate = defineUpdate<SiteJobView, [AssignJobRequest]>('assignJobUpdate');
export const scheduleJobUpdate = defineUpdate<SiteJobView, [ScheduleJobRequest]>('scheduleJobUpdate');
/** The project closed while the job ran (or it is no longer needed). */
export const cancelJobSignal = defineSignal<[{ reason: string }]>('cancelJobSignal');

/** What the work-order activity is given; customer, site and names it reads from the database. */
export interface WorkOrderInput {
  jobId: string;
  projectId: string;
  siteId: string;
  jobType: SiteJobType;
  sequence: number;
  version: number;
  reason: string;
  createdBy: string;
  /** Workflow time: every date in the PDF comes from here, so a retry makes the same bytes. */
  createdAt: string;
  scheduledStart?: string;
  technicianIds: string[];
  protocol: Protocol;
  confirmation?: Confirmation;
}

/** The new-trip fields an API request carries; the distance is pre-filled by the API. */
export interface TripPlan {
  type: TripType;
  technicianIds: string[];
  plannedStart: string;
  distanceKm?: number;
}

export type TripChange =
  | { op: 'plan'; trip: TripPlan }
  | { op: 'edit'; tripId: string; distanceKm?: number; plannedStart?: string }
  | { op: 'start' | 'arrive' | 'finish'; tripId: string };

export type ProtocolChange =
  | { op: 'text'; fault?: string; solution?: string }
  | { op: 'addMaterial'; line: Omit<MaterialLine, 'id'> }
  | { op: 'removeMaterial'; lineId: string }
  | { op: 'addWork'; line: Omit<WorkLine, 'id'> }
  | { op: 'removeWork'; lineId: string }
  | { op: 'addAttachment'; attachment: Attachment }
  | { op: 'removeAttachment'; documentId: string };

export interface ConfirmationRequest {
  kind: ConfirmationKind;
  description: string;
  materials: Omit<MaterialLine, 'id'>[];
  workers: string[];
}

/** Every field-work update carries who asks and, when keyed, the update id (`<jobId>:<route>:<userId>:<key>`). */
export interface FieldRequest<C> {
  change: C;
  actor: Actor;
  updateId?: string;
  /** The update id came from the client's Idempotency-Key (only those are remembered for retries). */
  keyed?: boolean;
}

export interface CloseJobRequest {
  outcome: 'not_carried_out';
  reason: string;
}

export const changeTripUpdate = defineUpdate<SiteJobView, [FieldRequest<TripChange>]>('changeTripUpdate');
export const changeProtocolUpdate = defineUpdate<SiteJobView, [FieldRequest<ProtocolChange>]>('changeProtocolUpdate');
export const addConfirmationUpdate = defineUpdate<SiteJobView, [FieldRequest<ConfirmationRequest>]>('addConfirmationUpdate');
export const closeJobUpdate = defineUpdate<SiteJobView, [FieldRequest<CloseJobRequest>]>('closeJobUpdate');

/** What a whole protocol has before its field step may finish: a line and a photo. Empty when whole. */
export function protocolGaps(protocol: Protocol | undefined): { path: string; message: string }[] {
  const gaps: { path: string; message: string }[] = [];
  if (!protocol || protocol.work.length + protocol.materials.length === 0) {
    gaps.push({ path: 'protocol.lines', message: 'add at least one work line or material line to the protocol' });
  }
  if (!protocol?.attachments.some((attachment) => PHOTO_KINDS.includes(attachment.kind))) {
    gaps.push({ path: 'protocol.photos', message: 'attach at least one photo (before, after or photo) to the protocol' });
  }
  return gaps;
}
