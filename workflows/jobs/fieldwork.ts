// A site job's field work: trips, the protocol, confirmations and the versions of its
// work-order PDF. Each change is its own update (validated before it reaches history,
// keyed so a phone's retry is harmless); the PDFs are made by an activity, in order.
import { ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { WorkOrderActivities } from '../../activities/work-orders';
import { ErrorType } from '../errors';
import { taskTypes, type TaskTypeName } from '../tasks/catalogue';
import { describe } from '../projects/failures';
import type { Actor } from '../tasks/definitions';
import type { Outbox } from '../tasks/outbox';
import type {
  CloseJobRequest,
  ConfirmationRequest,
  FieldRequest,
  FieldState,
  ProtocolChange,
  SiteJobInput,
  SiteJobState,
  TripChange,
  WorkOrderInput,
  WorkOrderVersion,
} from './definitions';

const { generateWorkOrder } = proxyActivities<WorkOrderActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
  summary: 'Make the work-order PDF',
});

const STAFF = ['ops', 'supervisor', 'admin'];
/** Keyed changes remembered across continue-as-new. */
const KEPT_KEYS = 200;
/**
 * Bounds on one job's field work: every write carries the job row (its protocol and trips)
 * and every answer the view, so an unbounded protocol would grow history by its whole
 * size per change, and a PDF of thousands of lines blocks the worker while it renders.
 */
export const FIELD_LIMITS = { materials: 200, work: 200, attachments: 50, trips: 20, confirmations: 30, protocolBytes: 256 * 1024 } as const;

const refuse = (type: ErrorType, message: string, details?: unknown[]) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, ...(details ? { details } : {}) });
const iso = () => new Date(Date.now()).toISOString();

export const newFieldState = (): FieldState => ({
  seq: 0,
  trips: [],
  protocol: { materials: [], work: [], attachments: [] },
  confirmations: [],
  workOrders: [],
  workers: [],
  keys: [],
});

export interface FieldHost {
  readonly state: SiteJobState;
  readonly input: SiteJobInput;
  readonly outbox: Outbox;
  readonly done: boolean;
  /** Has the job passed the step that confirms it (so a work order exists or may)? */
  readonly confirmed: boolean;
  /** The job's open tasks (field work is left while one of them is an installer's). */
  readonly openTasks: readonly { type: string }[];
}

export class FieldWork {
  private generating = false;

  constructor(private readonly job: FieldHost) {}

  get state(): FieldState {
    return (this.job.state.field ??= newFieldState());
  }

  /** The first "on my way" of the job. */
  get tripStartedAt(): string | undefined {
    return this.job.state.field?.trips
      .map((trip) => trip.startedAt)
      .filter((at): at is string => Boolean(at))
      .sort()[0];
  }

  seen(request: FieldRequest<unknown>): boolean {
    return Boolean(request.updateId && this.job.state.field?.keys.includes(request.updateId));
  }

  remember(request: FieldRequest<unknown>): void {
    // Only a client's keys: an unkeyed change (its id made up by the API) is never retried,
    // and must not push a keyed one out of the window.
    if (request.updateId && request.keyed !== false) this.state.keys = [...this.state.keys, request.updateId].slice(-KEPT_KEYS);
    this.job.outbox.touch();
  }

  /** Staff, or the installer who has the job; never on a finished job. */
  checkActor(actor: Actor): void {
    if (this.job.done) throw refuse(ErrorType.TaskNotOpen, 'the job is finished');
    if (STAFF.includes(actor.role)) return;
    if (actor.role === 'installer' && actor.id === this.job.state.installerId) return;
    throw refuse(ErrorType.NotAllowed, 'only staff and the installer who has the job change its field work');
  }

  // --- trips --------------------------------------------------------------------------

  checkTrip(request: FieldRequest<TripChange>): void {
    if (this.seen(request)) return;
    this.checkActor(request.actor);
    const change = request.change;
    if (change.op === 'plan') {
      if ((this.job.state.field?.trips.length ?? 0) >= FIELD_LIMITS.trips) throw refuse(ErrorType.FieldWorkConflict, `a job has at most ${FIELD_LIMITS.trips} trips`);
      return;
    }
    const trip = this.job.state.field?.trips.find((candidate) => candidate.id === change.tripId);
    if (!trip) throw refuse(ErrorType.UnknownItem, `no trip ${change.tripId} on this job`);
    if (change.op === 'start' && trip.startedAt) throw refuse(ErrorType.FieldWorkConflict, 'the trip has started already');
    if (change.op === 'arrive' && (!trip.startedAt || trip.arrivedAt)) throw refuse(ErrorType.FieldWorkConflict, trip.arrivedAt ? 'already arrived' : 'start the trip first');
    if (change.op === 'finish' && (!trip.arrivedAt || trip.finishedAt)) throw refuse(ErrorType.FieldWorkConflict, trip.finishedAt ? 'the trip is finished' : 'arrive first');
  }

