// The Temporal plumbing every task-owning workflow shares, written once: task completion
// as an update with a validator, the settle barrier, one wait over "something changed or
// the earliest deadline came", the read-model writes behind it, and the drains before
// continue-as-new and before the end. Projects and site jobs supply the rest.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { TaskBook, type TaskPolicy } from './book';
import { Deadlines } from './deadlines';
import {
  completeTaskUpdate,
  settledUpdate,
  type CompleteTaskRequest,
  type FollowOn,
  type JobRow,
  type ProjectRow,
  type SettleRequest,
  type Task,
} from './definitions';
import type { Deadline, LedgerState } from './ledger';
import { Outbox, type Owner } from './outbox';

export interface RuntimePolicy extends TaskPolicy {
  /** The longest pause between retries of a read-model write that keeps failing. */
  readModelRetryMaxMs: number;
}

/** What an owner tells the runtime about itself. */
export interface TaskOwner {
  readonly stage: string;
  readonly closed: boolean;
  /** Checks beyond the task's own (a closed project, a job-specific rule); throws to refuse. */
  validate(request: CompleteTaskRequest): void;
  /** Applies a validated completion. `follow` is awaited before answering (a job must start first). */
  complete(request: CompleteTaskRequest): { task: Task; follow?: () => Promise<FollowOn | undefined> };
  /** A deadline that is not a task's own came. */
  onDeadline(deadline: Deadline): void;
  /** Extra conditions of the settle barrier (a job's result applied). */
  settled(request: SettleRequest): boolean;
}

export class TaskRuntime {
  readonly outbox: Outbox;
  readonly tasks: TaskBook;
  readonly deadlines: Deadlines;
  private step = 0;

  constructor(ledger: LedgerState, owner: Owner, policy: RuntimePolicy, rows: () => { project?: ProjectRow; job?: JobRow }) {
    this.outbox = new Outbox(ledger, owner, rows, policy.readModelRetryMaxMs);
    this.deadlines = new Deadlines(ledger);
    this.tasks = new TaskBook(ledger, owner, this.outbox, this.deadlines, policy);
  }

  /** Something changed that the loop should react to (a signal, a child's result). */
  changed(): void {
    this.step++;
  }

  wire(owner: TaskOwner): void {
    setHandler(
      completeTaskUpdate,
      async (request) => {
        const answered = this.tasks.answered(request);
        if (answered) return { task: answered };
        const { task, follow } = owner.complete(request);
        this.changed();
        const written = await this.outbox.flush();
        const next = await follow?.();
        return { task, ...(next ? { follow: next } : {}), written };
      },
      {
        validator: (request) => {
          if (this.tasks.answered(request)) return;
          owner.validate(request);
          this.tasks.check(request);
        },
      },
    );
    setHandler(settledUpdate, async (request) => {
      await condition(() => this.outbox.settled && owner.settled(request));
      return { stage: owner.stage, closed: owner.closed, ...(this.outbox.stale ? { stale: true } : {}) };
    });
  }

  /**
   * The one wait: until something changed, `wake` says so, or the earliest deadline (or
   * a failed write's retry) came. Then the due deadlines go to the task book or the
   * owner, and what changed is written.
   */
  async next(owner: TaskOwner, wake: () => boolean = () => false): Promise<void> {
    const seen = this.step;
    this.deadlines.arm(this.outbox.retryAt);
    await condition(() => this.step !== seen || this.deadlines.woke || this.outbox.ready || wake());
    for (const deadline of this.deadlines.takeDue()) {
      if (!this.tasks.onDeadline(deadline)) owner.onDeadline(deadline);
    }
    await this.outbox.flush();
  }

  /**
   * Before continue-as-new: every handler done and no write in flight. True when the
   * caller may continue as new now, with no other await in between (unwritten changes
   * travel in the ledger). False when the loop must run first: a handler may be waiting
   * on it (a job to start, writes to make), and waiting here for that handler would
   * wait forever.
   */
  async drained(busy: () => boolean): Promise<boolean> {
    const quiet = () => allHandlersFinished() && !this.outbox.flushing;
    await condition(() => quiet() || busy() || this.outbox.ready);
    return quiet() && !busy() && !this.outbox.ready;
  }

  /**
   * Before the end: every change written (retrying a failing write with backoff, for as
   * long as it takes) and every handler done. Returns with no await after the last check:
   * `done`, or `continue` when the history grew too long while the read model refused
   * writes (the caller continues as new and finishes there).
   */
  async finish(tooLong: () => boolean): Promise<'done' | 'continue'> {
    for (;;) {
      if (await this.outbox.flush()) {
        await condition(() => allHandlersFinished() || this.outbox.ready);
        if (allHandlersFinished() && !this.outbox.pending) return 'done';
        continue;
      }
      if (tooLong()) {
        await condition(() => allHandlersFinished() && !this.outbox.flushing);
        return 'continue';
      }
      this.deadlines.arm(this.outbox.retryAt);
      await condition(() => this.deadlines.woke);
      this.deadlines.takeDue();
    }
  }
}
