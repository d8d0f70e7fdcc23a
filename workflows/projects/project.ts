// One project of any kind, as the kernel runs it: its state, the moves a kind may make
// (a stage, a task, a job, a deadline, closing), and its row and view.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createJobActivities } from '../../activities/jobs';
import { ErrorType } from '../errors';
import { jobIdFor, jobWorkflowId } from '../ids';
import { cancelJobSignal, type SiteJobType } from '../jobs/definitions';
import { siteJob } from '../jobs/workflow';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../search-attributes';
import type { Actor, CompleteTaskRequest, FollowOn, ProjectRow, SettleRequest, Task } from '../tasks/definitions';
import { newLedger, type Deadline } from '../tasks/ledger';
import { TaskRuntime, type TaskOwner } from '../tasks/runtime';
import type { CancelProjectRequest, Effect, JobEntry, JobReport, ProjectEvent, ProjectInput, ProjectPolicy, ProjectState, ProjectView } from './definitions';
import type { ProjectKind } from './kind';

export const SYSTEM: Actor = { id: 'system', role: 'system' };
const WATCH = 'job.watch';
const EFFECT_RETRY = 'effect.retry';
/** How many recent webhook delivery ids a project remembers. */
const DELIVERIES = 50;

const { checkJobs } = proxyActivities<ReturnType<typeof createJobActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
  summary: 'Check on jobs carried across continue-as-new',
});

export class Project<D = Record<string, unknown>> implements TaskOwner {
  readonly state: ProjectState<D>;
  readonly policy: ProjectPolicy;
  readonly rt: TaskRuntime;

  constructor(
    readonly kind: ProjectKind<D>,
    input: ProjectInput<D>,
  ) {
    this.policy = input.policy;
    this.state = input.carried ?? {
      projectId: input.projectId,
      customerId: input.customerId,
      siteId: input.siteId,
      ...(input.title ? { title: input.title } : {}),
      createdBy: input.createdBy,
      stage: kind.stages[0],
      jobs: [],
      ledger: newLedger(),
      data: kind.initialData(input),
    };
    const owner = { projectId: this.state.projectId, workflowId: workflowInfo().workflowId, idPrefix: this.state.projectId };
    this.rt = new TaskRuntime(this.state.ledger, owner, this.policy, () => ({ project: this.row() }));
    // Jobs this run did not start are watched by a deadline; the ones it starts, by their handles.
    for (const job of this.state.jobs.filter((candidate) => candidate.status === 'open')) this.watch(job);
  }

  private watch(job: JobEntry): void {
    const id = `${job.id}:watch`;
    if (this.deadlines.has((deadline) => deadline.id === id)) return;
    this.deadlines.set({ id, at: Date.now() + this.policy.jobWatchEveryMs, kind: WATCH, ref: job.id, summary: `Check on job ${job.sequence}` });
  }

  /** Jobs whose watch came due. */
  private toCheck: string[] = [];

  get jobsToCheck(): boolean {
    return this.toCheck.length > 0;
  }

  /** Asks Temporal how the due jobs are; one that closed without reporting is recorded as ended. */
  async checkJobs(): Promise<void> {
    const jobs = this.state.jobs.filter((job) => this.toCheck.includes(job.id) && job.status === 'open');
    this.toCheck = [];
    if (!jobs.length) return;
    let checks: Awaited<ReturnType<typeof checkJobs>>;
    try {
      checks = await checkJobs(jobs.map((job) => job.workflowId));
    } catch {
      checks = [];
    }
    for (const job of jobs) {
      const check = checks.find((candidate) => candidate.workflowId === job.workflowId);
      if (!check || check.running) this.watch(job);
      else if (check.outcome) this.jobEnded({ jobId: job.id, outcome: check.outcome, ...(check.review ? { review: check.review } : {}) });
      else this.jobEnded({ jobId: job.id, outcome: 'failed', reason: `its workflow ended as ${check.status.toLowerCase()}` });
    }
  }

  get tasks() {
    return this.rt.tasks;
  }

  get outbox() {
    return this.rt.outbox;
  }

  get deadlines() {
    return this.rt.deadlines;
  }

  get stage(): string {
    return this.state.stage;
  }

  get closed(): boolean {
    return this.state.outcome !== undefined;
  }

