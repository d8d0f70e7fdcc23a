// The project kernel: runs a project of any kind. One loop over "something changed, a
// job ended, or the earliest deadline came"; jobs are entries in state that report back,
// so the loop never blocks on one; continue-as-new at the loop boundary with the drain as
// the last await.
import { continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { cancelProjectUpdate, getProjectQuery, jobFinishedSignal, projectEventSignal, type ProjectInput, type ProjectResult } from './definitions';
import type { ProjectKind } from './kind';
import { Project } from './project';

export async function runProject<D>(kind: ProjectKind<D>, input: ProjectInput<D>): Promise<ProjectResult> {
  const project = new Project(kind, input);
  project.rt.wire(project);
  setHandler(getProjectQuery, () => project.view());
  setHandler(projectEventSignal, (event) => project.onEvent(event));
  setHandler(jobFinishedSignal, (report) => project.jobEnded(report));
  setHandler(cancelProjectUpdate, (request) => project.cancel(request), { validator: (request) => project.checkCancel(request) });

  if (!input.carried) project.begin();
  await project.outbox.flush();

  while (!project.closed) {
    if (project.jobsToStart) {
      await project.startJobs();
      continue;
    }
    if (project.jobsToCheck) {
      await project.checkJobs();
      continue;
    }
    if (shouldContinueAsNew(input)) {
      await project.rt.drained();
      return continueAsNew<(input: ProjectInput<D>) => Promise<ProjectResult>>({ ...input, carried: project.state });
    }
    await project.rt.next(project, () => project.jobsToStart || project.jobsToCheck);
  }

  await project.cancelRunningJobs(`the project closed: ${project.state.outcome}`);
  await project.rt.finish();
  return { projectId: project.state.projectId, outcome: project.state.outcome!, jobs: project.state.jobs.length };
}

function shouldContinueAsNew(input: ProjectInput<unknown>): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= input.policy.continueAsNewAfterEvents;
}
