// The statistics' queries and answers (API.md, "Routes for the customer side"). Kept
// apart from schemas.ts; the OpenAPI document is generated from these too.
import { z } from 'zod';
import { periodFields, withOrderedPeriod } from './period';

export const CASE_GROUPS = ['site', 'category', 'status', 'month'] as const;

const customerFilter = {
  customerId: z.string().min(1).max(200).optional().meta({ description: "Only this customer's cases" }),
};

export const StatsCasesQuery = withOrderedPeriod(
  z.object({
    by: z.enum(CASE_GROUPS, { error: `group by one of ${CASE_GROUPS.join(', ')}` }).meta({ description: 'site, category (uncategorised without one), customer-facing status, or month (YYYY-MM, company time zone) of creation' }),
    ...periodFields,
    ...customerFilter,
  }),
).meta({ id: 'StatsCasesQuery' });

export const StatsLeadTimesQuery = withOrderedPeriod(z.object({ ...periodFields, ...customerFilter })).meta({ id: 'StatsLeadTimesQuery' });

export const CaseCount = z
  .object({
    key: z.string(),
    count: z.number().int().nonnegative(),
    label: z.string().optional().meta({ description: "For people: a site's address" }),
  })
  .meta({ id: 'CaseCount' });

export const CaseCounts = z.object({ by: z.enum(CASE_GROUPS), items: z.array(CaseCount) }).meta({ id: 'CaseCounts', description: 'Service cases created in the period, counted by the group' });

export const StageLeadTime = z
  .object({
    stage: z.string(),
    median: z.number().nonnegative().meta({ description: 'Seconds' }),
    p90: z.number().nonnegative().meta({ description: 'Seconds, 90th percentile' }),
    count: z.number().int().nonnegative().meta({ description: 'Cases that left the stage' }),
  })
  .meta({ id: 'StageLeadTime' });

export const LeadTimes = z
  .object({ items: z.array(StageLeadTime) })
  .meta({ id: 'LeadTimes', description: "Per stage, the time a case spent in it (all its visits to it), over the period's cases that left it" });