  begin(): void {
    this.outbox.timeline('project', this.state.createdBy, `${this.kind.title} created`, {
      ...(this.state.title ? { title: this.state.title } : {}),
    });
    this.kind.begin(this);
    this.upsertSearchAttributes();
  }

  // --- the task owner's side of the runtime -------------------------------------------

  validate(_request: CompleteTaskRequest): void {
    if (this.closed) {
      throw ApplicationFailure.create({ type: ErrorType.ProjectClosed, message: `project is closed (${this.state.outcome})`, nonRetryable: true });
    }
  }

  complete(request: CompleteTaskRequest): { task: Task; follow?: () => Promise<FollowOn | undefined> } {
    const jobsBefore = this.state.jobs.length;
    const task = this.apply(request);
    const started = this.state.jobs.length > jobsBefore ? this.state.jobs.at(-1) : undefined;
    if (!started) return { task };
    // A completion that sends someone to site answers once the job runs, and tells the
    // API to wait for the job's first tasks.
    return {
      task,
      follow: async () => {
        await condition(() => started.status !== 'starting');
        return started.status === 'open' ? { workflowId: started.workflowId } : undefined;
      },
    };
  }

  /** Applies a completion (from a person, or from an event that answers a task). */
  apply(request: CompleteTaskRequest): Task {
    const task = this.tasks.complete(request);
    this.kind.onTask[task.type as keyof ProjectKind<D>['onTask']]?.(this, request.payload, request.actor, task);
    return task;
  }

  onDeadline(deadline: Deadline): void {
    if (deadline.kind === EFFECT_RETRY) return; // the loop runs due effects by itself
    if (this.closed) return;
    if (deadline.kind === WATCH) {
      if (deadline.ref) this.toCheck.push(deadline.ref);
      return;
    }
    this.kind.onDeadline[deadline.kind]?.(this, deadline);
  }

  settled(request: SettleRequest): boolean {
    const job = request.afterJobId ? this.state.jobs.find((candidate) => candidate.id === request.afterJobId) : undefined;
    return !job || job.status === 'done';
  }

  // --- events and jobs ---------------------------------------------------------------

  onEvent(event: ProjectEvent): void {
    // A webhook delivery is applied once, however often it is signalled.
    if (event.deliveryId) {
      const seen = (this.state.deliveries ??= []);
      if (seen.includes(event.deliveryId)) return;
      this.state.deliveries = [...seen, event.deliveryId].slice(-DELIVERIES);
    }
    const actor: Actor = { id: event.source ?? 'event', role: 'event' };
    const handle = this.kind.onEvent[event.type];
    const ignored = this.closed ? 'the project is closed' : !handle ? 'this project does not expect it' : handle(this, event, actor);
    if (ignored) this.outbox.timeline('event', actor, `Event ${event.type} ignored: ${ignored}`, { event: { ...event } });
    this.rt.changed();
  }

  startJob(type: SiteJobType, variant?: 'rework'): JobEntry {
    const sequence = this.state.jobs.length + 1;
    const id = jobIdFor(this.state.projectId, sequence);
    const job: JobEntry = { id, type, sequence, workflowId: jobWorkflowId(id), status: 'starting', ...(variant ? { variant } : {}) };
    this.state.jobs.push(job);
    return job;
  }

  get jobsToStart(): boolean {
    return this.state.jobs.some((job) => job.status === 'starting');
  }

