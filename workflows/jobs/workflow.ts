// siteJob: one site visit, started by its project. It owns its tasks, walks its chain,
// and tells its project how it ended by signal (by workflow id, so the report reaches the
// project's current run even after it continued as new).
import {
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ErrorType } from '../errors';
import { jobFinishedSignal } from '../projects/definitions';
import { CustomerIdKey, ProjectKindKey, SiteIdKey } from '../search-attributes';
import { taskTypes, type TaskTypeName } from '../tasks/catalogue';
import type { Actor, CompleteTaskRequest, FollowOn, JobRow, Task } from '../tasks/definitions';
import { newLedger, type Deadline } from '../tasks/ledger';
import { TaskRuntime, type TaskOwner } from '../tasks/runtime';
import { chains, type Chain } from './chains';
import { FieldWork, type FieldHost } from './fieldwork';
import {
  addConfirmationUpdate,
  assignJobUpdate,
  cancelJobSignal,
  changeProtocolUpdate,
  changeTripUpdate,
  closeJobUpdate,
  getJobQuery,
  protocolGaps,
  scheduleJobUpdate,
  type AssignJobRequest,
  type FieldRequest,
  type JobOutcome,
  type ScheduleJobRequest,
  type SiteJobInput,
  type SiteJobResult,
  type SiteJobState,
  type SiteJobView,
} from './definitions';

const SYSTEM: Actor = { id: 'system', role: 'system' };
const STAFF = ['ops', 'supervisor', 'admin'];
/** The tasks whose completion confirms a job: its work order's first version is made then. */
const CONFIRMING = ['confirm_job', 'start_job'];
/** When the job's policy does not say (jobs started by projects from before 2026-11). */
const DEFAULT_FIELD_DUE_AFTER_START_MS = 4 * 3600_000;

export async function siteJob(input: SiteJobInput): Promise<SiteJobResult> {
  const job = new SiteJob(input, chains[input.type]);
  const again = () => continueAsNew<typeof siteJob>({ ...input, carried: job.state });
  job.rt.wire(job);
  setHandler(getJobQuery, () => job.view());
  setHandler(assignJobUpdate, (request) => job.assign(request), { validator: (request) => job.checkAssign(request) });
  // The dispatch board (2026-11): a new handler, so histories without it replay as before.
  setHandler(scheduleJobUpdate, (request) => job.schedule(request), { validator: (request) => job.checkSchedule(request) });
  setHandler(cancelJobSignal, ({ reason }) => job.end('cancelled', reason));
  // Field work: each change its own update, validated before it reaches history.
  const f = job.field;
  setHandler(changeTripUpdate, (request) => job.fieldChange(request, () => f.applyTrip(request)), { validator: (request) => f.checkTrip(request) });
  setHandler(changeProtocolUpdate, (request) => job.fieldChange(request, () => f.applyProtocol(request)), { validator: (request) => f.checkProtocol(request) });
  setHandler(addConfirmationUpdate, (request) => job.fieldChange(request, () => f.applyConfirmation(request)), { validator: (request) => f.checkConfirmation(request) });
  setHandler(closeJobUpdate, (request) => job.fieldChange(request, () => job.end(request.change.outcome, request.change.reason, request.actor)), {
    validator: (request) => f.checkClose(request),
  });

  // 2026-11: jobs carry their project's customer and site as search attributes, so an
  // admin finds a site's visits in the Temporal UI. Jobs started before this did not
  // upsert anything, so their histories take the old branch on replay.
  if (!input.carried && patched('2026-11-job-search-attributes')) {
    upsertSearchAttributes([
      { key: ProjectKindKey, value: `job:${input.type}` },
      { key: SiteIdKey, value: input.siteId },
      ...(input.customerId ? [{ key: CustomerIdKey, value: input.customerId }] : []),
    ]);
  }
  try {
    if (!input.carried) {
      job.start();
      // An approved order (seed 003) has its work order from the start: version 1 is made
      // on approval, not when the job is confirmed. Jobs from before this take no marker.
      if (input.approved && patched('2026-11-work-orders')) job.field.orderVersion(`approved by ${input.approved.by.name ?? input.approved.by.id}`, input.approved.by);
    }
    // The job's rows first, so it is visible while its first PDF renders; then the versions
    // not made yet (an approved order's v1, or what a continue-as-new carried).
    await job.rt.outbox.flush();
    if (job.field.pendingWorkOrders) {
      await job.field.makeWorkOrders();
      await job.rt.outbox.flush();
    }
    while (!job.done) {
      if (tooLong(input)) {
        if (await job.rt.drained(() => job.done)) return again();
        if (job.rt.outbox.ready) await job.rt.outbox.flush();
        continue;
      }
      await job.rt.next(job);
    }
  } catch (err) {
    // A job that cannot go on ends as failed and says why; a bug (any other error) fails
    // the workflow task instead and is retried once fixed.
    if (isCancellation(err)) job.end('cancelled', 'cancelled in Temporal');
    else if (err instanceof ApplicationFailure) job.end('failed', err.message);
    else throw err;
  }
  // Whatever happened above, the report and the last writes must go out.
  return CancellationScope.nonCancellable(async () => {
    await getExternalWorkflowHandle(input.parentWorkflowId)
      .signal(jobFinishedSignal, { jobId: input.jobId, outcome: job.state.outcome!, ...job.review(), ...job.closeReason() })
      .catch(() => undefined); // the project is gone: nobody to tell
    if ((await job.rt.finish(() => tooLong(input))) === 'continue') return again();
    return { jobId: input.jobId, outcome: job.state.outcome!, ...job.review(), ...job.closeReason() };
  });
}

