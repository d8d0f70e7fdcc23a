// Writes what a workflow changed into the read model. Every row has an id the workflow
// made, so every write is an upsert and a retried call changes nothing; every row carries
// its writer's revision, so a late attempt never puts older state back.
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db';
import { ErrorType } from '../workflows/errors';
import type { ReadModelChanges } from '../workflows/tasks/definitions';
import { FIRST_MATCHING_RULE, ROUTED_FROM, ROUTED_RECIPIENT } from './routing';

/** Consoles follow this channel (through GET /stream) to show changes live. */
export const CHANGES_CHANNEL = 'fieldflow_changes';

export interface ChangeNotice {
  projectId: string;
  jobId?: string;
  stage?: string;
  /** Left out when there are too many to fit a NOTIFY payload (8000 bytes). */
  taskIds?: string[];
  /** A new message in the job channel (written by the API, not the read-model activity). */
  messageId?: string;
  /** A new message in a case's thread, between the customer and the office (api/case-thread.ts). */
  caseMessageId?: string;
  /** The batch brought notifications: consoles refresh their notification count. */
  notified?: true;
}

/** Well under PostgreSQL's 8000-byte NOTIFY limit. */
export const MAX_NOTICE_BYTES = 2000;

// The whole batch is one statement with one JSON parameter: every write is a
// data-modifying CTE reading its rows from the JSON (keys as the workflow names them),
// so a batch is one round trip and one implicit transaction, and foreign keys are
// checked at the end of the statement. The text never changes, so PostgreSQL keeps it
// prepared per connection. `test/unit/read-model-sql.test.ts` checks every column named
// here against the drizzle schema.
export const APPLY_CHANGES = `
WITH batch AS (SELECT $1::jsonb AS b, ($1::jsonb->>'revision')::bigint AS rev),
w_projects AS (
  INSERT INTO projects (id, kind, title, stage, status, outcome, customer_id, site_id, workflow_id, created_by, closed_at, revision)
  SELECT x.id, x.kind, x.title, x.stage, x.status, x.outcome, x."customerId", x."siteId", x."workflowId", x."createdBy", x."closedAt", batch.rev
  FROM batch, jsonb_to_recordset(batch.b->'projects') AS x(id text, kind text, title text, stage text, status text, outcome text,
    "customerId" text, "siteId" text, "workflowId" text, "createdBy" text, "closedAt" timestamptz)
  ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, status = excluded.status, outcome = excluded.outcome,
    title = excluded.title, closed_at = excluded.closed_at, updated_at = now(), revision = excluded.revision
  WHERE projects.revision <= excluded.revision
),
w_jobs AS (
  INSERT INTO jobs (id, project_id, workflow_id, type, sequence, status, outcome, scheduled_start, scheduled_end, installer_id, completed_at,
    trip_started_at, trips, protocol, revision)
  SELECT x.id, x."projectId", x."workflowId", x.type, x.sequence, x.status, x.outcome, x."scheduledStart", x."scheduledEnd", x."installerId", x."completedAt",
    x."tripStartedAt", x.trips, x.protocol, batch.rev
  FROM batch, jsonb_to_recordset(batch.b->'jobs') AS x(id text, "projectId" text, "workflowId" text, type text, sequence integer,
    status text, outcome text, "scheduledStart" timestamptz, "scheduledEnd" timestamptz, "installerId" text, "completedAt" timestamptz,
    "tripStartedAt" timestamptz, trips jsonb, protocol jsonb)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, scheduled_start = excluded.scheduled_start,
    scheduled_end = excluded.scheduled_end, installer_id = excluded.installer_id, completed_at = excluded.completed_at, trip_started_at = excluded.trip_started_at,
    trips = excluded.trips, protocol = excluded.protocol, revision = excluded.revision
  WHERE jobs.revision <= excluded.revision
),
w_tasks AS (
  INSERT INTO tasks (id, project_id, job_id, workflow_id, type, stage, status, assignee, due_at, payload, completed_by, completed_at,
    created_at, completion_key, overdue_at, escalated_at, template_version, routing_rule_id, revision)
  SELECT x.id, x."projectId", x."jobId", x."workflowId", x.type, x.stage, x.status, coalesce(route.target, x.assignee), x."dueAt", x.payload, x."completedBy",
    x."completedAt", x."createdAt", x."completionKey", x."overdueAt", x."escalatedAt",
    -- A checklist keeps the template version current when its row is first written (the
    -- update below leaves it alone), so a later edit never changes an open task's form.
    (SELECT max(ct.version) FROM checklist_templates ct WHERE ct.task_type = x.type),
    -- So does the responsibility rule (activities/routing.ts): a rule change reaches new tasks only.
    route.rule_id, batch.rev
  FROM batch CROSS JOIN jsonb_to_recordset(batch.b->'tasks') AS x(id text, "projectId" text, "jobId" text, "workflowId" text, type text, stage text,
    status text, assignee text, "dueAt" timestamptz, payload jsonb, "completedBy" text, "completedAt" timestamptz, "createdAt" timestamptz,
    "completionKey" text, "overdueAt" timestamptz, "escalatedAt" timestamptz)${FIRST_MATCHING_RULE}
  -- A late write of a job its project already closed (it was terminated) adds no rows.
  WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = x."jobId" AND j.status = 'done' AND j.revision > batch.rev)
  -- A routed row keeps its person or group; an unrouted one takes the workflow's assignee
  -- (not a rule's: the rules matched this attempt, not the first write).
  ON CONFLICT (id) DO UPDATE SET status = excluded.status,
    assignee = CASE WHEN tasks.routing_rule_id IS NOT NULL THEN tasks.assignee WHEN excluded.routing_rule_id IS NOT NULL THEN '${ROUTED_FROM}' ELSE excluded.assignee END,
    due_at = excluded.due_at,
    payload = excluded.payload, completed_by = excluded.completed_by, completed_at = excluded.completed_at,
    completion_key = excluded.completion_key, overdue_at = excluded.overdue_at, escalated_at = excluded.escalated_at,
    revision = excluded.revision
  WHERE tasks.revision <= excluded.revision
),
w_release AS (
  -- A closed project gives its site back (one active sales project per site).
  DELETE FROM site_reservations r
  USING batch, jsonb_to_recordset(batch.b->'projects') AS x(id text, outcome text)
  WHERE r.project_id = x.id AND x.outcome IS NOT NULL
),
w_timeline AS (
  INSERT INTO timeline (id, project_id, job_id, at, kind, actor_id, actor_role, summary, data)
  SELECT x.id, x."projectId", x."jobId", x.at, x.kind, x.actor->>'id', x.actor->>'role', x.summary, x.data
  FROM batch, jsonb_to_recordset(batch.b->'timeline') AS x(id text, "projectId" text, "jobId" text, at timestamptz, kind text,
    actor jsonb, summary text, data jsonb, ord integer)
  ORDER BY x.ord
  ON CONFLICT (id) DO NOTHING
),
incoming_assets AS (
  -- When each write happened: the completion time of the task in this batch that made it.
  SELECT x.*, coalesce(
      (SELECT t."completedAt" FROM jsonb_to_recordset(batch.b->'tasks') AS t(id text, "completedAt" timestamptz) WHERE t.id = x."taskId" LIMIT 1),
      now()) AS at
  FROM batch, jsonb_to_recordset(batch.b->'assets') AS x(id text, "siteId" text, make text, model text, serial text, "taskId" text)
),
w_assets AS (
  INSERT INTO assets (id, site_id, make, model, serial, installed_at, updated_by_task_id, revision)
  SELECT x.id, x."siteId", x.make, x.model, x.serial, x.at, x."taskId", batch.rev
  FROM batch, incoming_assets x
  ON CONFLICT (id) DO UPDATE SET make = excluded.make, model = excluded.model, serial = excluded.serial,
    installed_at = CASE WHEN assets.serial IS DISTINCT FROM excluded.serial THEN excluded.installed_at ELSE assets.installed_at END,
    replaced_at = CASE WHEN assets.serial IS NOT NULL AND assets.serial IS DISTINCT FROM excluded.serial THEN excluded.installed_at ELSE assets.replaced_at END,
    updated_by_task_id = excluded.updated_by_task_id, revision = excluded.revision
  WHERE assets.revision <= excluded.revision AND assets.site_id = excluded.site_id
),
w_asset_history AS (
  -- A step of lineage when a position is new or gets another serial, under the same
  -- guards as the asset's own write (the statement sees the asset as it was before).
  INSERT INTO asset_history (id, asset_id, site_id, make, model, serial, previous_serial, task_id, at, revision)
  SELECT x.id || '@' || x."taskId", x.id, x."siteId", x.make, x.model, x.serial, prev.serial, x."taskId", x.at, batch.rev
  FROM batch, incoming_assets x
  LEFT JOIN assets prev ON prev.id = x.id
  WHERE prev.id IS NULL OR (prev.site_id = x."siteId" AND prev.revision <= batch.rev AND prev.serial IS DISTINCT FROM x.serial)
  ON CONFLICT (id) DO NOTHING
),
w_notifications AS (
  INSERT INTO notifications (id, project_id, task_id, recipient, kind, summary, at)
  SELECT x.id, x."projectId", x."taskId", ${ROUTED_RECIPIENT}, x.kind, x.summary, x.at
  FROM batch, jsonb_to_recordset(batch.b->'notifications') AS x(id text, "projectId" text, "taskId" text, recipient text, kind text,
    summary text, at timestamptz)
  ON CONFLICT (id) DO NOTHING
),
closed AS (
  SELECT x.* FROM batch, jsonb_to_recordset(batch.b->'closedJobs') AS x("jobId" text, "projectId" text, "workflowId" text, type text,
    sequence integer, outcome text, at timestamptz)
),
w_closed_jobs AS (
  INSERT INTO jobs (id, project_id, workflow_id, type, sequence, status, outcome, completed_at, revision)
  SELECT closed."jobId", closed."projectId", closed."workflowId", closed.type, closed.sequence, 'done', closed.outcome, closed.at, batch.rev
  FROM batch, closed
  ON CONFLICT (id) DO UPDATE SET status = 'done', outcome = excluded.outcome, completed_at = excluded.completed_at, revision = excluded.revision
  WHERE jobs.status <> 'done' AND jobs.revision <= excluded.revision
),
w_closed_tasks AS (
  UPDATE tasks SET status = 'cancelled', completed_at = closed.at, revision = batch.rev
  FROM batch, closed
  WHERE tasks.job_id = closed."jobId" AND tasks.status = 'open' AND tasks.revision <= batch.rev
)
SELECT pg_notify('${CHANGES_CHANNEL}', $2::text) WHERE $2::text IS NOT NULL`;

