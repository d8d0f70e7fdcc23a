// Everything the read model has not been told yet, and the one writer that tells it.
//
// The write is a normal activity, not a local one: Temporal records the workflow task
// that made a change (and schedules the write) before the write can run, so a crash at
// any instant leaves the read model equal to or behind the workflow, never ahead.
// The write is bounded. A batch that fails stays in the ledger (merged under anything
// newer), the projection is marked stale, and the owner's loop retries it with backoff;
// the workflow itself never waits on a write that cannot succeed.
import { ActivityFailure, ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { createReadModelActivities } from '../../activities/read-model';
import { ErrorType } from '../errors';
import type { Actor, AssetWrite, ClosedJob, JobRow, NotificationWrite, ProjectRow, ReadModelChanges, Task, TimelineEntry } from './definitions';
import { emptyWrites, hasWrites, mergeWrites, type LedgerState } from './ledger';

const { applyReadModelChanges } = proxyActivities<ReturnType<typeof createReadModelActivities>>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '200 ms',
    backoffCoefficient: 2,
    maximumInterval: '2 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [ErrorType.ReadModelRejected],
  },
  summary: 'Write the read model',
});

export interface Owner {
  projectId: string;
  jobId?: string;
  workflowId: string;
  /** Prefix of the ids this owner makes: the project id, or the job id. */
  idPrefix: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Backoff of the loop's retries of a failed batch: 1 s, 2 s, 4 s … up to the policy's maximum. */
const retryDelay = (attempts: number, maxMs: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), maxMs);

export class Outbox {
  private inFlight = false;

  constructor(
    private readonly ledger: LedgerState,
    private readonly owner: Owner,
    private readonly rows: () => { project?: ProjectRow; job?: JobRow },
    private readonly retryMaxMs: number,
  ) {}

  /** The owner's row changed (stage, status, outcome). */
  touch(): void {
    this.ledger.pending.dirty = true;
  }

  task(task: Task): void {
    const tasks = this.ledger.pending.tasks;
    const index = tasks.findIndex((candidate) => candidate.id === task.id);
    if (index >= 0) tasks[index] = task;
    else tasks.push(task);
  }

  asset(asset: AssetWrite): void {
    this.ledger.pending.assets.push(asset);
  }

  closeJob(job: ClosedJob): void {
    this.ledger.pending.closedJobs.push(job);
  }

  notify(notice: Omit<NotificationWrite, 'id' | 'projectId' | 'at'>): void {
    this.ledger.pending.notifications.push({
      id: `${this.owner.idPrefix}-n${++this.ledger.noticeSeq}`,
      projectId: this.owner.projectId,
      at: iso(Date.now()),
      ...notice,
    });
  }

  timeline(kind: TimelineEntry['kind'], actor: Actor, summary: string, data?: Record<string, unknown>): void {
    this.ledger.pending.timeline.push({
      id: `${this.owner.idPrefix}-e${++this.ledger.timelineSeq}`,
      projectId: this.owner.projectId,
      ...(this.owner.jobId ? { jobId: this.owner.jobId } : {}),
      at: iso(Date.now()),
      kind,
      actor,
      summary,
      ...(data ? { data } : {}),
    });
  }

  get pending(): boolean {
    return hasWrites(this.ledger.pending);
  }

  get flushing(): boolean {
    return this.inFlight;
  }

  get stale(): boolean {
    return this.ledger.stale !== undefined;
  }

  /** When the loop should try a failed batch again (epoch ms), if one failed. */
  get retryAt(): number | undefined {
    return this.ledger.stale?.retryAt;
  }

  /** There is something to write and nothing stops writing it now. */
  get ready(): boolean {
    return this.pending && !this.inFlight && !this.stale;
  }

  /** Every change so far is in the database, or is waiting for a retry (so no one should wait on it). */
  get settled(): boolean {
    return !this.inFlight && (!this.pending || this.stale);
  }

  /**
   * Writes what is pending. Concurrent callers queue behind the write in flight. Returns
   * false when the read model is behind (a write failed and waits for its retry).
   */
  async flush(): Promise<boolean> {
    for (;;) {
      if (this.inFlight) {
        await condition(() => !this.inFlight);
        continue;
      }
      const stale = this.ledger.stale;
      if (stale && stale.retryAt > Date.now()) return false;
      if (!this.pending) return true;

      const writes = this.ledger.pending;
      this.ledger.pending = emptyWrites();
      const changes: ReadModelChanges = {
        // Workflow time orders batches across owners too; within one owner every batch
        // gets a higher revision than the one before, whatever the clock says.
        revision: (this.ledger.revisionSeq = Math.max(this.ledger.revisionSeq + 1, Date.now() * 1000)),
        ...this.rows(),
        tasks: writes.tasks,
        timeline: writes.timeline,
        assets: writes.assets,
        notifications: writes.notifications,
        closedJobs: writes.closedJobs,
      };
      this.inFlight = true;
      try {
        await applyReadModelChanges(changes);
        this.ledger.stale = undefined;
      } catch (err) {
        // Keep the batch under anything newer, and let the loop try again later.
        this.ledger.pending = mergeWrites(writes, this.ledger.pending);
        const attempts = (stale?.attempts ?? 0) + 1;
        this.ledger.stale = {
          since: stale?.since ?? iso(Date.now()),
          attempts,
          retryAt: Date.now() + retryDelay(attempts, this.retryMaxMs),
          error: describe(err),
        };
        return false;
      } finally {
        this.inFlight = false;
      }
    }
  }
}

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
