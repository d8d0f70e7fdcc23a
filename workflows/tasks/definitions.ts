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
}

export interface CompleteTaskRequest {
  taskId: string;
  payload: Record<string, unknown>;
  actor: Actor;
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
}

export interface SettleRequest {
  /** Wait until this job's result has been applied and written. */
  afterJobId?: string;
}

export interface SettleResult {
  stage: string;
  closed: boolean;
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
  status: 'open' | 'done';
  outcome?: string;
  scheduledStart?: string;
  installerId?: string;
  completedAt?: string;
}

export interface AssetWrite {
  id: string;
  siteId: string;
  make: string;
  model: string;
  serial: string;
  taskId: string;
}

/** One batch for the read model, written in one transaction by an idempotent activity. */
export interface ReadModelChanges {
  project?: ProjectRow;
  job?: JobRow;
  tasks: Task[];
  timeline: TimelineEntry[];
  assets: AssetWrite[];
}
