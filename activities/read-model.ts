// Writes what a workflow changed into the read model, in one transaction. Every row has
// an id the workflow made, so every write is an upsert and a retried call changes nothing.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { assets, jobs, projects, tasks, timeline } from '../db/schema';
import type { ReadModelChanges } from '../workflows/tasks/definitions';

const date = (value: string | undefined) => (value ? new Date(value) : null);
const excluded = (column: string) => sql.raw(`excluded.${column}`);

/** Consoles follow this channel (through GET /stream) to show changes live. */
export const CHANGES_CHANNEL = 'fieldflow_changes';

export interface ChangeNotice {
  projectId: string;
  jobId?: string;
  stage?: string;
  taskIds: string[];
}

export function createReadModelActivities({ db }: { db: Db }) {
  return {
    async applyReadModelChanges(changes: ReadModelChanges): Promise<void> {
      // One statement: every write is a data-modifying CTE, so the batch is one round trip
      // and one implicit transaction (foreign keys are checked at the end of the statement).
      const parts: SQL[] = [];
      const { project, job } = changes;
      if (project) {
        parts.push(sql`${db
          .insert(projects)
          .values({ ...project, title: project.title ?? null, outcome: project.outcome ?? null, closedAt: date(project.closedAt) })
          .onConflictDoUpdate({
            target: projects.id,
            set: { stage: excluded('stage'), status: excluded('status'), outcome: excluded('outcome'), title: excluded('title'), closedAt: excluded('closed_at'), updatedAt: sql`now()` },
          })}`);
      }
      if (job) {
        parts.push(sql`${db
          .insert(jobs)
          .values({ ...job, outcome: job.outcome ?? null, scheduledStart: date(job.scheduledStart), installerId: job.installerId ?? null, completedAt: date(job.completedAt) })
          .onConflictDoUpdate({
            target: jobs.id,
            set: { status: excluded('status'), outcome: excluded('outcome'), scheduledStart: excluded('scheduled_start'), installerId: excluded('installer_id'), completedAt: excluded('completed_at') },
          })}`);
      }
      if (changes.tasks.length) {
        parts.push(sql`${db
          .insert(tasks)
          .values(
            changes.tasks.map((task) => ({
              id: task.id,
              projectId: task.projectId,
              jobId: task.jobId ?? null,
              workflowId: task.workflowId,
              type: task.type,
              stage: task.stage,
              status: task.status,
              assignee: task.assignee ?? null,
              dueAt: date(task.dueAt),
              payload: task.payload ?? null,
              completedBy: task.completedBy ?? null,
              completedAt: date(task.completedAt),
              createdAt: new Date(task.createdAt),
            })),
          )
          .onConflictDoUpdate({
            target: tasks.id,
            set: { status: excluded('status'), assignee: excluded('assignee'), dueAt: excluded('due_at'), payload: excluded('payload'), completedBy: excluded('completed_by'), completedAt: excluded('completed_at') },
          })}`);
      }
      if (changes.timeline.length) {
        parts.push(sql`${db
          .insert(timeline)
          .values(
            changes.timeline.map((entry) => ({
              id: entry.id,
              projectId: entry.projectId,
              jobId: entry.jobId ?? null,
              at: new Date(entry.at),
              kind: entry.kind,
              actorId: entry.actor.id,
              actorRole: entry.actor.role,
              summary: entry.summary,
              data: entry.data ?? null,
            })),
          )
          .onConflictDoNothing({ target: timeline.id })}`);
      }
      if (changes.assets.length) {
        parts.push(sql`${db
          .insert(assets)
          .values(changes.assets.map((asset) => ({ id: asset.id, siteId: asset.siteId, make: asset.make, model: asset.model, serial: asset.serial, updatedByTaskId: asset.taskId })))
          .onConflictDoUpdate({ target: assets.id, set: { make: excluded('make'), model: excluded('model'), serial: excluded('serial'), updatedByTaskId: excluded('updated_by_task_id') } })}`);
      }
      // Delivered on commit only, so listeners never see a change the database lacks.
      const projectId = project?.id ?? job?.projectId ?? changes.tasks[0]?.projectId ?? changes.timeline[0]?.projectId;
      const notice: ChangeNotice | undefined = projectId
        ? { projectId, ...(job ? { jobId: job.id } : {}), ...(project ? { stage: project.stage } : {}), taskIds: changes.tasks.map((task) => task.id) }
        : undefined;
      if (!parts.length && !notice) return;
      const ctes = sql.join(parts.map((part, index) => sql`${sql.raw(`w${index}`)} AS ${part}`), sql`, `);
      const tail = notice ? sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})` : sql`SELECT 1`;
      await db.execute(parts.length ? sql`WITH ${ctes} ${tail}` : tail);
    },
  };
}

export type ReadModelActivities = ReturnType<typeof createReadModelActivities>;
