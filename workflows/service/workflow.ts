// serviceProject: one per service case, from request to a closed outcome. The state
// machine lives in process.ts; this file wires it to Temporal: handlers, the wait for
// the next thing to happen, site jobs as children, and continue-as-new.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { siteJob } from '../jobs/workflow';
import { completeTaskUpdate, settledUpdate } from '../tasks/definitions';
import {
  getProjectQuery,
  manufacturerOutcomeSignal,
  type JobSummary,
  type ServiceProjectInput,
  type ServiceProjectResult,
} from './definitions';
import { newServiceState, ServiceProject } from './process';

export async function serviceProject(input: ServiceProjectInput): Promise<ServiceProjectResult> {
  const project = new ServiceProject(input.carried ?? newServiceState(input), input.policy);

  setHandler(getProjectQuery, () => project.view());
  setHandler(
    completeTaskUpdate,
    async (request) => {
      const task = project.complete(request);
      await project.outbox.flush();
      // A completion that sends someone to site answers once the job is running, and
      // tells the API to wait for the job's first tasks.
      const job = project.jobToStart();
      if (job) {
        await condition(() => job.status !== 'starting');
        return { task, follow: { workflowId: job.workflowId } };
      }
      return { task };
    },
    { validator: (request) => project.validate(request) },
  );
  setHandler(settledUpdate, async (request) => {
    await condition(() => project.settled(request));
    return { stage: project.state.stage, closed: project.closed };
  });
  setHandler(manufacturerOutcomeSignal, (event) => project.onManufacturerOutcome(event));

  if (!input.carried) project.begin();
  await project.outbox.flush();

  while (!project.closed) {
    const job = project.jobToStart();
    if (job) {
      await runJob(project, job);
      continue;
    }
    if (shouldContinueAsNew(input)) {
      await condition(allHandlersFinished);
      await project.outbox.flush();
      return continueAsNew<typeof serviceProject>({ ...input, carried: project.state });
    }
    const step = project.state.step;
    const somethingHappened = () => project.state.step !== step || project.jobToStart() !== undefined || project.closed;
    if (project.awaitingManufacturer) {
      // The wait has a deadline, and the deadline is an outcome: a chase task.
      if (!(await condition(somethingHappened, input.policy.chaseManufacturerAfterMs))) project.chaseManufacturer();
    } else {
      await condition(somethingHappened);
    }
    await project.outbox.flush();
  }

  await condition(allHandlersFinished);
  await project.outbox.flush();
  return { projectId: project.state.projectId, outcome: project.state.outcome!, jobs: project.state.jobs.length };
}

async function runJob(project: ServiceProject, job: JobSummary): Promise<void> {
  const state = project.state;
  const child = await startChild(siteJob, {
    workflowId: job.workflowId,
    args: [
      {
        jobId: job.id,
        projectId: state.projectId,
        siteId: state.siteId,
        type: job.type,
        sequence: job.sequence,
        parentWorkflowId: workflowInfo().workflowId,
        taskDueAfterMs: project.policy.taskDueAfterMs,
      },
    ],
    parentClosePolicy: ParentClosePolicy.TERMINATE,
  });
  job.status = 'open';
  try {
    project.jobFinished(await child.result());
  } catch (err) {
    project.jobFailedToRun(job.id, err instanceof Error ? err.message : String(err));
  }
  await project.outbox.flush();
}

function shouldContinueAsNew(input: ServiceProjectInput): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= input.policy.continueAsNewAfterEvents;
}