  applyTrip({ change, actor, updateId }: FieldRequest<TripChange>): void {
    const { state } = this;
    if (change.op === 'plan') {
      const id = `${this.job.input.jobId}-trip${++state.seq}`;
      state.trips.push({ id, ...change.trip, createdBy: actor.id, ...(updateId ? { requestId: updateId } : {}) });
      this.timeline(actor, `Trip planned for ${change.trip.plannedStart}`, { tripId: id, type: change.trip.type, technicianIds: change.trip.technicianIds });
      return;
    }
    const trip = state.trips.find((candidate) => candidate.id === change.tripId)!;
    const at = iso();
    if (change.op === 'edit') {
      if (change.distanceKm !== undefined) trip.distanceKm = change.distanceKm;
      if (change.plannedStart !== undefined) trip.plannedStart = change.plannedStart;
      return;
    }
    if (change.op === 'start') trip.startedAt = at;
    if (change.op === 'arrive') trip.arrivedAt = at;
    if (change.op === 'finish') trip.finishedAt = at;
    const words = { start: 'On the way', arrive: 'Arrived on site', finish: 'Trip finished' };
    this.timeline(actor, words[change.op], { tripId: trip.id, at });
  }

  // --- the protocol -------------------------------------------------------------------

  checkProtocol(request: FieldRequest<ProtocolChange>): void {
    if (this.seen(request)) return;
    this.checkActor(request.actor);
    const change = request.change;
    const protocol = this.job.state.field?.protocol;
    // Once the field step is done the office reviews (and invoices) what it says.
    if (request.actor.role === 'installer' && !this.fieldStepOpen()) throw refuse(ErrorType.FieldWorkConflict, 'the field work is done: the office reviews the protocol now');
    const full = (what: keyof typeof FIELD_LIMITS, count: number) => {
      if (count >= FIELD_LIMITS[what]) throw refuse(ErrorType.FieldWorkConflict, `a protocol has at most ${FIELD_LIMITS[what]} ${what === 'work' ? 'work lines' : what}`);
    };
    if (change.op === 'addMaterial') full('materials', protocol?.materials.length ?? 0);
    if (change.op === 'addWork') full('work', protocol?.work.length ?? 0);
    if (change.op === 'addAttachment') full('attachments', protocol?.attachments.length ?? 0);
    if ((change.op === 'text' || change.op.startsWith('add')) && JSON.stringify(protocol ?? {}).length + JSON.stringify(change).length > FIELD_LIMITS.protocolBytes) {
      throw refuse(ErrorType.FieldWorkConflict, `a protocol holds at most ${FIELD_LIMITS.protocolBytes / 1024} KB of text`);
    }
    if (change.op === 'removeMaterial' && !protocol?.materials.some((line) => line.id === change.lineId)) throw refuse(ErrorType.UnknownItem, `no material line ${change.lineId}`);
    if (change.op === 'removeWork' && !protocol?.work.some((line) => line.id === change.lineId)) throw refuse(ErrorType.UnknownItem, `no work line ${change.lineId}`);
    if (change.op === 'removeAttachment' && !protocol?.attachments.some((item) => item.documentId === change.documentId)) {
      throw refuse(ErrorType.UnknownItem, `document ${change.documentId} is not attached`);
    }
  }

  applyProtocol({ change, actor }: FieldRequest<ProtocolChange>): void {
    const { protocol } = this.state;
    const jobId = this.job.input.jobId;
    switch (change.op) {
      case 'text':
        if (change.fault !== undefined) protocol.fault = change.fault;
        if (change.solution !== undefined) protocol.solution = change.solution;
        break;
      case 'addMaterial':
        protocol.materials.push({ id: `${jobId}-m${++this.state.seq}`, ...change.line });
        this.timeline(actor, `Material added: ${change.line.quantity} ${change.line.unit} ${change.line.name}`);
        break;
      case 'removeMaterial':
        protocol.materials = protocol.materials.filter((line) => line.id !== change.lineId);
        break;
      case 'addWork':
        protocol.work.push({ id: `${jobId}-w${++this.state.seq}`, ...change.line });
        this.timeline(actor, `Work recorded: ${change.line.minutes} min, ${change.line.description}`);
        break;
      case 'removeWork':
        protocol.work = protocol.work.filter((line) => line.id !== change.lineId);
        break;
      case 'addAttachment':
        // Attaching a document again changes its kind.
        protocol.attachments = [...protocol.attachments.filter((item) => item.documentId !== change.attachment.documentId), change.attachment];
        break;
      case 'removeAttachment':
        protocol.attachments = protocol.attachments.filter((item) => item.documentId !== change.documentId);
        break;
    }
  }

  // --- confirmations and the work order -----------------------------------------------

