// A maintenance plan's run: the plan's Temporal Schedule starts this small workflow at
// each fire time; it starts the run's case (a `serviceProject` with its own business key,
// `service-<projectId>`) through one activity. The project id is derived from the plan
// and the run's scheduled time, so a retried activity, or this workflow run again for the
// same fire time, finds the case it made instead of making a second.
import { ApplicationFailure, defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createPlanActivities } from '../../activities/plans';
import { ErrorType } from '../errors';
import { scheduledTimeFromWorkflowId, type PlannedCaseInput, type PlannedCaseResult } from './definitions';

/** Set by the server on every workflow a schedule starts: the run's nominal time. */
const ScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const { startPlannedCase } = proxyActivities<ReturnType<typeof createPlanActivities>>({
  startToCloseTimeout: '2 minutes',
  // Until the database and Temporal answer again: a run is never dropped for an outage.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function plannedCase(input: PlannedCaseInput): Promise<PlannedCaseResult> {
  const info = workflowInfo();
  // Both come from the run's start event, so they are the same on replay.
  const scheduled = info.typedSearchAttributes.get(ScheduledStartTimeKey);
  const scheduledAt = scheduled ? scheduled.toISOString() : scheduledTimeFromWorkflowId(info.workflowId, input.planId);
  if (!scheduledAt) {
    throw ApplicationFailure.create({ type: ErrorType.InvalidPayload, message: `${info.workflowId} was not started by plan ${input.planId}'s schedule`, nonRetryable: true });
  }
  return startPlannedCase({ planId: input.planId, scheduledAt });
}
