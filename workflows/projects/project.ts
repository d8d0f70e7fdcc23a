// One project of any kind, as the kernel runs it: its state, the moves a kind may make
// (a stage, a task, a job, a deadline, closing), and its row and view.
import { ApplicationFailure, condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ErrorType } from '../errors';
import type { SiteJobType } from '../jobs/definitions';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../search-attributes';
import type { Actor, CompleteTaskRequest, FollowOn, ProjectRow, SettleRequest, Task } from '../tasks/definitions';
import { newLedger, type Deadline } from '../tasks/ledger';
import { TaskRuntime, type TaskOwner } from '../tasks/runtime';
import type { CancelProjectRequest, JobEntry, ProjectEvent, ProjectInput, ProjectPolicy, ProjectState, ProjectView } from './definitions';
import { EFFECT_RETRY, OutsideWork } from './effects';
import { JOB_WATCH, ProjectJobs } from './jobs';
import type { ProjectKind } from './kind';

export const SYSTEM: Actor = { id: 'system', role: 'system' };
/** How many recent webhook delivery ids a project remembers. */
const DELIVERIES = 50;

export class Project<D = Record<string, unknown>> implements TaskOwner {
  readonly state: ProjectState<D>;
  readonly policy: ProjectPolicy;
  readonly rt: TaskRuntime;
  /** Site jobs as entries in state (jobs.ts). */
  readonly jobs: ProjectJobs<D>;
  /** Outside work the kind asked for (effects.ts). */
  readonly work: OutsideWork<D>;

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
    this.jobs = new ProjectJobs(this);
    this.work = new OutsideWork(this);
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
    if (deadline.kind === JOB_WATCH) return this.jobs.onWatch(deadline);
    this.kind.onDeadline[deadline.kind]?.(this, deadline);
  }

  settled(request: SettleRequest): boolean {
    const job = request.afterJobId ? this.state.jobs.find((candidate) => candidate.id === request.afterJobId) : undefined;
    return !job || job.status === 'done';
  }

  // --- events, jobs, outside work ----------------------------------------------------

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

  /** A kind sends someone to site: the loop starts the job (see jobs.ts). */
  startJob(type: SiteJobType, variant?: 'rework'): JobEntry {
    return this.jobs.add(type, variant);
  }

  /** A kind asks for outside work: the loop runs it (see effects.ts). */
  enqueue(kind: string, args: Record<string, unknown> = {}): void {
    this.work.enqueue(kind, args);
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
      this.jobs.ended({ jobId: job.id, outcome: 'cancelled', reason: 'the project closed before it started' });
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

