// The project view and its parts, read from the read model. GET and the answer to a
// completed task use the same code, so they always have the same shape.
import { and, asc, eq, getTableColumns, inArray, type Table } from 'drizzle-orm';
import type { Database, Db } from '../db';
import { jobs, projects, tasks, timeline } from '../db/schema';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../workflows/errors';
import { customerStatusExpression, type CustomerStatus } from './customer-status';
import { taskType } from '../workflows/tasks/catalogue';
import type { Task } from '../workflows/tasks/definitions';

/** A project row, with its customer-facing status when the query computed it. */
type ProjectRow = typeof projects.$inferSelect & { customerStatus?: CustomerStatus };
type TaskRow = typeof tasks.$inferSelect;
type JobRow = typeof jobs.$inferSelect;

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : undefined);
const defined = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

export function taskView(row: TaskRow) {
  return defined({
    id: row.id,
    projectId: row.projectId,
    jobId: row.jobId ?? undefined,
    type: row.type,
    title: taskType(row.type)?.title ?? row.type,
    stage: row.stage,
    status: row.status as 'open' | 'done' | 'cancelled',
    assignee: row.assignee ?? undefined,
    claimedBy: row.claimedBy ?? undefined,
    claimedAt: iso(row.claimedAt),
    dueAt: iso(row.dueAt),
    createdAt: row.createdAt.toISOString(),
    completedAt: iso(row.completedAt),
    completedBy: row.completedBy ?? undefined,
    payload: (row.payload as Record<string, unknown> | null) ?? undefined,
  });
}

/** A task as the workflow answered it, in the same shape as `taskView`. */
export function taskFromWorkflow(task: Task) {
  return defined({
    id: task.id,
    projectId: task.projectId,
    jobId: task.jobId,
    type: task.type,
    title: taskType(task.type)?.title ?? task.type,
    stage: task.stage,
    status: task.status,
    assignee: task.assignee,
    dueAt: task.dueAt,
    createdAt: task.createdAt,
    completedAt: task.completedAt,
    completedBy: task.completedBy,
    payload: task.payload,
  });
}

/** A task row back in the workflow's shape. */
export function taskRowToTask(row: TaskRow): Task {
  return defined({
    id: row.id,
    projectId: row.projectId,
    jobId: row.jobId ?? undefined,
    workflowId: row.workflowId,
    type: row.type,
    stage: row.stage,
    status: row.status as Task['status'],
    assignee: row.assignee ?? undefined,
    dueAt: iso(row.dueAt),
    createdAt: row.createdAt.toISOString(),
    payload: (row.payload as Record<string, unknown> | null) ?? undefined,
    completedBy: row.completedBy ?? undefined,
    completedAt: iso(row.completedAt),
    completionKey: row.completionKey ?? undefined,
  }) as Task;
}

/** The workflow refused because the task is no longer open or the project closed, or the workflow has closed. */
export function isClosedOrNotOpen(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return false;
  return err.cause.type === ErrorType.TaskNotOpen || err.cause.type === ErrorType.ProjectClosed;
}

export function jobView(row: JobRow) {
  return defined({
    id: row.id,
    type: row.type,
    sequence: row.sequence,
    status: row.status as 'open' | 'done',
    outcome: row.outcome ?? undefined,
    scheduledStart: iso(row.scheduledStart),
    scheduledEnd: iso(row.scheduledEnd),
    installerId: row.installerId ?? undefined,
    workflowId: row.workflowId,
  });
}

export type ProjectView = ReturnType<typeof assemble>;

function assemble(row: ProjectRow, openTasks: TaskRow[], jobRows: JobRow[]) {
  return {
    ...defined({
      id: row.id,
      kind: row.kind as 'sales' | 'service',
      title: row.title ?? undefined,
      stage: row.stage,
      status: row.status,
      customerStatus: row.customerStatus,
      outcome: row.outcome ?? undefined,
      customerId: row.customerId,
      siteId: row.siteId,
      workflowId: row.workflowId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }),
    openTasks: openTasks.map(taskView),
    jobs: jobRows.map(jobView),
  };
}

/** Views for many projects with two more queries, not two per project. */
export async function projectViews(db: Db, rows: ProjectRow[]): Promise<ProjectView[]> {
  if (!rows.length) return [];
  const ids = rows.map((row) => row.id);
  const [openTasks, jobRows] = await Promise.all([
    db.select().from(tasks).where(and(inArray(tasks.projectId, ids), eq(tasks.status, 'open'))).orderBy(asc(tasks.createdAt), asc(tasks.id)),
    db.select().from(jobs).where(inArray(jobs.projectId, ids)).orderBy(asc(jobs.sequence)),
  ]);
  return rows.map((row) =>
    assemble(
      row,
      openTasks.filter((task) => task.projectId === row.id),
      jobRows.filter((job) => job.projectId === row.id),
    ),
  );
}

