// The maintenance plan's starter: the contract the API, the schedule and the activity
// share. No imports, so any side can use it.

/** What each of a plan's schedule runs is started with. */
export interface PlannedCaseInput {
  planId: string;
}

/** What the activity is asked to do for one run: the plan's case for this fire time. */
export interface PlannedCaseRun {
  planId: string;
  /** The run's scheduled (nominal) time, ISO 8601: the same for every retry of the run. */
  scheduledAt: string;
}

export type PlannedCaseResult = { projectId: string } | { skipped: 'plan deleted' | 'plan unknown' };

/**
 * The workflow id the schedule starts its runs under; Temporal appends the fire time
 * (`plan-<planId>-2026-12-01T08:00:00Z`), so every run has its own.
 */
export const plannedCaseWorkflowIdPrefix = (planId: string): string => `plan-${planId}`;

/** The fire time a schedule appended to a run's workflow id, or undefined when it has none. */
export function scheduledTimeFromWorkflowId(workflowId: string, planId: string): string | undefined {
  const prefix = `${plannedCaseWorkflowIdPrefix(planId)}-`;
  if (!workflowId.startsWith(prefix)) return undefined;
  const time = new Date(workflowId.slice(prefix.length));
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
