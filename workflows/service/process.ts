// The service project as a state machine over plain JSON (PRODUCT.md, "The service
// project"). `onCompleted` is the process table: what each task's answer does.
import { ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ErrorType } from '../errors';
import { jobIdFor, jobWorkflowId } from '../ids';
import type { JobOutcome, SiteJobResult } from '../jobs/definitions';
import { ProjectStageKey } from '../search-attributes';
import { parseTaskPayload, type TaskTypeName } from '../tasks/catalogue';
import type { Actor, CompleteTaskRequest, ProjectRow, SettleRequest, Task } from '../tasks/definitions';
import { newLedger, Outbox, TaskBook } from '../tasks/engine';
import type {
  CaseStatus,
  JobSummary,
  JobType,
  ManufacturerOutcomeEvent,
  ServiceOutcome,
  ServicePolicy,
  ServiceProjectInput,
  ServiceProjectState,
  ServiceProjectView,
  ServiceStage,
} from './definitions';

const SYSTEM: Actor = { id: 'system', role: 'system' };

type Payload = Record<string, unknown>;
type Transition = (project: ServiceProject, payload: Payload, actor: Actor) => void;

const onCompleted: Partial<Record<TaskTypeName, Transition>> = {
  service_request: (p, x, actor) => {
    p.state.resolution = x.resolution as string;
    if (x.resolution === 'not_required') p.close('not_required', actor);
    else if (x.resolution === 'site_visit') p.visitSite(x.jobType as JobType, actor);
    else p.investigate(x.resolution === 'manufacturer' ? 'manufacturer_outcome' : 'internal_review', actor);
  },
  manufacturer_outcome: (p, x, actor) => p.concludeInvestigation(x, actor),
  internal_review: (p, x, actor) => p.concludeInvestigation(x, actor),
  chase_manufacturer: () => undefined, // chased; the follow-up timer starts again
  service_review: (p, x, actor) => {
    if (x.outcome === 'resolved') p.close('resolved', actor);
    else if (x.outcome === 'cannot_resolve') p.close('unresolved', actor);
    else p.visitSite(x.jobType as JobType, actor);
  },
};

export const newServiceState = (input: ServiceProjectInput): ServiceProjectState => ({
  projectId: input.projectId,
  customerId: input.customerId,
  siteId: input.siteId,
  ...(input.title ? { title: input.title } : {}),
  createdBy: input.createdBy,
  stage: 'requesting',
  jobs: [],
  ledger: newLedger(),
  step: 0,
});

export class ServiceProject {
  readonly outbox: Outbox;
  readonly tasks: TaskBook;

  constructor(
    readonly state: ServiceProjectState,
    readonly policy: ServicePolicy,
  ) {
    const owner = { projectId: state.projectId, workflowId: workflowInfo().workflowId, idPrefix: state.projectId };
    this.outbox = new Outbox(state.ledger, owner, () => ({ project: this.row() }));
    this.tasks = new TaskBook(state.ledger, owner, this.outbox, policy.taskDueAfterMs);
  }

  get closed(): boolean {
    return this.state.stage === 'closed';
  }

  /** Waiting on a manufacturer that may need chasing. */
  get awaitingManufacturer(): boolean {
    return this.state.stage === 'investigating' && this.tasks.openOfType('manufacturer_outcome') !== undefined;
  }

  begin(): void {
    this.outbox.timeline('project', this.state.createdBy, 'Service project created', {
      ...(this.state.title ? { title: this.state.title } : {}),
    });
    this.moveTo('requesting', this.state.createdBy);
    this.tasks.create('service_request', 'requesting');
  }

  /** The update validator: nothing reaches history unless this passes. */
  validate(request: CompleteTaskRequest): void {
    this.assertOpen();
    this.tasks.check(request);
  }