type Queries = Pick<Database, 'query'>;

export async function projectView(database: Queries, id: string): Promise<ProjectView | undefined> {
  return (await projectViewWithTask(database, id)).project;
}

// The statements below run on every completion, so their text is fixed (prepared once
// per connection on PostgreSQL) and rows come back as JSON, mapped as drizzle maps them.
const VIEW_WITH_TASK = `SELECT
  (SELECT row_to_json(p) FROM projects p WHERE p.id = $1) AS project,
  (SELECT ${customerStatusExpression('p')} FROM projects p WHERE p.id = $1) AS customer_status,
  (SELECT coalesce(json_agg(t ORDER BY t.created_at, t.id), '[]'::json) FROM tasks t WHERE t.project_id = $1 AND t.status = 'open') AS open_tasks,
  (SELECT coalesce(json_agg(j ORDER BY j.sequence), '[]'::json) FROM jobs j WHERE j.project_id = $1) AS jobs,
  (SELECT row_to_json(t) FROM tasks t WHERE t.id = $2) AS task`;

/**
 * One project's view, and one task if asked, in a single statement: one round trip
 * instead of four, which is most of what answering a completed task costs.
 */
export async function projectViewWithTask(database: Queries, projectId: string, taskId?: string): Promise<{ project?: ProjectView; task?: TaskRow }> {
  const [row] = await database.query<{ project: unknown; customer_status: CustomerStatus | null; open_tasks: unknown[]; jobs: unknown[]; task: unknown }>(
    VIEW_WITH_TASK,
    [projectId, taskId ?? null],
    'fieldflow_project_view',
  );
  const project = row?.project ? { ...fromJson<ProjectRow>(projects, row.project), ...(row.customer_status ? { customerStatus: row.customer_status } : {}) } : undefined;
  return {
    project: project && assemble(project, row!.open_tasks.map((task) => fromJson<TaskRow>(tasks, task)), row!.jobs.map((job) => fromJson<JobRow>(jobs, job))),
    task: row?.task ? fromJson<TaskRow>(tasks, row.task) : undefined,
  };
}

/** One task's row, or undefined. */
export async function findTaskRow(database: Queries, id: string): Promise<TaskRow | undefined> {
  const [row] = await database.query<{ task: unknown }>('SELECT row_to_json(t) AS task FROM tasks t WHERE t.id = $1', [id], 'fieldflow_find_task');
  return row ? fromJson<TaskRow>(tasks, row.task) : undefined;
}

