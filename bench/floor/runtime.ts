// What every floor workflow shares: the product's outbox (one writer, a no-op write
// activity), its deadlines (absolute times served by one timer) and its task runtime (the
// one wait, the drains), reduced to their Temporal actions. Only @temporalio/workflow.
import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { floorActivities } from './activities';
import type { FloorDeadline, FloorWritten } from './definitions';

// The same activity options as the product's read-model write (workflows/tasks/outbox.ts)
// and its check on carried jobs (workflows/projects/project.ts).
const { floorWrite } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '20 seconds',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 3 },
  summary: 'Write the read model',
});
export const { floorCheckJobs } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
  summary: 'Check on jobs carried across continue-as-new',
});

// The product's work-order activity's options (workflows/jobs/fieldwork.ts).
export const { floorWorkOrder } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
  summary: 'Make the work-order PDF',
});

// The product's patches: each records a marker (and upserts TemporalChangeVersion) the
// first time a run passes it.
export const DRAIN_PATCH = '2026-11-drain-yields-to-loop';
export const JOB_SEARCH_ATTRIBUTES_PATCH = '2026-11-job-search-attributes';
export const WORK_ORDERS_PATCH = '2026-11-work-orders';
export const FIELD_DUE_PATCH = '2026-11-field-due-at-appointment';
/** The tasks whose completion confirms a job (workflows/jobs/workflow.ts). */
export const CONFIRMING = ['confirm_job', 'start_job'];
/** The product's field due time when the policy does not say. */
export const DEFAULT_FIELD_DUE_AFTER_START_MS = 4 * 3600_000;

/** The product's Outbox without the rows: a dirty flag and one writer at a time. */
export class Writer {
  private flushing = false;
  private writes = 0;
  /** What the last completed write carried (the read model as the driver would see it). */
  written: FloorWritten = { writes: 0 };

  constructor(
    private dirty: boolean,
    private readonly snapshot?: () => Omit<FloorWritten, 'writes'>,
  ) {}

  touch(): void {
    this.dirty = true;
  }

  get pending(): boolean {
    return this.dirty;
  }

  get inFlight(): boolean {
    return this.flushing;
  }

  get ready(): boolean {
    return this.dirty && !this.flushing;
  }

  get settled(): boolean {
    return !this.dirty && !this.flushing;
  }

  /** The no-op write never fails, so the product's stale-and-retry branch never runs here. */
  async flush(): Promise<boolean> {
    for (;;) {
      if (this.flushing) {
        await condition(() => !this.flushing);
        continue;
      }
      if (!this.dirty) return true;
      this.dirty = false;
      this.flushing = true;
      try {
        const carried = this.snapshot?.();
        await floorWrite({ n: ++this.writes });
        this.written = { ...carried, writes: this.writes };
      } finally {
        this.flushing = false;
      }
    }
  }
}

/** The product's Deadlines: absolute times served by one timer, never cancelled. */
export class Deadlines {
  private running: number[] = [];
  woke = false;

  constructor(private readonly ledger: { deadlines: FloorDeadline[] }) {}

  set(deadline: FloorDeadline): void {
    this.clear((candidate) => candidate.id === deadline.id);
    this.ledger.deadlines.push(deadline);
  }

  clear(predicate: (deadline: FloorDeadline) => boolean): void {
    this.ledger.deadlines = this.ledger.deadlines.filter((deadline) => !predicate(deadline));
  }

  has(id: string): boolean {
    return this.ledger.deadlines.some((deadline) => deadline.id === id);
  }

  /** A timer for the earliest deadline, unless one already runs for that time or earlier. */
  arm(): void {
    const at = Math.min(...this.ledger.deadlines.map((deadline) => deadline.at));
    if (at === Infinity || this.running.some((time) => time <= at)) return;
    this.running.push(at);
    sleep(Math.max(1, at - Date.now()), { summary: 'Floor deadline' })
      .then(() => {
        this.running = this.running.filter((time) => time !== at);
        this.woke = true;
      })
      .catch(() => undefined);
  }

  takeDue(): FloorDeadline[] {
    this.woke = false;
    const now = Date.now();
    const due = this.ledger.deadlines.filter((deadline) => deadline.at <= now).sort((a, b) => a.at - b.at);
    if (due.length) this.clear((deadline) => deadline.at <= now);
    return due;
  }
}

/** The product's TaskRuntime: the one wait, the drain before continue-as-new, the drain before the end. */
export class Runtime {
  readonly writer: Writer;
  readonly deadlines: Deadlines;
  private step = 0;

  constructor(ledger: { deadlines: FloorDeadline[] }, fresh: boolean, snapshot?: () => Omit<FloorWritten, 'writes'>) {
    this.writer = new Writer(fresh, snapshot);
    this.deadlines = new Deadlines(ledger);
  }

  changed(): void {
    this.step++;
  }

  async next(onDeadline: (deadline: FloorDeadline) => void, wake: () => boolean = () => false): Promise<void> {
    const seen = this.step;
    this.deadlines.arm();
    await condition(() => this.step !== seen || this.deadlines.woke || this.writer.ready || wake());
    for (const deadline of this.deadlines.takeDue()) onDeadline(deadline);
    await this.writer.flush();
  }

  async drained(busy: () => boolean): Promise<boolean> {
    const quiet = () => allHandlersFinished() && !this.writer.inFlight;
    await condition(() => quiet() || busy() || this.writer.ready);
    return quiet() && !busy() && !this.writer.ready;
  }

  async finish(): Promise<void> {
    for (;;) {
      await this.writer.flush();
      await condition(() => allHandlersFinished() || this.writer.ready);
      if (allHandlersFinished() && !this.writer.pending) return;
    }
  }
}

export const refuse = (message: string) => ApplicationFailure.create({ type: 'FloorRefused', message, nonRetryable: true });
export const TASK_DUE = 'task:due';

export function tooLong(continueAsNewAfterEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= continueAsNewAfterEvents;
}

