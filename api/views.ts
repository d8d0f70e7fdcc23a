// The project view and its parts, read from the read model. GET and the answer to a
// completed task use the same code, so they always have the same shape.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { jobs, projects, tasks } from '../db/schema';
import { taskType } from '../workflows/tasks/catalogue';

type ProjectRow = typeof projects.$inferSelect;
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
    dueAt: iso(row.dueAt),
    createdAt: row.createdAt.toISOString(),
    completedAt: iso(row.completedAt),
    completedBy: row.completedBy ?? undefined,
    payload: (row.payload as Record<string, unknown> | null) ?? undefined,
  });
}

export function jobView(row: JobRow) {
  return defined({
    id: row.id,
    type: row.type,
    sequence: row.sequence,
    status: row.status as 'open' | 'done',
    outcome: row.outcome ?? undefined,
    scheduledStart: iso(row.scheduledStart),
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

export async function projectView(db: Db, id: string): Promise<ProjectView | undefined> {
  const [row] = await db.select().from(projects).where(eq(projects.id, id));
  return row ? (await projectViews(db, [row]))[0] : undefined;
}
