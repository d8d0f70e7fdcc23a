// The project kernel: runs a project of any kind. One loop over "something changed, a
// job ended, or the earliest deadline came"; jobs are entries in state that report back,
// so the loop never blocks on one; continue-as-new at the loop boundary with the drain as
// the last await.
import { allHandlersFinished, CancellationScope, condition, continueAsNew, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  cancelProjectUpdate,
  getProjectQuery,
  jobFinishedSignal,
  projectEventSignal,
  type ProjectInput,
  type ProjectResult,
} from './definitions';
import type { ProjectKind } from './kind';
import { Project, SYSTEM } from './project';

export async function runProject<D>(kind: ProjectKind<D>, input: ProjectInput<D>): Promise<ProjectResult> {
  const project = new Project(kind, input);
  project.rt.wire(project);
  setHandler(getProjectQuery, () => project.view());
  setHandler(projectEventSignal, (event) => project.onEvent(event));
  setHandler(jobFinishedSignal, (report) => project.jobs.ended(report));
  setHandler(cancelProjectUpdate, (request) => project.cancel(request), { validator: (request) => project.checkCancel(request) });
  const again = () => continueAsNew<(input: ProjectInput<D>) => Promise<ProjectResult>>({ ...input, carried: project.state });

  try {
    if (!input.carried) project.begin();
    await project.outbox.flush();

    while (!project.closed) {
      if (project.jobs.toStart) {
        await project.jobs.startWaiting();
        continue;
      }
      if (project.jobs.dueForCheck) {
        await project.jobs.checkDue();
        continue;
      }
      if (project.work.due) {
        await project.work.runDue();
        continue;
      }
      if (tooLong(input)) {
        // 2026-11: the drain gives way to the loop when a handler waits on it (a job to
        // start, writes to make); before, it waited for every handler and could wait
        // forever. Runs recorded before take the old branch on replay.
        if (!patched('2026-11-drain-yields-to-loop')) {
          await condition(() => allHandlersFinished() && !project.outbox.flushing);
          return again();
        }
        if (await project.rt.drained(() => project.jobs.toStart || project.jobs.dueForCheck || project.closed)) return again();
        if (project.outbox.ready) await project.outbox.flush();
        continue;
      }
      await project.rt.next(project, () => project.jobs.toStart || project.jobs.dueForCheck || project.work.due);
    }
  } catch (err) {
    // Cancelled in Temporal (the UI or the CLI): closed as cancelled, like a supervisor's cancel.
    if (!isCancellation(err)) throw err;
    if (!project.closed) project.close('cancelled', SYSTEM);
  }

  return CancellationScope.nonCancellable(async () => {
    await project.jobs.stopRunning(`the project closed: ${project.state.outcome}`);
    // Compensations and other outside work still owed run to the end, retried until they succeed.
    while (project.work.pending) {
      // Too long: continue as new once quiet; until then the due work (or a write) runs, or
      // this loop would spin without an await.
      if (tooLong(input) && (await project.rt.drained(() => project.work.due))) return again();
      if (project.work.due) await project.work.runDue();
      else await project.rt.next(project, () => project.work.due);
    }
    if ((await project.rt.finish(() => tooLong(input))) === 'continue') return again();
    return { projectId: project.state.projectId, outcome: project.state.outcome!, jobs: project.state.jobs.length };
  });
}

function tooLong(input: ProjectInput<unknown>): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= input.policy.continueAsNewAfterEvents;
}
