// Responsibility rules, evaluated where a task's row is first written (the read-model
// batch, activities/read-model.ts): a rule change reaches new tasks only, and no workflow
// command changes. The workflow keeps assigning office work to `group:ops`; the read
// model's row names the rule's person or group instead, and later writes of the same task
// leave that (and a claim) alone.

/** The workflow's assignee of the work rules route: the office's tasks, never field work (job offers route that). */
export const ROUTED_FROM = 'group:ops';

/** The assignee a rule gives: its person, or `group:<id>` of its group. */
export const ruleTarget = (rule: string) => `coalesce(${rule}.target_user_id, 'group:' || ${rule}.target_group_id)`;

/**
 * A case's category, for the rules' category condition: the one place that knows where it
 * lives. The API writes the case before its workflow starts, so it is there when the first
 * task is; a project that is no case (a sales project) has none.
 */
export const caseCategory = (projectId: string) => `(SELECT c.category FROM cases c WHERE c.project_id = ${projectId})`;

/**
 * A LATERAL subquery naming the first matching rule (`route.rule_id`, `route.target`) for
 * a task `x` of the batch. The project may arrive in the same batch as its first task, and
 * a statement does not see its own inserts, so its customer and site come from the batch
 * first and the table second.
 */
export const FIRST_MATCHING_RULE = `
  LEFT JOIN LATERAL (
    SELECT r.id AS rule_id, ${ruleTarget('r')} AS target
    FROM (
      SELECT coalesce(bp."customerId", p.customer_id) AS customer_id, coalesce(bp."siteId", p.site_id) AS site_id
      FROM (SELECT 1) one
      LEFT JOIN jsonb_to_recordset(batch.b->'projects') AS bp(id text, "customerId" text, "siteId" text) ON bp.id = x."projectId"
      LEFT JOIN projects p ON p.id = x."projectId"
    ) facts, routing_rules r
    WHERE x.assignee = '${ROUTED_FROM}'
      AND (r.customer_id IS NULL OR r.customer_id = facts.customer_id)
      AND (r.site_id IS NULL OR r.site_id = facts.site_id)
      AND (r.category IS NULL OR lower(r.category) = lower(${caseCategory('x."projectId"')}))
      -- A person who has left (disabled) gets no new work: the next rule decides.
      AND (r.target_user_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = r.target_user_id AND u.disabled_at IS NULL))
    ORDER BY r.priority, r.created_at, r.id
    LIMIT 1
  ) route ON true`;

/**
 * Who hears of a notification x about a task. The workflow tells the assignee it knows
 * (the ops group); a routed or taken task is someone's in particular, so its holder hears,
 * else the person or group it was routed to. Escalations to the supervisors stay theirs.
 */
export const ROUTED_RECIPIENT = `coalesce(
    (SELECT coalesce(t.claimed_by, t.assignee) FROM tasks t
     WHERE t.id = x."taskId" AND x.recipient = '${ROUTED_FROM}' AND (t.routing_rule_id IS NOT NULL OR t.claimed_by IS NOT NULL)),
    x.recipient)`;
