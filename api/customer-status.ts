// The customer-facing status of a project (PRODUCT.md; seed 002), computed by the
// database when it is read. It depends on the project row and on its jobs' rows, which
// different workflows write, and on the clock (a job's scheduled start passing), so a
// stored column would go stale; an expression over the current rows cannot.
//
//   completed    closed resolved (service) or completed (sales)
//   cancelled    closed not required, rejected or cancelled
//   problem      closed unresolved; or open and its latest job failed or was not carried out
//   in_progress  open, and work has begun: a job is under way (not yet done, and its first
//                trip has started (jobs.trip_started_at) or its scheduled start has
//                passed), or an earlier job is done (the office reviews it, or the next
//                visit is being planned: return to site, installation after inspection)
//   planned      any other open project: no site work has begun yet (requesting,
//                awaiting approval, investigating, the first job not yet scheduled or
//                scheduled for later)
//
// Once work has begun a project never goes back to "planned": the badge reads planned,
// in progress, then completed, cancelled or problem, in that order.
//
// Sales projects get the same mapping over their outcomes; a failed sales job is run
// again by the workflow, so for sales "problem" never applies to open projects.
import { sql, type SQL } from 'drizzle-orm';
import type { customerStatuses } from './schemas';

export type CustomerStatus = (typeof customerStatuses)[number];

const COMPLETED = `'resolved', 'completed'`;

/** The status of the project row named `p` (a table name or alias) as an SQL expression. */
export const customerStatusExpression = (p: string) => `CASE
  WHEN ${p}.outcome IN (${COMPLETED}) THEN 'completed'
  WHEN ${p}.outcome = 'unresolved' THEN 'problem'
  WHEN ${p}.outcome IS NOT NULL THEN 'cancelled' -- not_required, rejected, cancelled
  WHEN EXISTS (SELECT 1 FROM jobs uw WHERE uw.project_id = ${p}.id AND uw.status <> 'done'
    AND (uw.trip_started_at IS NOT NULL OR uw.scheduled_start <= now())) THEN 'in_progress'
  ELSE coalesce((SELECT CASE
      WHEN lj.status <> 'done' THEN CASE WHEN EXISTS (SELECT 1 FROM jobs dj WHERE dj.project_id = ${p}.id AND dj.status = 'done') THEN 'in_progress' ELSE 'planned' END
      WHEN lj.outcome IN ('failed', 'not_carried_out') THEN 'problem'
      ELSE 'in_progress' END
    FROM jobs lj WHERE lj.project_id = ${p}.id ORDER BY lj.sequence DESC LIMIT 1), 'planned')
END`;

/** The expression over drizzle's `projects` table. */
export const customerStatusSql = (): SQL<CustomerStatus> => sql.raw(customerStatusExpression('projects')) as SQL<CustomerStatus>;

/**
 * A filter on the status that an index can serve: the outcome narrows first
 * (projects_outcome_idx), and only open projects need their jobs looked at.
 */
export function customerStatusFilter(status: CustomerStatus): SQL {
  const narrow: Record<CustomerStatus, string> = {
    completed: `projects.outcome IN (${COMPLETED})`,
    cancelled: 'projects.outcome IS NOT NULL',
    problem: `(projects.outcome = 'unresolved' OR projects.outcome IS NULL)`,
    in_progress: 'projects.outcome IS NULL',
    planned: 'projects.outcome IS NULL',
  };
  return sql`${sql.raw(narrow[status])} AND (${customerStatusSql()}) = ${status}`;
}
