// Writes what a workflow changed into the read model. Every row has an id the workflow
// made, so every write is an upsert and a retried call changes nothing.
import type { Database } from '../db';
import type { ReadModelChanges } from '../workflows/tasks/definitions';

/** Consoles follow this channel (through GET /stream) to show changes live. */
export const CHANGES_CHANNEL = 'fieldflow_changes';

export interface ChangeNotice {
  projectId: string;
  jobId?: string;
  stage?: string;
  taskIds: string[];
}

// The whole batch is one statement with one JSON parameter: every write is a
// data-modifying CTE reading its rows from the JSON (keys as the workflow names them),
// so a batch is one round trip and one implicit transaction, and foreign keys are
// checked at the end of the statement. The text never changes, so PostgreSQL keeps it
// prepared per connection and no query is built per call (building the inserts with
// drizzle was a tenth of the worker's main thread under load).
const APPLY_CHANGES = `
WITH batch AS (SELECT $1::jsonb AS b),
w_projects AS (
  INSERT INTO projects (id, kind, title, stage, status, outcome, customer_id, site_id, workflow_id, created_by, closed_at)
  SELECT x.id, x.kind, x.title, x.stage, x.status, x.outcome, x."customerId", x."siteId", x."workflowId", x."createdBy", x."closedAt"
  FROM batch, jsonb_to_recordset(batch.b->'projects') AS x(id text, kind text, title text, stage text, status text, outcome text,
    "customerId" text, "siteId" text, "workflowId" text, "createdBy" text, "closedAt" timestamptz)
  ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, status = excluded.status, outcome = excluded.outcome,
    title = excluded.title, closed_at = excluded.closed_at, updated_at = now()
),
w_jobs AS (
  INSERT INTO jobs (id, project_id, workflow_id, type, sequence, status, outcome, scheduled_start, installer_id, completed_at)
  SELECT x.id, x."projectId", x."workflowId", x.type, x.sequence, x.status, x.outcome, x."scheduledStart", x."installerId", x."completedAt"
  FROM batch, jsonb_to_recordset(batch.b->'jobs') AS x(id text, "projectId" text, "workflowId" text, type text, sequence integer,
    status text, outcome text, "scheduledStart" timestamptz, "installerId" text, "completedAt" timestamptz)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, scheduled_start = excluded.scheduled_start,
    installer_id = excluded.installer_id, completed_at = excluded.completed_at
),
w_tasks AS (
  INSERT INTO tasks (id, project_id, job_id, workflow_id, type, stage, status, assignee, due_at, payload, completed_by, completed_at, created_at)
  SELECT x.id, x."projectId", x."jobId", x."workflowId", x.type, x.stage, x.status, x.assignee, x."dueAt", x.payload, x."completedBy", x."completedAt", x."createdAt"
  FROM batch, jsonb_to_recordset(batch.b->'tasks') AS x(id text, "projectId" text, "jobId" text, "workflowId" text, type text, stage text,
    status text, assignee text, "dueAt" timestamptz, payload jsonb, "completedBy" text, "completedAt" timestamptz, "createdAt" timestamptz)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, due_at = excluded.due_at,
    payload = excluded.payload, completed_by = excluded.completed_by, completed_at = excluded.completed_at
),
w_timeline AS (
  INSERT INTO timeline (id, project_id, job_id, at, kind, actor_id, actor_role, summary, data)
  SELECT x.id, x."projectId", x."jobId", x.at, x.kind, x.actor->>'id', x.actor->>'role', x.summary, x.data
  FROM batch, jsonb_to_recordset(batch.b->'timeline') AS x(id text, "projectId" text, "jobId" text, at timestamptz, kind text,
    actor jsonb, summary text, data jsonb, ord integer)
  ORDER BY x.ord
  ON CONFLICT (id) DO NOTHING
),
w_assets AS (
  INSERT INTO assets (id, site_id, make, model, serial, updated_by_task_id)
  SELECT x.id, x."siteId", x.make, x.model, x.serial, x."taskId"
  FROM batch, jsonb_to_recordset(batch.b->'assets') AS x(id text, "siteId" text, make text, model text, serial text, "taskId" text)
  ON CONFLICT (id) DO UPDATE SET make = excluded.make, model = excluded.model, serial = excluded.serial,
    updated_by_task_id = excluded.updated_by_task_id
)
SELECT pg_notify('${CHANGES_CHANNEL}', $2::text) WHERE $2::text IS NOT NULL`;

export function createReadModelActivities({ database }: { database: Pick<Database, 'query'> }) {
  return {
    async applyReadModelChanges(changes: ReadModelChanges): Promise<void> {
      const { project, job } = changes;
      const batch = {
        projects: project ? [project] : [],
        jobs: job ? [job] : [],
        tasks: changes.tasks,
        // The timeline's seq column keeps the order entries were written in.
        timeline: changes.timeline.map((entry, ord) => ({ ...entry, ord })),
        assets: changes.assets,
      };
      // Delivered on commit only, so listeners never see a change the database lacks.
      const projectId = project?.id ?? job?.projectId ?? changes.tasks[0]?.projectId ?? changes.timeline[0]?.projectId;
      const notice: ChangeNotice | undefined = projectId
        ? { projectId, ...(job ? { jobId: job.id } : {}), ...(project ? { stage: project.stage } : {}), taskIds: changes.tasks.map((task) => task.id) }
        : undefined;
      await database.query(APPLY_CHANGES, [JSON.stringify(batch), notice ? JSON.stringify(notice) : null], 'fieldflow_apply_changes');
    },
  };
}

export type ReadModelActivities = ReturnType<typeof createReadModelActivities>;
