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
import {
  assignJobUpdate,
  cancelJobSignal,
  getJobQuery,
  type AssignJobRequest,
  type JobOutcome,
  type SiteJobInput,
  type SiteJobResult,
  type SiteJobState,
  type SiteJobView,
} from './definitions';

const SYSTEM: Actor = { id: 'system', role: 'system' };
const STAFF = ['ops', 'supervisor', 'admin'];

export async function siteJob(input: SiteJobInput): Promise<SiteJobResult> {
  const job = new SiteJob(input, chains[input.type]);
  const again = () => continueAsNew<typeof siteJob>({ ...input, carried: job.state });
  job.rt.wire(job);
  setHandler(getJobQuery, () => job.view());
  setHandler(assignJobUpdate, (request) => job.assign(request), { validator: (request) => job.checkAssign(request) });
  setHandler(cancelJobSignal, ({ reason }) => job.end('cancelled', reason));

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
    if (!input.carried) job.start();
    await job.rt.outbox.flush();
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
      .signal(jobFinishedSignal, { jobId: input.jobId, outcome: job.state.outcome!, ...job.review() })
      .catch(() => undefined); // the project is gone: nobody to tell
    if ((await job.rt.finish(() => tooLong(input))) === 'continue') return again();
    return { jobId: input.jobId, outcome: job.state.outcome!, ...job.review() };
  });
}

function tooLong(input: SiteJobInput): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= (input.policy.continueAsNewAfterEvents ?? 10_000);
}

class SiteJob implements TaskOwner {
  readonly state: SiteJobState;
  readonly rt: TaskRuntime;

  constructor(
    private readonly input: SiteJobInput,
    private readonly chain: Chain | undefined,
  ) {
    this.state = input.carried ?? { step: -1, results: {}, ledger: newLedger(), ...(input.variant ? { variant: input.variant } : {}) };
    const owner = { projectId: input.projectId, jobId: input.jobId, workflowId: workflowInfo().workflowId, idPrefix: input.jobId };
    this.rt = new TaskRuntime(this.state.ledger, owner, input.policy, () => ({ job: this.row() }));
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
    if (!this.rt.tasks.open.length) this.advance();
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

  /** Ends the job without walking the rest of its chain (cancelled by its project or in Temporal). */
  end(outcome: JobOutcome, reason: string): void {
    if (this.done) return;
    this.rt.tasks.cancel(() => true);
    this.finishWith(outcome, reason);
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
    for (const type of steps[this.state.step].tasks) {
      // Field work goes to the installer who has the job; without one it is an offer to
      // the group, which an installer must claim before doing it.
      const field = type !== 'accept_schedule_job' && taskTypes[type].group === 'installer';
      this.rt.tasks.create(type, this.input.type === 'audit' || this.input.type === 'replacement' ? 'servicing' : this.input.type, field ? this.state.installerId : undefined);
    }
    if (this.prepared && this.chain?.prepared === this.state.step && this.state.variant !== 'rework') {
      this.rt.outbox.touch();
      this.rt.outbox.timeline('job', SYSTEM, `${title(this.input.type)} job ${this.input.sequence} prepared`);
    }
  }

  private finishWith(outcome: JobOutcome, reason?: string): void {
    this.state.outcome = outcome;
    this.state.completedAt = new Date(Date.now()).toISOString();
    if (reason) this.state.reason = reason;
    this.rt.outbox.touch();
    this.rt.outbox.timeline('job', SYSTEM, `${title(this.input.type)} job ${this.input.sequence} finished: ${outcome}${reason ? ` (${reason})` : ''}`, {
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
      ...(this.state.installerId ? { installerId: this.state.installerId } : {}),
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
      ...(row.installerId ? { installerId: row.installerId } : {}),
      openTasks: [...this.rt.tasks.open],
    };
  }
}

const title = (type: string) => type.charAt(0).toUpperCase() + type.slice(1);