/** A row as `row_to_json` gives it (column names, timestamps as text) mapped as drizzle maps it. */
function fromJson<T>(table: Table, json: unknown): T {
  const source = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = source[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T;
}

// --- projections: what each kind of reader gets ---------------------------------------
// Staff get the views above. An installer gets the field-work view of a project they
// work on: only their jobs and the tasks of those. A customer gets the customer
// projection: their case's stage and status, the jobs' dates, and no assignees, task
// payloads, workflow ids or installers.

type TaskOut = ReturnType<typeof taskView>;
type JobOut = ReturnType<typeof jobView>;
interface Reader {
  id: string;
  role: string;
}
const STAFF_READERS = ['admin', 'supervisor', 'ops'];

const customerTask = (task: TaskOut) => defined({ id: task.id, projectId: task.projectId, type: task.type, title: task.title, stage: task.stage, status: task.status, dueAt: task.dueAt, createdAt: task.createdAt });
const customerJob = (job: JobOut) => defined({ id: job.id, type: job.type, sequence: job.sequence, status: job.status, outcome: job.outcome, scheduledStart: job.scheduledStart });

export function projectViewFor(reader: Reader, view: ProjectView) {
  if (STAFF_READERS.includes(reader.role)) return view;
  if (reader.role === 'installer') {
    const jobIds = new Set(view.jobs.filter((job) => job.installerId === reader.id).map((job) => job.id));
    return {
      ...view,
      openTasks: view.openTasks.filter((task) => task.assignee === reader.id || (task.assignee === 'group:installer' && task.jobId !== undefined && jobIds.has(task.jobId))),
      jobs: view.jobs.filter((job) => jobIds.has(job.id)),
    };
  }
  const { workflowId: _workflowId, ...rest } = view;
  return { ...rest, openTasks: view.openTasks.map(customerTask), jobs: view.jobs.map(customerJob) };
}

/** What an installer sees of a project with a job on offer: the job, its accept task, the site and its address. */
export function offerView(view: ProjectView, siteAddress?: string) {
  const offers = view.jobs.filter((job) => job.status === 'open' && !job.installerId);
  const ids = new Set(offers.map((job) => job.id));
  return defined({
    id: view.id,
    kind: view.kind,
    title: view.title,
    stage: view.stage,
    status: view.status,
    customerStatus: view.customerStatus,
    customerId: view.customerId,
    siteId: view.siteId,
    siteAddress,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    openTasks: view.openTasks.filter((task) => task.type === 'accept_schedule_job' && task.jobId !== undefined && ids.has(task.jobId)),
    jobs: offers,
  });
}

type TimelineRow = typeof timeline.$inferSelect;

/** The kinds of timeline entry a customer follows: the case, not the office's work on it. */
export const CUSTOMER_TIMELINE_KINDS = ['project', 'stage', 'job', 'case_message'] as const;

/** What a customer may know of a job a timeline entry is about. */
export interface JobLabel {
  type: string;
  sequence: number;
}

const words = (value: unknown) => (typeof value === 'string' && /^[a-z_]{1,40}$/.test(value) ? value.replace(/_/g, ' ') : undefined);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A customer-facing text for an entry, built from its kind and an allowlist of its data
 * (stage from/to, outcome, job type and sequence), never from its free-text summary:
 * summaries name installers and carry a supervisor's reasons and internal failures.
 */
export function customerSummary(row: Pick<TimelineRow, 'kind' | 'data' | 'jobId' | 'summary'>, job?: JobLabel): string | undefined {
  const data = (row.data ?? {}) as Record<string, unknown>;
  switch (row.kind) {
    case 'project':
      if ('reason' in data) return 'Case cancelled';
      // Only the entry that opened the case: the others (the design tool's calls, a job not
      // carried out, an invoice draft) are the office's. Its summary is read to classify it, never shown.
      return / project created$/.test(row.summary) ? 'Case opened' : undefined;
    case 'stage': {
      const outcome = words(data.outcome);
      if (outcome) return `Case closed: ${outcome}`;
      const to = words(data.to);
      const from = words(data.from);
      return to ? (from && from !== to ? `Stage ${from} → ${to}` : `Stage ${to}`) : 'Stage changed';
    }
    case 'job': {
      const type = words(job?.type) ?? words(data.jobType);
      const name = capitalised(`${type ? `${type} ` : ''}job${job ? ` ${job.sequence}` : ''}`);
      if ('installerId' in data) return `${name}: an installer is assigned`;
      const outcome = words(data.outcome);
      if (outcome) return `${name} finished: ${outcome}`;
      if ('jobType' in data) return `${name} created`;
      // Field work (trips, lines, confirmations, work orders) is the office's and the field's.
      return undefined;
    }
    case 'case_message': {
      // The thread is the customer's own conversation with the office: its excerpt is theirs to read.
      const author = typeof data.authorName === 'string' && data.authorName ? data.authorName : data.from === 'customer' ? 'the customer' : 'the office';
      const excerpt = typeof data.excerpt === 'string' ? data.excerpt : '';
      return excerpt ? `Message from ${author}: ${excerpt}` : `Message from ${author}`;
    }
    default:
      return undefined;
  }
}

/**
 * Timeline entries as a reader may see them (`installerJobIds`: the jobs of an installer;
 * `jobLabels`: type and sequence of the project's jobs, for customers' texts).
 */
export function timelineFor(reader: Reader, rows: TimelineRow[], installerJobIds: Set<string> = new Set(), jobLabels: Map<string, JobLabel> = new Map()) {
  const staff = STAFF_READERS.includes(reader.role);
  const customer = !staff && reader.role !== 'installer';
  return rows
    .filter((row) => {
      if (staff) return true;
      if (reader.role === 'installer') return row.jobId !== null && installerJobIds.has(row.jobId);
      // Customers follow the case, not the office's work on it.
      return (CUSTOMER_TIMELINE_KINDS as readonly string[]).includes(row.kind) && customerSummary(row, row.jobId ? jobLabels.get(row.jobId) : undefined) !== undefined;
    })
    .map((row) => ({
      id: row.id,
      projectId: row.projectId,
      ...(row.jobId && staff ? { jobId: row.jobId } : row.jobId && reader.role === 'installer' ? { jobId: row.jobId } : {}),
      at: row.at.toISOString(),
      kind: row.kind,
      actor: staff || row.actorId === reader.id || !row.actorId || row.actorId === 'system' ? { id: row.actorId ?? 'system', role: row.actorRole ?? 'system' } : { id: row.actorRole ?? 'staff', role: row.actorRole ?? 'staff' },
      summary: customer ? customerSummary(row, row.jobId ? jobLabels.get(row.jobId) : undefined)! : row.summary,
      // Payloads (task answers, notes, raw events) are for staff only.
      ...(row.data && staff ? { data: row.data } : {}),
    }));
}