  complete(request: CompleteTaskRequest): Task {
    this.assertOpen();
    const task = this.tasks.complete(request); // checks the task and its payload

    this.state.step++;
    onCompleted[task.type as TaskTypeName]?.(this, task.payload ?? {}, request.actor);
    return task;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw ApplicationFailure.create({ type: ErrorType.ProjectClosed, message: `project is closed (${this.state.outcome})`, nonRetryable: true });
    }
  }

  onManufacturerOutcome(event: ManufacturerOutcomeEvent): void {
    const actor: Actor = { id: 'manufacturer', role: 'event' };
    const task = this.tasks.openOfType('manufacturer_outcome');
    const parsed = parseTaskPayload('manufacturer_outcome', { outcome: event.outcome, jobType: event.jobType, note: event.note });
    if (!task || this.closed || !parsed.ok) {
      const why = !parsed.ok ? 'does not fit' : 'arrived when no manufacturer outcome was awaited';
      this.outbox.timeline('event', actor, `Manufacturer outcome ignored: it ${why}`, { event: { ...event } });
      this.state.step++;
      return;
    }
    this.outbox.timeline('event', actor, `Manufacturer outcome received: ${event.outcome}`, { event: { ...event } });
    this.complete({ taskId: task.id, payload: parsed.payload, actor });
  }

  /** The follow-up timer fired with the manufacturer still silent. */
  chaseManufacturer(): void {
    if (this.tasks.openOfType('chase_manufacturer')) {
      this.outbox.timeline('task', SYSTEM, 'Still no manufacturer outcome: the chase task is still open');
      return;
    }
    this.tasks.create('chase_manufacturer', 'investigating');
    this.outbox.timeline('task', SYSTEM, 'No manufacturer outcome yet: follow-up task opened');
  }

  investigate(taskType: 'manufacturer_outcome' | 'internal_review', actor: Actor): void {
    this.moveTo('investigating', actor);
    this.tasks.create(taskType, 'investigating');
  }

  concludeInvestigation(payload: Payload, actor: Actor): void {
    this.tasks.cancel((task) => task.type === 'chase_manufacturer');
    if (payload.outcome === 'resolved') this.close('resolved', actor);
    else if (payload.outcome === 'unable_to_resolve') this.close('unresolved', actor);
    else this.visitSite(payload.jobType as JobType, actor);
  }

  visitSite(type: JobType, actor: Actor): void {
    this.moveTo('servicing', actor);
    const sequence = this.state.jobs.length + 1;
    const id = jobIdFor(this.state.projectId, sequence);
    this.state.jobs.push({ id, type, sequence, workflowId: jobWorkflowId(id), status: 'starting' });
  }

  jobToStart(): JobSummary | undefined {
    return this.state.jobs.find((job) => job.status === 'starting');
  }

  jobFinished(result: SiteJobResult): void {
    const job = this.state.jobs.find((candidate) => candidate.id === result.jobId)!;
    job.status = 'done';
    job.outcome = result.outcome;
    this.state.step++;
    this.moveTo('reviewing', SYSTEM);
    this.tasks.create('service_review', 'reviewing');
  }

  jobFailedToRun(jobId: string, reason: string): void {
    this.outbox.timeline('job', SYSTEM, `Job ${jobId} stopped without an outcome: ${reason}`);
    this.jobFinished({ jobId, outcome: 'failed' satisfies JobOutcome });
  }

  close(outcome: ServiceOutcome, actor: Actor): void {
    this.tasks.cancel(() => true);
    this.state.outcome = outcome;
    this.state.closedAt = new Date(Date.now()).toISOString();
    this.moveTo('closed', actor);
  }

  settled(request: SettleRequest): boolean {
    const job = request.afterJobId ? this.state.jobs.find((candidate) => candidate.id === request.afterJobId) : undefined;
    return this.outbox.settled && (!job || job.status === 'done');
  }

  private moveTo(stage: ServiceStage, actor: Actor): void {
    const from = this.state.stage;
    this.state.stage = stage;
    upsertSearchAttributes([{ key: ProjectStageKey, value: stage }]);
    const summary = stage === 'closed' ? `Closed: ${this.state.outcome}` : from === stage ? `Stage ${stage}` : `Stage ${from} → ${stage}`;
    this.outbox.timeline('stage', actor, summary, { from, to: stage, ...(this.state.outcome ? { outcome: this.state.outcome } : {}) });
  }

  status(): CaseStatus {
    const { stage, outcome, jobs } = this.state;
    if (stage === 'closed') {
      if (outcome === 'resolved') return 'completed';
      if (outcome === 'unresolved') return 'problem';
      return 'cancelled';
    }
    if (jobs.some((job) => job.status !== 'done')) return 'in_progress';
    if (jobs.at(-1)?.outcome === 'failed') return 'problem';
    return 'planned';
  }

  row(): ProjectRow {
    const s = this.state;
    return {
      id: s.projectId,
      kind: 'service',
      ...(s.title ? { title: s.title } : {}),
      stage: s.stage,
      status: this.status(),
      ...(s.outcome ? { outcome: s.outcome } : {}),
      ...(s.closedAt ? { closedAt: s.closedAt } : {}),
      customerId: s.customerId,
      siteId: s.siteId,
      workflowId: workflowInfo().workflowId,
      createdBy: s.createdBy.id,
    };
  }

  view(): ServiceProjectView {
    const row = this.row();
    return {
      id: row.id,
      kind: 'service',
      stage: this.state.stage,
      status: this.status(),
      ...(this.state.outcome ? { outcome: this.state.outcome } : {}),
      customerId: row.customerId,
      siteId: row.siteId,
      workflowId: row.workflowId,
      openTasks: [...this.tasks.open],
      jobs: this.state.jobs.map((job) => ({ ...job })),
    };
  }
}