function tooLong(input: SiteJobInput): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= (input.policy.continueAsNewAfterEvents ?? 10_000);
}

class SiteJob implements TaskOwner, FieldHost {
  readonly state: SiteJobState;
  readonly rt: TaskRuntime;
  readonly field: FieldWork;

  constructor(
    readonly input: SiteJobInput,
    private readonly chain: Chain | undefined,
  ) {
    this.state = input.carried ?? { step: -1, results: {}, ledger: newLedger(), ...(input.variant ? { variant: input.variant } : {}) };
    const owner = { projectId: input.projectId, jobId: input.jobId, workflowId: workflowInfo().workflowId, idPrefix: input.jobId };
    this.rt = new TaskRuntime(this.state.ledger, owner, input.policy, () => ({ job: this.row() }));
    this.field = new FieldWork(this);
  }

  get outbox() {
    return this.rt.outbox;
  }

  get openTasks() {
    return this.rt.tasks.open;
  }

  /** Past the step that confirms the job, or a work order made already. */
  get confirmed(): boolean {
    const steps = this.chain?.steps ?? [];
    const index = steps.findIndex((step) => step.tasks.some((type) => CONFIRMING.includes(type)));
    return Boolean(this.state.field?.workOrders.length) || (index >= 0 && this.state.step > index);
  }

  closeReason(): { closeReason?: string } {
    return this.state.outcome === 'not_carried_out' && this.state.reason ? { closeReason: this.state.reason } : {};
  }

  /** Applies a validated field-work change once (a keyed retry answers without applying), writes it, answers the view. */
  async fieldChange(request: FieldRequest<unknown>, apply: () => void): Promise<SiteJobView> {
    if (!this.field.seen(request)) {
      const versions = this.state.field?.workOrders.length ?? 0;
      apply();
      this.field.remember(request);
      this.rt.changed();
      // Only the change that ordered a version (a confirmation) waits for its PDF: a trip
      // or a protocol line never waits behind someone else's rendering.
      const ordered = (this.state.field?.workOrders.length ?? 0) > versions;
      if (ordered && this.field.pendingWorkOrders && patched('2026-11-work-orders')) await this.field.makeWorkOrders();
    }
    await this.rt.outbox.flush();
    return this.view();
  }

