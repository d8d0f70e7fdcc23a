// The open tasks of one owner (a project or a job): open them with deterministic ids and
// a due time, check a completion in the update validator, apply it in the handler, and
// remind and escalate when a task passes its due time.
import { ApplicationFailure } from '@temporalio/workflow';
import { ErrorType } from '../errors';
import { parseTaskPayload, taskTypes, type TaskTypeName } from './catalogue';
import type { Actor, CompleteTaskRequest, Task } from './definitions';
import type { Deadlines } from './deadlines';
import type { Deadline, LedgerState } from './ledger';
import type { Outbox, Owner } from './outbox';

export interface TaskPolicy {
  taskDueAfterMs: number;
  /** After a task's due time, how long until it is escalated to the supervisors. */
  taskEscalateAfterMs: number;
}

const SYSTEM: Actor = { id: 'system', role: 'system' };
const RECENT = 20;
const PEOPLE = new Set(['admin', 'supervisor', 'ops', 'installer', 'customer']);
const iso = (ms: number) => new Date(ms).toISOString();

const refuse = (type: ErrorType, message: string, details?: unknown[]) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, ...(details ? { details } : {}) });

export class TaskBook {
  constructor(
    private readonly ledger: LedgerState,
    private readonly owner: Owner,
    private readonly outbox: Outbox,
    private readonly deadlines: Deadlines,
    private readonly policy: TaskPolicy,
  ) {}

  get open(): readonly Task[] {
    return this.ledger.open;
  }

  openOfType(type: TaskTypeName): Task | undefined {
    return this.ledger.open.find((task) => task.type === type);
  }

  /** Opens a task, due after the policy's time unless `dueAt` (epoch ms) says otherwise. */
  create(type: TaskTypeName, stage: string, assignee?: string, dueAt?: number): Task {
    const now = Date.now();
    const due = dueAt ?? now + this.policy.taskDueAfterMs;
    const task: Task = {
      id: `${this.owner.idPrefix}-t${++this.ledger.taskSeq}`,
      projectId: this.owner.projectId,
      ...(this.owner.jobId ? { jobId: this.owner.jobId } : {}),
      workflowId: this.owner.workflowId,
      type,
      stage,
      status: 'open',
      assignee: assignee ?? `group:${taskTypes[type].group}`,
      dueAt: iso(due),
      createdAt: iso(now),
    };
    this.ledger.open.push(task);
    this.outbox.task(task);
    this.deadlines.set({ id: `${task.id}:due`, at: due, kind: 'task.overdue', ref: task.id, summary: `${taskTypes[type].title} due` });
    return task;
  }

  /** A keyed completion this owner already applied (Temporal forgets update ids at continue-as-new). */
  answered(request: CompleteTaskRequest): Task | undefined {
    if (!request.updateId) return undefined;
    return this.ledger.recent.find((task) => task.id === request.taskId && task.completionKey === request.updateId);
  }

  /**
   * The update validator's check: throws, rejecting the update before it reaches history,
   * unless the task is open here, the actor may do it and the payload fits its type. The
   * handler applies the payload as given and never parses it again, so replay does not
   * depend on today's schemas.
   */
  check(request: CompleteTaskRequest): void {
    if (this.answered(request)) return;
    const task = this.ledger.open.find((candidate) => candidate.id === request.taskId);
    if (!task) throw refuse(ErrorType.TaskNotOpen, `task ${request.taskId} is not open`);
    this.checkActor(task, request.actor);
    const parsed = parseTaskPayload(task.type, request.payload);
    if (!parsed.ok) throw refuse(ErrorType.InvalidPayload, `payload does not fit ${task.type}`, [parsed.errors]);
  }

  /** Defence in depth behind the API: the role may do this type, and an installer only their own work. */
  private checkActor(task: Task, actor: Actor): void {
    if (!PEOPLE.has(actor.role)) throw refuse(ErrorType.NotAllowed, `a ${actor.role} cannot complete tasks`);
    if (!taskTypes[task.type as TaskTypeName].roles.includes(actor.role as never)) {
      throw refuse(ErrorType.NotAllowed, `a ${actor.role} may not complete ${task.type} tasks`);
    }
    if (actor.role !== 'installer' || task.assignee === actor.id) return;
    // An unassigned job is an offer: any installer may accept it, and so becomes its installer.
    if (task.type === 'accept_schedule_job' && task.assignee === 'group:installer') return;
    throw refuse(ErrorType.NotAllowed, 'this task is assigned to someone else');
  }

