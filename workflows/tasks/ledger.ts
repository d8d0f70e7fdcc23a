// What a task-owning workflow carries across continue-as-new: its id counters, open
// tasks, recent completions, deadlines and the read-model writes not yet made. Plain JSON.
import type { AssetWrite, ClosedJob, NotificationWrite, Task, TimelineEntry } from './definitions';

/** An absolute time at which something must happen unless the wait ended first. */
export interface Deadline {
  id: string;
  /** Epoch milliseconds (workflow time). */
  at: number;
  /** `task.overdue`, `task.escalate`, or one of the owner's own kinds (a chase, a follow-up). */
  kind: string;
  /** The task or job it is about. */
  ref?: string;
  /** Shown on the timer in the Temporal UI. */
  summary: string;
}

/** Writes the read model has not taken yet. */
export interface PendingWrites {
  /** The owner's own row (project or job) changed. */
  dirty: boolean;
  tasks: Task[];
  timeline: TimelineEntry[];
  assets: AssetWrite[];
  notifications: NotificationWrite[];
  closedJobs: ClosedJob[];
}

export interface StaleProjection {
  since: string;
  attempts: number;
  /** Epoch milliseconds of the next attempt. */
  retryAt: number;
  error: string;
}

export interface LedgerState {
  taskSeq: number;
  timelineSeq: number;
  noticeSeq: number;
  /** The revision of the owner's last batch. */
  revisionSeq: number;
  open: Task[];
  /** The latest completions, newest last: a keyed retry after a continue-as-new finds its answer here. */
  recent: Task[];
  deadlines: Deadline[];
  pending: PendingWrites;
  /** Set while the read model is behind: the failed writes stay in `pending`. */
  stale?: StaleProjection;
}

export const emptyWrites = (): PendingWrites => ({ dirty: false, tasks: [], timeline: [], assets: [], notifications: [], closedJobs: [] });

export const newLedger = (): LedgerState => ({
  taskSeq: 0,
  timelineSeq: 0,
  noticeSeq: 0,
  revisionSeq: 0,
  open: [],
  recent: [],
  deadlines: [],
  pending: { ...emptyWrites(), dirty: true },
});

/** Older writes first, newer over them: a task keeps its latest snapshot, the timeline its order. */
export function mergeWrites(older: PendingWrites, newer: PendingWrites): PendingWrites {
  const byId = <T extends { id: string }>(a: T[], b: T[]) => [...new Map([...a, ...b].map((item) => [item.id, item])).values()];
  return {
    dirty: older.dirty || newer.dirty,
    tasks: byId(older.tasks, newer.tasks),
    timeline: [...older.timeline, ...newer.timeline],
    assets: byId(older.assets, newer.assets),
    notifications: [...older.notifications, ...newer.notifications],
    closedJobs: [...older.closedJobs, ...newer.closedJobs],
  };
}

export const hasWrites = (writes: PendingWrites): boolean =>
  writes.dirty || writes.tasks.length + writes.timeline.length + writes.assets.length + writes.notifications.length + writes.closedJobs.length > 0;
