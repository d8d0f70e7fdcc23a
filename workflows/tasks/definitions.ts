// The contract every task-owning workflow shares: the task shape, task completion as an
// update, the settle barrier, and the read-model changes the workflows hand to their
// activity. Only @temporalio/workflow is imported, so the API can use this module.
import { defineUpdate } from '@temporalio/workflow';

export type Role = 'admin' | 'supervisor' | 'ops' | 'installer' | 'customer';
export type TaskStatus = 'open' | 'done' | 'cancelled';

/** Who did something: a person, the workflow itself, or an outside system. */
export interface Actor {
  id: string;
  role: Role | 'system' | 'event';
  name?: string;
}

export interface Task {
  id: string;
  projectId: string;
  jobId?: string;
  workflowId: string;
  type: string;
  stage: string;
  status: TaskStatus;
  /** A user id, or `group:<role>` for everyone in a role. */
  assignee?: string;
  dueAt?: string;
  createdAt: string;
  payload?: Record<string, unknown>;
  completedBy?: string;
  completedAt?: string;
  /** The update id of the completion, so a keyed retry finds its first answer. */
  completionKey?: string;
  /** Set when the task passed its due time, and when it was escalated to supervisors. */
  overdueAt?: string;
  escalatedAt?: string;
}

export interface CompleteTaskRequest {
  taskId: string;
  payload: Record<string, unknown>;
  actor: Actor;
  /** The update id the API sends with (`<taskId>:<Idempotency-Key>`), when keyed. */
  updateId?: string;
}

/**
 * A completion can set off work in another workflow (a job starts, or a finished job
 * moves its project on). `follow` names it, so the API can wait for it to settle before
 * it reads the view: read-your-writes across parent and child.
 */
export interface FollowOn {
  workflowId: string;
  afterJobId?: string;
}

export interface CompleteTaskResult {
  task: Task;
  follow?: FollowOn;
  /** False when the read model could not take the change yet; it catches up by itself. */
  written?: boolean;
}

export interface SettleRequest {
  /** Wait until this job's result has been applied and written. */
  afterJobId?: string;
}

export interface SettleResult {
  stage: string;
  closed: boolean;
  /** True while the read model is behind this workflow (a write failed and is retried). */
  stale?: boolean;
}

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTaskUpdate');
export const settledUpdate = defineUpdate<SettleResult, [SettleRequest]>('settledUpdate');

export interface TimelineEntry {
  id: string;
  projectId: string;
  jobId?: string;
  at: string;
  kind: 'stage' | 'task' | 'event' | 'job' | 'project';
  actor: Actor;
  summary: string;
  data?: Record<string, unknown>;
}

export interface ProjectRow {
  id: string;
  kind: 'service' | 'sales';
  title?: string;
  stage: string;
  status: string;
  outcome?: string;
  customerId: string;
  siteId: string;
  workflowId: string;
  createdBy: string;
  closedAt?: string;
}

export interface JobRow {
  id: string;
  projectId: string;
  workflowId: string;
  type: string;
  sequence: number;
  status: 'open' | 'prepared' | 'done';
  outcome?: string;
  scheduledStart?: string;
  /** The end of the appointment window (added 2026-11). */
  scheduledEnd?: string;
  installerId?: string;
  completedAt?: string;
  /** Field work (added 2026-11): the first trip's start, and copies of the trips and protocol. */
  tripStartedAt?: string;
  trips?: unknown[];
  protocol?: unknown;
}

export interface AssetWrite {
  id: string;
  siteId: string;
  make: string;
  model: string;
  serial: string;
  taskId: string;
}

/** Something a person or a group should hear about (an overdue task, an escalation). */
export interface NotificationWrite {
  id: string;
  projectId: string;
  taskId?: string;
  /** A user id or `group:<role>`. */
  recipient: string;
  kind: string;
  summary: string;
  at: string;
}

/** A job its own workflow could not close (it failed or was terminated): the project closes its rows. */
export interface ClosedJob {
  jobId: string;
  projectId: string;
  workflowId: string;
  type: string;
  sequence: number;
  outcome: string;
  at: string;
}

/**
 * One batch for the read model, written in one transaction by an idempotent activity.
 * `revision` grows with every batch of one owner (and with workflow time across owners):
 * a row is never replaced by one of an older revision, so a late retry cannot put old
 * state back.
 */
export interface ReadModelChanges {
  revision: number;
  project?: ProjectRow;
  job?: JobRow;
  tasks: Task[];
  timeline: TimelineEntry[];
  assets: AssetWrite[];
  notifications: NotificationWrite[];
  closedJobs: ClosedJob[];
}