  /** The chain step with the installer's field tasks (checklists), if the job is in it. */
  private inFieldStep(): boolean {
    const step = this.chain?.steps[this.state.step];
    return Boolean(step?.tasks.some(isFieldTask));
  }

  get done(): boolean {
    return this.state.outcome !== undefined;
  }

  /** The review's answer, for the project (jobs without a review report none). */
  review(): { review?: Record<string, unknown> } {
    const answer = this.chain?.report?.(this.state);
    return answer ? { review: answer } : {};
  }

  private get prepared(): boolean {
    return this.chain?.prepared !== undefined && this.state.step >= this.chain.prepared;
  }

  get closed(): boolean {
    return this.done;
  }

  get stage(): string {
    return this.done ? 'done' : 'open';
  }

  start(): void {
    this.rt.outbox.timeline('job', SYSTEM, `${title(this.input.type)} job ${this.input.sequence} created`, { jobType: this.input.type });
    if (!this.chain) {
      throw ApplicationFailure.create({ type: 'UnsupportedJobType', message: `no task chain for ${this.input.type} jobs yet`, nonRetryable: true });
    }
    this.advance();
  }

  // --- the task owner's side of the runtime -------------------------------------------

  validate(request: CompleteTaskRequest): void {
    const task = this.rt.tasks.open.find((candidate) => candidate.id === request.taskId);
    // The field step ends only with a whole protocol: its last open task waits for it.
    // A validator is not replayed, so this needs no patch.
    if (task && this.inFieldStep() && this.rt.tasks.open.length === 1) {
      const gaps = protocolGaps(this.state.field?.protocol);
      if (gaps.length) throw ApplicationFailure.create({ type: ErrorType.ProtocolIncomplete, message: 'the protocol is not complete', nonRetryable: true, details: [gaps] });
    }
    // An installer accepting a job takes it themselves; only staff may name someone else.
    if (task?.type === 'accept_schedule_job' && request.actor.role === 'installer') {
      const named = request.payload.installerId;
      if (named !== undefined && named !== request.actor.id) {
        throw ApplicationFailure.create({ type: ErrorType.NotAllowed, message: 'an installer can only accept a job for themselves', nonRetryable: true });
      }
    }
  }

  complete(request: CompleteTaskRequest): { task: Task; follow?: () => Promise<FollowOn | undefined> } {
    const task = this.rt.tasks.complete(request);
    this.state.results[task.type] = request.payload;
    this.recordEffects(task, request.payload, request.actor);
    // 2026-11: a confirmed job gets its work order (version 1), made before the answer.
    const order = CONFIRMING.includes(task.type) && !this.state.field?.workOrders.length && patched('2026-11-work-orders');
    if (order) this.field.orderVersion('job confirmed', request.actor);
    if (!this.rt.tasks.open.length) this.advance();
    if (order) {
      return {
        task,
        follow: async () => {
          await this.field.makeWorkOrders();
          await this.rt.outbox.flush();
          return this.done ? { workflowId: this.input.parentWorkflowId, afterJobId: this.input.jobId } : undefined;
        },
      };
    }
    if (!this.done) return { task };
    return { task, follow: async () => ({ workflowId: this.input.parentWorkflowId, afterJobId: this.input.jobId }) };
  }

  onDeadline(_deadline: Deadline): void {
    // A job has only task deadlines (an unscheduled job is its overdue accept task).
  }

  settled(): boolean {
    return true;
  }

  // --- assignment --------------------------------------------------------------------