  /**
   * Starts the jobs waiting to start. A job outlives its project's run (ABANDON: the
   * project continues as new while jobs run) and reports its end by signal; in the run
   * that started it, its result is watched too, so a job that fails or is terminated
   * before it can report is still recorded.
   */
  async startJobs(): Promise<void> {
    for (const job of this.state.jobs.filter((candidate) => candidate.status === 'starting')) {
      try {
        const child = await startChild(siteJob, {
          workflowId: job.workflowId,
          args: [
            {
              jobId: job.id,
              projectId: this.state.projectId,
              siteId: this.state.siteId,
              customerId: this.state.customerId,
              type: job.type,
              ...(job.variant ? { variant: job.variant } : {}),
              sequence: job.sequence,
              parentWorkflowId: workflowInfo().workflowId,
              policy: {
                taskDueAfterMs: this.policy.taskDueAfterMs,
                taskEscalateAfterMs: this.policy.taskEscalateAfterMs,
                readModelRetryMaxMs: this.policy.readModelRetryMaxMs,
                continueAsNewAfterEvents: this.policy.continueAsNewAfterEvents,
              },
            },
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `${job.type} job ${job.sequence} of ${this.kind.title.toLowerCase()} ${this.state.title ?? this.state.projectId}`,
        });
        job.status = 'open';
        child.result().then(
          (result) => this.jobEnded({ jobId: job.id, outcome: result.outcome, ...(result.review ? { review: result.review } : {}) }),
          (err) => this.jobEnded({ jobId: job.id, outcome: 'failed', reason: describe(err) }),
        );
      } catch (err) {
        job.status = 'open';
        this.jobEnded({ jobId: job.id, outcome: 'failed', reason: `could not start: ${describe(err)}` });
      }
    }
  }

  /** A job ended: by its own report, or found failed or terminated. The first word counts. */
  jobEnded(report: JobReport): void {
    const job = this.state.jobs.find((candidate) => candidate.id === report.jobId);
    if (!job || job.status === 'done') return;
    job.status = 'done';
    job.outcome = report.outcome;
    if (report.review) job.review = report.review;
    this.deadlines.clear((deadline) => deadline.ref === job.id);
    this.rt.changed();
    if (report.reason) {
      // The job's own workflow could not close its rows; the project does.
      job.reason = report.reason;
      this.outbox.closeJob({
        jobId: job.id,
        projectId: this.state.projectId,
        workflowId: job.workflowId,
        type: job.type,
        sequence: job.sequence,
        outcome: report.outcome,
        at: new Date(Date.now()).toISOString(),
      });
      this.outbox.timeline('job', SYSTEM, `Job ${job.sequence} stopped without an outcome: ${report.reason}`, { jobId: job.id });
    }
    this.outbox.touch();
    if (!this.closed) this.kind.onJob(this, job);
  }

  /**
   * The project closed: jobs still running are told to stop. Awaited, because a signal
   * whose sender has closed is never delivered.
   */
  async cancelRunningJobs(reason: string): Promise<void> {
    await Promise.all(
      this.state.jobs
        .filter((candidate) => candidate.status === 'open')
        .map((job) =>
          getExternalWorkflowHandle(job.workflowId)
            .signal(cancelJobSignal, { reason })
            .catch(() => undefined), // already closed: nothing to stop
        ),
    );
  }

  // --- outside work ------------------------------------------------------------------

  /** Asks for outside work; the loop runs it (see `ProjectKind.effects`). */
  enqueue(kind: string, args: Record<string, unknown> = {}): void {
    const effects = (this.state.effects ??= []);
    this.state.effectSeq = (this.state.effectSeq ?? 0) + 1;
    effects.push({ id: `${this.state.projectId}-x${this.state.effectSeq}`, kind, args, attempts: 0 });
    this.rt.changed();
  }

  get hasEffects(): boolean {
    return (this.state.effects?.length ?? 0) > 0;
  }

  get effectsDue(): boolean {
    return (this.state.effects ?? []).some((effect) => (effect.retryAt ?? 0) <= Date.now());
  }

  /**
   * Runs the due effects in order. A failure that may heal waits for its retry deadline
   * (backoff up to READ_MODEL_RETRY_MAX); one that will not (a non-retryable failure) is
   * dropped and the kind hears of it, so it can reopen the task that asked for it.
   */
  async runEffects(): Promise<void> {
    for (const effect of (this.state.effects ?? []).filter((candidate) => (candidate.retryAt ?? 0) <= Date.now())) {
      const run = this.kind.effects?.[effect.kind];
      try {
        if (run) await run(this, effect);
        this.dropEffect(effect);
      } catch (err) {
        if (isCancellation(err)) throw err;
        effect.attempts++;
        effect.lastError = describe(err);
        if (isFinal(err)) {
          this.dropEffect(effect);
          this.outbox.timeline('project', SYSTEM, `${effect.kind} failed for good: ${effect.lastError}`, { effect: effect.kind });
          this.kind.onEffectFailed?.(this, effect);
          continue;
        }
        effect.retryAt = Date.now() + Math.min(1000 * 2 ** Math.min(effect.attempts, 20), this.policy.readModelRetryMaxMs);
        this.deadlines.set({ id: `${effect.id}:retry`, at: effect.retryAt, kind: EFFECT_RETRY, ref: effect.id, summary: `Retry ${effect.kind}` });
        // The first failures, then every power of two: a long outage does not flood the timeline.
        if ((effect.attempts & (effect.attempts - 1)) === 0) {
          this.outbox.timeline('project', SYSTEM, `${effect.kind} failed (attempt ${effect.attempts}), retrying: ${effect.lastError}`, { effect: effect.kind });
        }
      }
    }
  }

  private dropEffect(effect: Effect): void {
    this.state.effects = (this.state.effects ?? []).filter((candidate) => candidate.id !== effect.id);
    this.deadlines.clear((deadline) => deadline.ref === effect.id);
  }

  // --- cancelling ----------------------------------------------------------------------

  checkCancel(request: CancelProjectRequest): void {
    this.validate({ taskId: '', payload: {}, actor: request.actor });
    if (!['supervisor', 'admin'].includes(request.actor.role)) {
      throw ApplicationFailure.create({ type: ErrorType.NotAllowed, message: 'only a supervisor cancels a project', nonRetryable: true });
    }
  }

  /** A supervisor stops the project in any stage; running jobs are told to stop when the loop ends. */
  async cancel(request: CancelProjectRequest): Promise<ProjectView> {
    this.checkCancel(request);
    this.outbox.timeline('project', request.actor, `Cancelled: ${request.reason}`, { reason: request.reason });
    this.close('cancelled', request.actor);
    this.rt.changed();
    await this.outbox.flush();
    return this.view();
  }

  // --- moves a kind makes ----------------------------------------------------------

  moveTo(stage: string, actor: Actor): void {
    const from = this.state.stage;
    this.state.stage = stage;
    this.upsertSearchAttributes();
    this.outbox.touch();
    const summary = this.closed ? `Closed: ${this.state.outcome}` : from === stage ? `Stage ${stage}` : `Stage ${from} → ${stage}`;
    this.outbox.timeline('stage', actor, summary, { from, to: stage, ...(this.state.outcome ? { outcome: this.state.outcome } : {}) });
  }

  close(outcome: string, actor: Actor, closedStage = this.kind.closedStage?.(outcome) ?? this.kind.stages.at(-1)!): void {
    this.tasks.cancel(() => true);
    this.deadlines.clear((deadline) => deadline.kind !== EFFECT_RETRY);
    this.state.outcome = outcome;
    this.state.closedAt = new Date(Date.now()).toISOString();
    this.moveTo(closedStage, actor);
    // A job that was about to start never will.
    for (const job of this.state.jobs.filter((candidate) => candidate.status === 'starting')) {
      this.jobEnded({ jobId: job.id, outcome: 'cancelled', reason: 'the project closed before it started' });
    }
    this.kind.onClose?.(this, outcome, actor);
  }

  private upsertSearchAttributes(): void {
    upsertSearchAttributes([
      { key: ProjectKindKey, value: this.kind.name },
      { key: ProjectStageKey, value: this.state.stage },
      { key: CustomerIdKey, value: this.state.customerId },
      { key: SiteIdKey, value: this.state.siteId },
    ]);
  }

  // --- what readers see ------------------------------------------------------------

  row(): ProjectRow {
    const s = this.state;
    return {
      id: s.projectId,
      kind: this.kind.name,
      ...(s.title ? { title: s.title } : {}),
      stage: s.stage,
      status: this.kind.status(this),
      ...(s.outcome ? { outcome: s.outcome } : {}),
      ...(s.closedAt ? { closedAt: s.closedAt } : {}),
      customerId: s.customerId,
      siteId: s.siteId,
      workflowId: workflowInfo().workflowId,
      createdBy: s.createdBy.id,
    };
  }

  view(): ProjectView {
    const row = this.row();
    return {
      id: row.id,
      kind: this.kind.name,
      ...(row.title ? { title: row.title } : {}),
      stage: row.stage,
      status: row.status,
      ...(row.outcome ? { outcome: row.outcome } : {}),
      customerId: row.customerId,
      siteId: row.siteId,
      workflowId: row.workflowId,
      openTasks: [...this.tasks.open],
      jobs: this.state.jobs.map((job) => ({ ...job })),
      ...(this.outbox.stale ? { stale: true } : {}),
    };
  }
}

/** An activity failure no retry will heal. */
function isFinal(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true;
}

function describe(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message || cause.name : String(cause);
}
