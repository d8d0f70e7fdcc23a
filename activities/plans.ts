// The one activity of a maintenance plan's run: start the run's case through the same
// function every case starts through (api/start-project.ts). The project id is derived
// from the plan and the run's scheduled time, so whatever retries (this activity, the
// starter workflow, a worker that died mid-run), one fire time makes one case.
import { Context } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Database } from '../db';
import { customers, maintenancePlans, sites } from '../db/schema';
import { idFromKey } from '../api/ids';
import { caseTitle, startProject, type StartDeps } from '../api/start-project';
import type { PlannedCaseResult, PlannedCaseRun } from '../workflows/plans/definitions';

/** The case of one run of a plan: the same id for the same plan and fire time. */
export const plannedProjectId = (planId: string, scheduledAt: string): string => idFromKey('prj', 'plan', planId, new Date(scheduledAt).toISOString());

export function createPlanActivities({ database, temporal, config }: { database: Database; temporal: Client; config: StartDeps['config'] & { companyTimeZone: string } }) {
  return {
    async startPlannedCase({ planId, scheduledAt }: PlannedCaseRun): Promise<PlannedCaseResult> {
      const [row] = await database.db
        .select({ plan: maintenancePlans, customer: { id: customers.id, name: customers.name }, site: { id: sites.id, address: sites.address } })
        .from(maintenancePlans)
        .innerJoin(sites, eq(sites.id, maintenancePlans.siteId))
        .innerJoin(customers, eq(customers.id, maintenancePlans.customerId))
        .where(eq(maintenancePlans.id, planId));
      if (!row) return { skipped: 'plan unknown' };
      const projectId = plannedProjectId(planId, scheduledAt);
      // A run that fired before its plan was deleted but reached us after: no new case.
      // (One already started for this run is left as it is.)
      if (row.plan.deletedAt) return { skipped: 'plan deleted' };
      const { plan, customer, site } = row;
      const day = new Intl.DateTimeFormat('en-AU', { dateStyle: 'long', timeZone: config.companyTimeZone }).format(new Date(scheduledAt));
      // The start waits for the project's workflow to take its first update, which needs a
      // worker; when this worker shuts down, its cancellation ends the wait (the run's retry
      // on the next worker starts the same project).
      await raceCancellation(startProject(
        { database, temporal, config },
        {
          kind: 'service',
          projectId,
          customer,
          site,
          title: caseTitle('maintenance', plan.category),
          createdBy: { id: 'system', role: 'system', name: 'Maintenance plan' },
          raisedBy: 'staff',
          request: { kind: 'maintenance', category: plan.category, description: `${plan.title} (planned for ${day})`, source: 'plan', planId },
        },
      ));
      return { projectId };
    },
  };
}

/** The work, or the activity's cancellation (a worker shutting down), whichever comes first; outside an activity, the work. */
function raceCancellation<T>(work: Promise<T>): Promise<T> {
  let cancelled: Promise<never>;
  try {
    cancelled = Context.current().cancelled;
  } catch {
    return work;
  }
  return Promise.race([work, cancelled]);
}
