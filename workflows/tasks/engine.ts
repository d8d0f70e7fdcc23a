// The task engine shared by projects and jobs, on the workflow side: open tasks with
// deterministic ids, check and apply completions, and batch everything the read model
// must learn into one local-activity write.
import { ApplicationFailure, condition, proxyLocalActivities } from '@temporalio/workflow';
import type { createReadModelActivities } from '../../activities/read-model';
import { ErrorType } from '../errors';
import { parseTaskPayload, taskTypes, type TaskTypeName } from './catalogue';
import type {
  Actor,
  AssetWrite,
  CompleteTaskRequest,
  JobRow,
  ProjectRow,
  ReadModelChanges,
  Task,
  TimelineEntry,
} from './definitions';

// A local activity: the write happens inside the same workflow task as the state change,
// so the update that caused it answers ~15 ms sooner than with a normal activity, and a
// query never sees state the database does not have yet. Writes are upserts on ids made
// here, so a retry after a crash writes nothing twice.
const { applyReadModelChanges } = proxyLocalActivities<ReturnType<typeof createReadModelActivities>>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** Plain JSON, carried across continue-as-new. */
export interface LedgerState {
  taskSeq: number;
  timelineSeq: number;
  open: Task[];
}

export interface Owner {
  projectId: string;
  jobId?: string;
  workflowId: string;
  /** Prefix of the ids this owner makes: the project id, or the job id. */
  idPrefix: string;
}

export const newLedger = (): LedgerState => ({ taskSeq: 0, timelineSeq: 0, open: [] });

const iso = (ms: number) => new Date(ms).toISOString();

/** Everything the read model has not been told yet, and the one writer that tells it. */
export class Outbox {
  private tasks = new Map<string, Task>();
  private entries: TimelineEntry[] = [];
  private assets: AssetWrite[] = [];
  private dirty = true;
  private flushing = false;

  constructor(
    private readonly ledger: LedgerState,
    private readonly owner: Owner,
    private readonly rows: () => { project?: ProjectRow; job?: JobRow },
  ) {}

  task(task: Task): void {
    this.tasks.set(task.id, task);
    this.dirty = true;
  }

  asset(asset: AssetWrite): void {
    this.assets.push(asset);
    this.dirty = true;
  }

  timeline(kind: TimelineEntry['kind'], actor: Actor, summary: string, data?: Record<string, unknown>): void {
    this.entries.push({
      id: `${this.owner.idPrefix}-e${++this.ledger.timelineSeq}`,
      projectId: this.owner.projectId,
      ...(this.owner.jobId ? { jobId: this.owner.jobId } : {}),
      at: iso(Date.now()),
      kind,
      actor,
      summary,
      ...(data ? { data } : {}),
    });
    this.dirty = true;
  }

  /** True when every change so far is in the database. */
  get settled(): boolean {
    return !this.dirty && !this.flushing;
  }

  /** Writes what is pending; concurrent callers queue behind the write in flight. */
  async flush(): Promise<void> {
    while (!this.settled) {
      if (this.flushing) {
        await condition(() => !this.flushing);
        continue;
      }
      const batch: ReadModelChanges = {
        ...this.rows(),
        tasks: [...this.tasks.values()],
        timeline: this.entries,
        assets: this.assets,
      };
      this.tasks = new Map();
      this.entries = [];
      this.assets = [];
      this.dirty = false;
      this.flushing = true;
      try {
        await applyReadModelChanges(batch);
      } finally {
        this.flushing = false;
      }
    }
  }
}

/** The open tasks of one owner. */
export class TaskBook {
  constructor(
    private readonly ledger: LedgerState,
    private readonly owner: Owner,
    private readonly outbox: Outbox,
    private readonly dueAfterMs: number,
  ) {}

  get open(): readonly Task[] {
    return this.ledger.open;
  }

  openOfType(type: TaskTypeName): Task | undefined {
    return this.ledger.open.find((task) => task.type === type);
  }

  create(type: TaskTypeName, stage: string, assignee?: string): Task {
    const now = Date.now();
    const task: Task = {
      id: `${this.owner.idPrefix}-t${++this.ledger.taskSeq}`,
      projectId: this.owner.projectId,
      ...(this.owner.jobId ? { jobId: this.owner.jobId } : {}),
      workflowId: this.owner.workflowId,
      type,
      stage,
      status: 'open',
      assignee: assignee ?? `group:${taskTypes[type].group}`,
      dueAt: iso(now + this.dueAfterMs),
      createdAt: iso(now),
    };
    this.ledger.open.push(task);
    this.outbox.task(task);
    return task;
  }

  /**
   * The update validator's check: throws (rejecting the update before it reaches
   * history) unless the task is open here and the payload fits its type.
   */
  check(request: CompleteTaskRequest): Record<string, unknown> {
    const task = this.ledger.open.find((candidate) => candidate.id === request.taskId);
    if (!task) {
      throw ApplicationFailure.create({ type: ErrorType.TaskNotOpen, message: `task ${request.taskId} is not open`, nonRetryable: true });
    }
    const parsed = parseTaskPayload(task.type, request.payload);
    if (!parsed.ok) {
      throw ApplicationFailure.create({
        type: ErrorType.InvalidPayload,
        message: `payload does not fit ${task.type}`,
        details: [parsed.errors],
        nonRetryable: true,
      });
    }
    return parsed.payload;
  }

  /** Closes an open task with its payload and records who did it. */
  complete(request: CompleteTaskRequest): Task {
    const payload = this.check(request);
    const index = this.ledger.open.findIndex((task) => task.id === request.taskId);
    const done: Task = {
      ...this.ledger.open[index],
      status: 'done',
      payload,
      completedBy: request.actor.id,
      completedAt: iso(Date.now()),
    };
    this.ledger.open.splice(index, 1);
    this.outbox.task(done);
    this.outbox.timeline('task', request.actor, `${taskTypes[done.type as TaskTypeName].title} completed`, {
      taskId: done.id,
      type: done.type,
      payload,
    });
    return done;
  }

  /** Closes tasks nobody needs to do any more (the project moved on or closed). */
  cancel(predicate: (task: Task) => boolean): void {
    for (const task of this.ledger.open.filter(predicate)) {
      this.outbox.task({ ...task, status: 'cancelled', completedAt: iso(Date.now()) });
    }
    this.ledger.open = this.ledger.open.filter((task) => !predicate(task));
  }
}
