// siteJob: one site visit, a child of its project. It owns its tasks, walks its chain
// and returns the job outcome to the parent.
import { allHandlersFinished, ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { completeTaskUpdate, settledUpdate, type Actor, type CompleteTaskRequest, type JobRow } from '../tasks/definitions';
import { taskTypes } from '../tasks/catalogue';
import { newLedger, Outbox, TaskBook } from '../tasks/engine';
import { chains, type Chain } from './chains';
import { getJobQuery, type SiteJobInput, type SiteJobResult, type SiteJobState, type SiteJobView } from './definitions';

const SYSTEM: Actor = { id: 'system', role: 'system' };

export async function siteJob(input: SiteJobInput): Promise<SiteJobResult> {
  const chain = chains[input.type];
  if (!chain) {
    throw ApplicationFailure.create({ type: 'UnsupportedJobType', message: `no task chain for ${input.type} jobs yet`, nonRetryable: true });
  }
  const job = new SiteJob(input, chain, { step: -1, results: {}, ledger: newLedger() });

  setHandler(getJobQuery, () => job.view());
  setHandler(
    completeTaskUpdate,
    async (request) => {
      const task = job.complete(request);
      await job.outbox.flush();
      return job.done ? { task, follow: { workflowId: input.parentWorkflowId, afterJobId: input.jobId } } : { task };
    },
    { validator: (request) => void job.tasks.check(request) },
  );
  setHandler(settledUpdate, async () => {
    await condition(() => job.outbox.settled);
    return { stage: job.done ? 'done' : 'open', closed: job.done };
  });

  job.start();
  await job.outbox.flush();
  await condition(() => job.done);
  await condition(allHandlersFinished);
  await job.outbox.flush();
  return { jobId: input.jobId, outcome: job.state.outcome! };
}

class SiteJob {
  readonly outbox: Outbox;
  readonly tasks: TaskBook;

  constructor(
    private readonly input: SiteJobInput,
    private readonly chain: Chain,
    readonly state: SiteJobState,
  ) {
    const owner = { projectId: input.projectId, jobId: input.jobId, workflowId: workflowInfo().workflowId, idPrefix: input.jobId };
    this.outbox = new Outbox(state.ledger, owner, () => ({ job: this.row() }));
    this.tasks = new TaskBook(state.ledger, owner, this.outbox, input.taskDueAfterMs);
  }

  get done(): boolean {
    return this.state.outcome !== undefined;
  }

  start(): void {
    this.outbox.timeline('job', SYSTEM, `${title(this.input.type)} job ${this.input.sequence} created`, { jobType: this.input.type });
    this.advance();
  }

  complete(request: CompleteTaskRequest) {
    const task = this.tasks.complete(request);
    this.state.results[task.type] = task.payload ?? {};
    this.recordEffects(task.type, task.id, task.payload ?? {}, request.actor);
    if (!this.tasks.open.length) this.advance();
    return task;
  }

  /** Opens the next step that applies, or finishes the job when none is left. */
  private advance(): void {
    const steps = this.chain.steps;
    do this.state.step++;
    while (this.state.step < steps.length && steps[this.state.step].when?.(this.state) === false);
    if (this.state.step >= steps.length) {
      this.state.outcome = this.chain.outcome(this.state);
      this.state.completedAt = new Date(Date.now()).toISOString();
      this.outbox.timeline('job', SYSTEM, `${title(this.input.type)} job ${this.input.sequence} finished: ${this.state.outcome}`, {
        outcome: this.state.outcome,
      });
      return;
    }
    for (const type of steps[this.state.step].tasks) {
      // Field work goes to the installer who accepted the job; the rest to the task's group.
      const toInstaller = type !== 'accept_schedule_job' && taskTypes[type].group === 'installer';
      this.tasks.create(type, 'servicing', toInstaller ? this.state.installerId : undefined);
    }
  }

  private recordEffects(type: string, taskId: string, payload: Record<string, unknown>, actor: Actor): void {
    if (type === 'accept_schedule_job') {
      this.state.scheduledStart = payload.scheduledStart as string;
      this.state.installerId = (payload.installerId as string | undefined) ?? (actor.role === 'installer' ? actor.id : undefined);
    }
    if (type === 'update_asset_register' || type === 'update_asset_serials') {
      const assets = payload.assets as { assetId?: string; make: string; model: string; serial: string }[];
      assets.forEach((asset, index) =>
        this.outbox.asset({
          id: asset.assetId ?? `${taskId}-a${index + 1}`,
          siteId: this.input.siteId,
          make: asset.make,
          model: asset.model,
          serial: asset.serial,
          taskId,
        }),
      );
    }
  }

  row(): JobRow {
    return {
      id: this.input.jobId,
      projectId: this.input.projectId,
      workflowId: workflowInfo().workflowId,
      type: this.input.type,
      sequence: this.input.sequence,
      status: this.done ? 'done' : 'open',
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
      openTasks: [...this.tasks.open],
    };
  }
}

const title = (type: string) => type.charAt(0).toUpperCase() + type.slice(1);