  /** Closes an open task with its payload and records who did it. Returns the task as it is now done. */
  complete(request: CompleteTaskRequest): Task {
    const index = this.ledger.open.findIndex((task) => task.id === request.taskId);
    if (index < 0) throw refuse(ErrorType.TaskNotOpen, `task ${request.taskId} is not open`);
    const done: Task = {
      ...this.ledger.open[index],
      status: 'done',
      payload: request.payload,
      completedBy: request.actor.id,
      completedAt: iso(Date.now()),
      ...(request.updateId ? { completionKey: request.updateId } : {}),
    };
    this.ledger.open.splice(index, 1);
    this.ledger.recent = [...this.ledger.recent, done].slice(-RECENT);
    this.deadlines.clear((deadline) => deadline.ref === done.id);
    this.outbox.task(done);
    this.outbox.timeline('task', request.actor, `${taskTypes[done.type as TaskTypeName].title} completed`, {
      taskId: done.id,
      type: done.type,
      payload: request.payload,
    });
    return done;
  }

  /** Closes tasks nobody needs to do any more (the project moved on or closed). */
  cancel(predicate: (task: Task) => boolean): void {
    for (const task of this.ledger.open.filter(predicate)) {
      this.outbox.task({ ...task, status: 'cancelled', completedAt: iso(Date.now()) });
      this.deadlines.clear((deadline) => deadline.ref === task.id);
    }
    this.ledger.open = this.ledger.open.filter((task) => !predicate(task));
  }

  /** Hands open tasks to someone else (a claimed or reassigned job). */
  reassign(predicate: (task: Task) => boolean, assignee: string): void {
    this.ledger.open = this.ledger.open.map((task) => {
      if (!predicate(task) || task.assignee === assignee) return task;
      const moved = { ...task, assignee };
      this.outbox.task(moved);
      return moved;
    });
  }

  /** Moves open tasks' due time (their appointment moved): reminder and escalation count again from it. */
  redue(predicate: (task: Task) => boolean, dueAt: number): void {
    this.ledger.open = this.ledger.open.map((task) => {
      if (!predicate(task) || task.dueAt === iso(dueAt)) return task;
      const { overdueAt: _overdue, escalatedAt: _escalated, ...rest } = task;
      const moved: Task = { ...rest, dueAt: iso(dueAt) };
      this.deadlines.clear((deadline) => deadline.ref === task.id);
      this.deadlines.set({ id: `${task.id}:due`, at: dueAt, kind: 'task.overdue', ref: task.id, summary: `${taskTypes[task.type as TaskTypeName].title} due` });
      this.outbox.task(moved);
      return moved;
    });
  }

  /**
   * A task deadline came. Overdue: the assignee is reminded and the escalation clock
   * starts. Escalated: the supervisors hear of it. Returns false for deadlines that are
   * not about tasks.
   */
  onDeadline(deadline: Deadline): boolean {
    if (deadline.kind !== 'task.overdue' && deadline.kind !== 'task.escalate') return false;
    const index = this.ledger.open.findIndex((task) => task.id === deadline.ref);
    if (index < 0) return true;
    const task = this.ledger.open[index];
    const title = taskTypes[task.type as TaskTypeName].title;
    const now = Date.now();
    if (deadline.kind === 'task.overdue') {
      this.ledger.open[index] = { ...task, overdueAt: iso(now) };
      this.outbox.timeline('task', SYSTEM, `${title} is overdue`, { taskId: task.id, dueAt: task.dueAt });
      this.outbox.notify({ taskId: task.id, recipient: task.assignee ?? 'group:ops', kind: 'task.overdue', summary: `${title} is overdue` });
      this.deadlines.set({ id: `${task.id}:escalate`, at: now + this.policy.taskEscalateAfterMs, kind: 'task.escalate', ref: task.id, summary: `Escalate ${title}` });
    } else {
      this.ledger.open[index] = { ...task, escalatedAt: iso(now) };
      this.outbox.timeline('task', SYSTEM, `${title} escalated to the supervisors`, { taskId: task.id });
      this.outbox.notify({ taskId: task.id, recipient: 'group:supervisor', kind: 'task.escalated', summary: `${title} is still not done` });
    }
    this.outbox.task(this.ledger.open[index]);
    return true;
  }
}