  checkAssign({ installerId, actor, claim }: AssignJobRequest): void {
    const refuse = (type: ErrorType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
    if (this.done) throw refuse(ErrorType.TaskNotOpen, 'the job is finished');
    if (claim && (actor.role !== 'installer' || actor.id !== installerId)) throw refuse(ErrorType.NotAllowed, 'an installer claims a job for themselves');
    if (!claim && !STAFF.includes(actor.role)) throw refuse(ErrorType.NotAllowed, 'only staff assign jobs');
    if (claim && this.state.installerId && this.state.installerId !== installerId) throw refuse(ErrorType.JobTaken, 'another installer has this job');
  }

  async assign(request: AssignJobRequest): Promise<SiteJobView> {
    this.checkAssign(request); // again: another claim may have been applied since this one was validated
    const previous = this.state.installerId;
    this.state.installerId = request.installerId;
    this.rt.tasks.reassign(
      (task) => taskTypes[task.type as TaskTypeName].group === 'installer' && (task.assignee === 'group:installer' || task.assignee === previous),
      request.installerId,
    );
    this.rt.outbox.touch();
    const verb = request.claim ? 'claimed by' : previous ? 'reassigned to' : 'assigned to';
    this.rt.outbox.timeline('job', request.actor, `${title(this.input.type)} job ${this.input.sequence} ${verb} ${request.installerId}`, {
      installerId: request.installerId,
      ...(previous ? { previous } : {}),
    });
    this.rt.changed();
    // The answer is read back by the API: write before answering.
    await this.rt.outbox.flush();
    return this.view();
  }

  // --- the dispatch board -----------------------------------------------------------

  checkSchedule({ installerId, start, end, actor }: ScheduleJobRequest): void {
    const refuse = (type: ErrorType, message: string, details?: unknown[]) => ApplicationFailure.create({ type, message, nonRetryable: true, ...(details ? { details } : {}) });
    if (!STAFF.includes(actor.role)) throw refuse(ErrorType.NotAllowed, 'only the office books jobs');
    if (!installerId || !(Date.parse(end) > Date.parse(start))) {
      throw refuse(ErrorType.InvalidPayload, 'the appointment must end after it starts', [[{ path: 'end', message: 'the appointment must end after it starts' }]]);
    }
    const blocked = this.bookingBlocked();
    if (blocked) throw refuse(blocked.type, blocked.message);
  }

  /** Why the job can no longer be booked or moved, in the office's words; undefined while it can. */
  private bookingBlocked(): { type: ErrorType; message: string } | undefined {
    const name = `${title(this.input.type)} job ${this.input.sequence}`;
    const moved = (message: string) => ({ type: ErrorType.FieldWorkConflict, message });
    if (this.state.outcome === 'cancelled') return { type: ErrorType.TaskNotOpen, message: `${name} was cancelled, so it can no longer be scheduled` };
    if (this.done) return { type: ErrorType.TaskNotOpen, message: `${name} is already finished, so it can no longer be scheduled` };
    const steps = this.chain?.steps ?? [];
    const fieldStep = steps.findIndex((step) => step.tasks.some(isFieldTask));
    const accepting = Boolean(this.rt.tasks.openOfType('accept_schedule_job'));
    if (!accepting && !this.state.scheduledStart && this.state.step < fieldStep) return moved(`${name} is not confirmed yet: confirm it before booking it`);
    if (fieldStep >= 0 && this.state.step > fieldStep) return moved(`the site work of ${name} is done, so it can no longer be moved`);
    if (this.state.field?.trips.some((trip) => trip.startedAt)) return moved(`the installer is already on the way to ${name}, so it can no longer be moved`);
    if (steps[fieldStep]?.tasks.some((type) => isFieldTask(type) && this.state.results[type])) return moved(`work on ${name} has started, so it can no longer be moved`);
    return undefined;
  }

  /**
   * Books the job for an installer and an appointment window in one step. While the job
   * waits to be accepted, booking accepts it for the installer (the field tasks then open,
   * due from the appointment); later it moves the appointment and the due times with it.
   * The same booking again changes nothing.
   */
  async schedule(request: ScheduleJobRequest): Promise<SiteJobView> {
    this.checkSchedule(request); // again: another change may have been applied since this one was validated
    const { installerId, actor } = request;
    const start = new Date(request.start).toISOString();
    const end = new Date(request.end).toISOString();
    const previous = this.state.installerId;
    const same = (at?: string) => at !== undefined && Date.parse(at) === Date.parse(start);
    if (previous === installerId && same(this.state.scheduledStart) && this.state.scheduledEnd === end) return this.view();

    const name = `${title(this.input.type)} job ${this.input.sequence}`;
    this.state.installerId = installerId;
    this.state.scheduledEnd = end;
    this.rt.tasks.reassign(
      (task) => taskTypes[task.type as TaskTypeName].group === 'installer' && (task.assignee === 'group:installer' || task.assignee === previous),
      installerId,
    );
    this.rt.outbox.timeline('job', actor, `${name} booked for ${installerId}`, { installerId, start, end, ...(previous && previous !== installerId ? { previous } : {}) });
    this.rt.outbox.notify({ recipient: installerId, kind: 'job.scheduled', summary: `${name} is booked for you on ${request.appointment ?? appointment(request.start, request.end)}` });
    if (previous && previous !== installerId) this.rt.outbox.notify({ recipient: previous, kind: 'job.unassigned', summary: `${name} went to another installer` });

    const accept = this.rt.tasks.openOfType('accept_schedule_job');
    if (accept) {
      // The office accepts on the installer's behalf; the chain moves on as after any completion.
      this.complete({ taskId: accept.id, payload: { scheduledStart: start, installerId }, actor });
    } else {
      this.state.scheduledStart = start;
      const open = this.rt.tasks.open.filter((task) => isFieldTask(task.type as TaskTypeName));
      const due = this.fieldDueAt(open.map((task) => task.type as TaskTypeName));
      if (due !== undefined) this.rt.tasks.redue((task) => isFieldTask(task.type as TaskTypeName), due);
    }
    this.rt.outbox.touch();
    this.rt.changed();
    await this.rt.outbox.flush();
    return this.view();
  }

  /** Ends the job without walking the rest of its chain (cancelled by its project or in Temporal, or not carried out). */
  end(outcome: JobOutcome, reason: string, actor: Actor = SYSTEM): void {
    if (this.done) return;
    this.rt.tasks.cancel(() => true);
    this.finishWith(outcome, reason, actor);
    this.rt.changed();
  }

  // --- the chain ---------------------------------------------------------------------

  /** Opens the next step that applies, or finishes the job when none is left. */
  private advance(): void {
    const steps = this.chain!.steps;
    do this.state.step++;
    while (this.state.step < steps.length && steps[this.state.step].when?.(this.state) === false);
    if (this.state.step >= steps.length) {
      this.finishWith(this.chain!.outcome(this.state));
      return;
    }
    const due = this.fieldDueAt(steps[this.state.step].tasks);
    for (const type of steps[this.state.step].tasks) {
      // Field work goes to the installer who has the job; without one it is an offer to
      // the group, which an installer must claim before doing it.
      const field = isFieldTask(type);
      const stage = this.input.type === 'audit' || this.input.type === 'replacement' ? 'servicing' : this.input.type;
      this.rt.tasks.create(type, stage, field ? this.state.installerId : undefined, field ? due : undefined);
    }
    if (this.prepared && this.chain?.prepared === this.state.step && this.state.variant !== 'rework') {
      this.rt.outbox.touch();
      this.rt.outbox.timeline('job', SYSTEM, `${title(this.input.type)} job ${this.input.sequence} prepared`);
    }
  }

  /**
   * 2026-11: field tasks fall due relative to the appointment, not to when they opened.
   * Their timers differ from before, so jobs from before keep the old due times.
   */
  private fieldDueAt(types: readonly TaskTypeName[]): number | undefined {
    if (!this.state.scheduledStart || !types.some(isFieldTask)) return undefined;
    if (!patched('2026-11-field-due-at-appointment')) return undefined;
    return Date.parse(this.state.scheduledStart) + (this.input.policy.fieldTaskDueAfterStartMs ?? DEFAULT_FIELD_DUE_AFTER_START_MS);
  }

  private finishWith(outcome: JobOutcome, reason?: string, actor: Actor = SYSTEM): void {
    this.state.outcome = outcome;
    this.state.completedAt = new Date(Date.now()).toISOString();
    if (reason) this.state.reason = reason;
    this.rt.outbox.touch();
    this.rt.outbox.timeline('job', actor, `${title(this.input.type)} job ${this.input.sequence} finished: ${outcome}${reason ? ` (${reason})` : ''}`, {
      outcome,
      ...(reason ? { reason } : {}),
    });
  }

  private recordEffects(task: Task, payload: Record<string, unknown>, actor: Actor): void {
    if (task.type === 'accept_schedule_job') {
      this.state.scheduledStart = payload.scheduledStart as string;
      const installerId = (payload.installerId as string | undefined) ?? (actor.role === 'installer' ? actor.id : this.state.installerId);
      if (installerId) this.state.installerId = installerId;
      this.rt.outbox.touch();
    }
    if (task.type === 'update_asset_register' || task.type === 'update_asset_serials') {
      const assets = payload.assets as { assetId?: string; make: string; model: string; serial: string }[];
      assets.forEach((asset, index) =>
        this.rt.outbox.asset({
          id: asset.assetId ?? `${task.id}-a${index + 1}`,
          siteId: this.input.siteId,
          make: asset.make,
          model: asset.model,
          serial: asset.serial,
          taskId: task.id,
        }),
      );
    }
  }

  // --- what readers see --------------------------------------------------------------

  row(): JobRow {
    return {
      id: this.input.jobId,
      projectId: this.input.projectId,
      workflowId: workflowInfo().workflowId,
      type: this.input.type,
      sequence: this.input.sequence,
      status: this.done ? 'done' : this.prepared ? 'prepared' : 'open',
      ...(this.state.outcome ? { outcome: this.state.outcome } : {}),
      ...(this.state.completedAt ? { completedAt: this.state.completedAt } : {}),
      ...(this.state.scheduledStart ? { scheduledStart: this.state.scheduledStart } : {}),
      ...(this.state.scheduledEnd ? { scheduledEnd: this.state.scheduledEnd } : {}),
      ...(this.state.installerId ? { installerId: this.state.installerId } : {}),
      ...(this.state.field
        ? { trips: this.state.field.trips, protocol: this.state.field.protocol, ...(this.field.tripStartedAt ? { tripStartedAt: this.field.tripStartedAt } : {}) }
        : {}),
    };
  }

  view(): SiteJobView {
    const row = this.row();
    return {
      id: row.id,
      projectId: row.projectId,
      type: this.input.type,
      sequence: row.sequence,
      status: row.status,
      ...(this.state.outcome ? { outcome: this.state.outcome } : {}),
      ...(row.scheduledStart ? { scheduledStart: row.scheduledStart } : {}),
      ...(row.scheduledEnd ? { scheduledEnd: row.scheduledEnd } : {}),
      ...(row.installerId ? { installerId: row.installerId } : {}),
      openTasks: [...this.rt.tasks.open],
      ...(this.state.reason ? { reason: this.state.reason } : {}),
      ...(this.state.field
        ? { trips: this.state.field.trips, protocol: this.state.field.protocol, confirmations: this.state.field.confirmations, workOrders: this.state.field.workOrders }
        : {}),
    };
  }
}

/** An installer's field task (a checklist), not the accepting of the job. */
const isFieldTask = (type: TaskTypeName) => type !== 'accept_schedule_job' && taskTypes[type].group === 'installer';

const title = (type: string) => type.charAt(0).toUpperCase() + type.slice(1);

/**
 * The window as the office booked it, in the offset it was booked in (the workflow knows
 * no time zone): "2026-12-01, 09:00–11:00 (UTC+10:30)". Plain string work, so replay-safe.
 */
function appointment(start: string, end: string): string {
  const parts = (at: string) => at.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i);
  const [from, to] = [parts(start), parts(end)];
  if (!from || !to || from[3] !== to[3]) return `${start} to ${end}`;
  const zone = from[3].toUpperCase() === 'Z' ? 'UTC' : `UTC${from[3]}`;
  return from[1] === to[1] ? `${from[1]}, ${from[2]}–${to[2]} (${zone})` : `${from[1]} ${from[2]} to ${to[1]} ${to[2]} (${zone})`;
}