/** SQLSTATE classes a retry will not heal: data exceptions, integrity constraints, syntax and schema. */
const PERMANENT = ['22', '23', '42'];

export function createReadModelActivities({ database }: { database: Pick<Database, 'query'> }) {
  return {
    async applyReadModelChanges(changes: ReadModelChanges): Promise<void> {
      const { project, job } = changes;
      const batch = {
        revision: changes.revision,
        projects: project ? [project] : [],
        jobs: job ? [job] : [],
        tasks: changes.tasks,
        // The timeline's seq column keeps the order entries were written in.
        timeline: changes.timeline.map((entry, ord) => ({ ...entry, ord })),
        assets: changes.assets,
        notifications: changes.notifications ?? [],
        closedJobs: changes.closedJobs ?? [],
      };
      try {
        await database.query(APPLY_CHANGES, [JSON.stringify(batch, withoutNul), notice(changes)], 'fieldflow_apply_changes');
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && PERMANENT.includes(code.slice(0, 2))) {
          throw ApplicationFailure.nonRetryable(`the read model refused the batch (SQLSTATE ${code}): ${(err as Error).message}`, ErrorType.ReadModelRejected);
        }
        throw err;
      }
    },
  };
}

/** A high or low surrogate without its partner: JavaScript strings may hold one, jsonb refuses it (22P02). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text PostgreSQL can store: no U+0000, no lone surrogate (replaced by U+FFFD). */
export function storable(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return withoutNul.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * PostgreSQL's text and jsonb cannot hold U+0000 or a lone UTF-16 surrogate, which JSON
 * and zod allow: a single one typed into a note or a protocol would make every later
 * batch of its owner fail. Dropped (NUL) or replaced (surrogates) here, in values and keys.
 */
function withoutNul(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'string') return storable(value);
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((key) => storable(key) !== key)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storable(key), inner]));
  }
  return value;
}

/** What listeners hear, delivered on commit only; bounded so a large batch cannot fail the NOTIFY. */
export function notice(changes: ReadModelChanges): string | null {
  const { project, job } = changes;
  const projectId =
    project?.id ?? job?.projectId ?? changes.tasks[0]?.projectId ?? changes.timeline[0]?.projectId ?? changes.closedJobs?.[0]?.projectId ?? changes.notifications?.[0]?.projectId;
  if (!projectId) return null;
  const notified = changes.notifications?.length ? { notified: true as const } : {};
  const base: ChangeNotice = { projectId, ...(job ? { jobId: job.id } : {}), ...(project ? { stage: project.stage } : {}), ...notified };
  const full = JSON.stringify({ ...base, taskIds: changes.tasks.map((task) => task.id) });
  return Buffer.byteLength(full) <= MAX_NOTICE_BYTES ? full : JSON.stringify(base);
}

export type ReadModelActivities = ReturnType<typeof createReadModelActivities>;
