// Statistics over service cases for the office (API.md, "Routes for the customer side"):
// cases per site, category, customer-facing status or month, and how long cases spend in
// each stage. Counted and ranked by the database (percentile_cont), so they scale with
// the read model rather than with what the API can hold. Staff only: every customer.
import { Router } from 'express';
import { authorize } from '../access';
import { currentUser } from '../auth';
import { customerStatusExpression } from '../customer-status';
import type { ApiDeps } from '../deps';
import { periodCondition, periodParams } from '../period';
import { StatsCasesQuery, StatsLeadTimesQuery, type CASE_GROUPS } from '../report-schemas';

/** The service stages a case passes through, in order (the closed stage has no lead time). */
const SERVICE_STAGES = ['requesting', 'investigating', 'servicing', 'reviewing'];

// $1 from, $2 to, $3 time zone (periodCondition), $4 customer.
const SCOPE = `p.kind = 'service' AND ${periodCondition('p.created_at', 1)} AND ($4::text IS NULL OR p.customer_id = $4)`;

const GROUPS: Record<(typeof CASE_GROUPS)[number], { key: string; label?: string; join?: string; order: string }> = {
  site: { key: 'p.site_id', label: 's.address', join: 'JOIN sites s ON s.id = p.site_id', order: 'count DESC, key' },
  // Cases started before categories existed (or by POST /projects) have no case row.
  category: { key: `coalesce(nullif(k.category, ''), 'uncategorised')`, join: 'LEFT JOIN cases k ON k.project_id = p.id', order: 'count DESC, key' },
  status: { key: customerStatusExpression('p'), order: 'count DESC, key' },
  month: { key: `to_char(p.created_at AT TIME ZONE $3, 'YYYY-MM')`, order: 'key' },
};

const caseCounts = (by: keyof typeof GROUPS) => {
  const group = GROUPS[by];
  return `SELECT ${group.key} AS key, ${group.label ? `min(${group.label})` : 'NULL'} AS label, count(*)::int AS count
FROM projects p ${group.join ?? ''}
WHERE ${SCOPE}
GROUP BY 1 ORDER BY ${group.order}`;
};

// Each stage entry of a project's timeline starts a visit to its stage, which lasts until
// the next entry of another stage (an entry repeating the stage it is in starts nothing).
// A case's time in a stage is the sum of its visits; a stage it is still in is left out.
const LEAD_TIMES = `
WITH scoped AS (SELECT p.id FROM projects p WHERE ${SCOPE}),
entries AS (
  SELECT t.project_id, t.at, t.seq, t.data->>'to' AS stage,
         lag(t.data->>'to') OVER (PARTITION BY t.project_id ORDER BY t.at, t.seq) AS before
  FROM timeline t JOIN scoped ON scoped.id = t.project_id
  WHERE t.kind = 'stage' AND t.job_id IS NULL
),
visits AS (
  SELECT project_id, stage, at, lead(at) OVER (PARTITION BY project_id ORDER BY at, seq) AS left_at
  FROM entries WHERE before IS DISTINCT FROM stage
),
per_case AS (
  SELECT project_id, stage, sum(extract(epoch FROM left_at - at))::float8 AS seconds
  FROM visits WHERE left_at IS NOT NULL GROUP BY project_id, stage
)
SELECT stage, count(*)::int AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)::float8 AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds)::float8 AS p90
FROM per_case GROUP BY stage`;

export function createStatsRouter({ database, config }: ApiDeps): Router {
  const router = Router();

  router.get('/stats/cases', async (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'reports' }, 'statistics are the office’s');
    const query = StatsCasesQuery.parse(req.query);
    const rows = await database.query<{ key: string; label: string | null; count: number }>(caseCounts(query.by), [
      ...periodParams(query, config.companyTimeZone),
      query.customerId ?? null,
    ]);
    res.json({ by: query.by, items: rows.map(({ key, label, count }) => ({ key, count: Number(count), ...(label ? { label } : {}) })) });
  });

  router.get('/stats/lead-times', async (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'reports' }, 'statistics are the office’s');
    const query = StatsLeadTimesQuery.parse(req.query);
    const rows = await database.query<{ stage: string; count: number; median: number; p90: number }>(LEAD_TIMES, [
      ...periodParams(query, config.companyTimeZone),
      query.customerId ?? null,
    ]);
    const rank = (stage: string) => (SERVICE_STAGES.includes(stage) ? SERVICE_STAGES.indexOf(stage) : SERVICE_STAGES.length);
    const items = rows
      .map((row) => ({ stage: row.stage, median: round(Number(row.median)), p90: round(Number(row.p90)), count: Number(row.count) }))
      .sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage));
    res.json({ items });
  });

  return router;
}

/** Milliseconds are the timeline's precision. */
const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