  checkConfirmation(request: FieldRequest<ConfirmationRequest>): void {
    if (this.seen(request)) return;
    this.checkActor(request.actor);
    if (!this.job.confirmed) throw refuse(ErrorType.FieldWorkConflict, 'the job is not confirmed yet: there is no work order to change');
    const field = this.job.state.field;
    if ((field?.confirmations.length ?? 0) >= FIELD_LIMITS.confirmations) throw refuse(ErrorType.FieldWorkConflict, `a job has at most ${FIELD_LIMITS.confirmations} confirmations`);
    if ((field?.protocol.materials.length ?? 0) + request.change.materials.length > FIELD_LIMITS.materials) throw refuse(ErrorType.FieldWorkConflict, `a protocol has at most ${FIELD_LIMITS.materials} materials`);
  }

  /** Records the confirmation and its effects, and asks for the next work-order version. */
  applyConfirmation({ change, actor, updateId }: FieldRequest<ConfirmationRequest>): void {
    const { state } = this;
    const jobId = this.job.input.jobId;
    const materials = change.materials.map((line) => ({ id: `${jobId}-m${++state.seq}`, ...line }));
    state.protocol.materials.push(...materials);
    for (const worker of change.workers) if (!state.workers.includes(worker)) state.workers.push(worker);
    const version = state.workOrders.length + 1;
    const confirmation = { id: `${jobId}-c${++state.seq}`, kind: change.kind, description: change.description, materials, workers: change.workers, by: actor.id, at: iso(), version, ...(updateId ? { requestId: updateId } : {}) };
    state.confirmations.push(confirmation);
    this.timeline(actor, `Confirmation (${change.kind.replaceAll('_', ' ')}): ${change.description}`, { confirmationId: confirmation.id, version });
    this.orderVersion(`confirmation: ${change.kind.replaceAll('_', ' ')}`, actor, confirmation.id);
  }

  /** A new work-order version is due (made by `makeWorkOrders`). */
  orderVersion(reason: string, actor: Actor, confirmationId?: string): void {
    const version: WorkOrderVersion = { version: this.state.workOrders.length + 1, reason, createdBy: actor.id, createdAt: iso(), ...(confirmationId ? { confirmationId } : {}) };
    this.state.workOrders.push(version);
  }

  get pendingWorkOrders(): boolean {
    return Boolean(this.job.state.field?.workOrders.some((order) => !order.documentId && !order.failed));
  }

  /** Makes the versions not made yet, one at a time, in order (concurrent callers wait their turn). */
  async makeWorkOrders(): Promise<void> {
    for (;;) {
      if (this.generating) {
        await condition(() => !this.generating);
        continue;
      }
      const order = this.state.workOrders.find((candidate) => !candidate.documentId && !candidate.failed);
      if (!order) return;
      this.generating = true;
      try {
        const { documentId } = await generateWorkOrder(this.workOrderInput(order));
        order.documentId = documentId;
        this.timeline({ id: 'system', role: 'system' }, `Work order v${order.version} made (${order.reason})`, { version: order.version, documentId });
      } catch (err) {
        order.failed = describe(err);
        this.timeline({ id: 'system', role: 'system' }, `Work order v${order.version} could not be made: ${order.failed}`, { version: order.version });
      } finally {
        this.generating = false;
        this.job.outbox.touch();
      }
    }
  }

  private workOrderInput(order: WorkOrderVersion): WorkOrderInput {
    const { input, state } = this.job;
    const field = this.state;
    const technicians = [...new Set([...(state.installerId ? [state.installerId] : []), ...field.trips.flatMap((trip) => trip.technicianIds), ...field.workers])];
    return {
      jobId: input.jobId,
      projectId: input.projectId,
      siteId: input.siteId,
      jobType: input.type,
      sequence: input.sequence,
      version: order.version,
      reason: order.reason,
      createdBy: order.createdBy,
      createdAt: order.createdAt,
      ...(state.scheduledStart ? { scheduledStart: state.scheduledStart } : {}),
      technicianIds: technicians,
      protocol: field.protocol,
      ...(order.confirmationId ? { confirmation: field.confirmations.find((candidate) => candidate.id === order.confirmationId) } : {}),
    };
  }

  checkClose(request: FieldRequest<CloseJobRequest>): void {
    if (this.seen(request)) return;
    this.checkActor(request.actor);
    if (!request.change.reason.trim()) throw refuse(ErrorType.InvalidPayload, 'a reason is required', [[{ path: 'reason', message: 'required' }]]);
    if (request.actor.role === 'installer' && !this.fieldStepOpen()) throw refuse(ErrorType.NotAllowed, 'the field work is done: only the office closes the job now');
  }

  /** Is there field work left (an open installer task)? Before it, and after it, the office decides. */
  private fieldStepOpen(): boolean {
    return this.job.openTasks.some((task) => taskTypes[task.type as TaskTypeName]?.group === 'installer');
  }

  private timeline(actor: Actor, summary: string, data?: Record<string, unknown>): void {
    this.job.outbox.timeline('job', actor, `Job ${this.job.input.sequence}: ${summary}`, data);
  }
}
