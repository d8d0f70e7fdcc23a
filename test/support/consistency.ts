// The read model must say what the workflows say. Compares GET /projects/:id with the
// project workflow's query, and each open job's tasks with that job workflow's query.
import type { Client } from '@temporalio/client';
import { getJobQuery } from '../../workflows/jobs/definitions';
import { getProjectQuery } from '../../workflows/service/definitions';
import type { Flow } from './flows';

const taskKey = (task: { id: string; type: string; stage: string; status: string; assignee?: string; dueAt?: string; jobId?: string }) => ({
  id: task.id,
  type: task.type,
  stage: task.stage,
  status: task.status,
  assignee: task.assignee,
  dueAt: task.dueAt,
  jobId: task.jobId,
});

export async function expectReadModelMatchesWorkflow(flow: Flow, temporal: Client): Promise<void> {
  const view = await flow.project();
  const state = await temporal.workflow.getHandle(view.workflowId).query(getProjectQuery);
  expect({ stage: view.stage, status: view.status, outcome: view.outcome }).toEqual({ stage: state.stage, status: state.status, outcome: state.outcome });
  expect(view.openTasks.filter((task: { jobId?: string }) => !task.jobId).map(taskKey)).toEqual(state.openTasks.map(taskKey));
  expect(view.jobs.map((job: any) => ({ id: job.id, type: job.type, sequence: job.sequence, status: job.status, outcome: job.outcome }))).toEqual(
    state.jobs.map((job) => ({ id: job.id, type: job.type, sequence: job.sequence, status: job.status, outcome: job.outcome })),
  );
  for (const job of view.jobs.filter((candidate: { status: string }) => candidate.status === 'open')) {
    const jobState = await temporal.workflow.getHandle(job.workflowId).query(getJobQuery);
    expect(view.openTasks.filter((task: { jobId?: string }) => task.jobId === job.id).map(taskKey)).toEqual(jobState.openTasks.map(taskKey));
    expect({ scheduledStart: job.scheduledStart, installerId: job.installerId }).toEqual({
      scheduledStart: jobState.scheduledStart ? new Date(jobState.scheduledStart).toISOString() : undefined,
      installerId: jobState.installerId,
    });
  }
}
