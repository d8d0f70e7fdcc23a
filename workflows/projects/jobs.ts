// A project's site jobs as entries in its state. A job is a `siteJob` child that outlives
// its project's run (ABANDON: the project continues as new while jobs run) and reports
// its end by signal to the project's workflow id. The run that started a job also watches
// its handle, so a job that fails or is terminated before it can report is recorded; jobs
// carried across continue-as-new are checked by a repeating deadline instead.
import { getExternalWorkflowHandle, ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { createJobActivities } from '../../activities/jobs';
import { jobIdFor, jobWorkflowId } from '../ids';
import { cancelJobSignal, type SiteJobType } from '../jobs/definitions';
import { siteJob } from '../jobs/workflow';
import type { Deadline } from '../tasks/ledger';
import type { JobEntry, JobReport } from './definitions';
import { describe } from './failures';
import { SYSTEM, type Project } from './project';

export const JOB_WATCH = 'job.watch';

const { checkJobs } = proxyActivities<ReturnType<typeof createJobActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
  summary: 'Check on jobs carried across continue-as-new',
});

export class ProjectJobs<D> {
  /** Jobs whose watch came due. */
  private toCheck: string[] = [];

  constructor(private readonly p: Project<D>) {
    // Jobs this run did not start are watched by a deadline; the ones it starts, by their handles.
    for (const job of p.state.jobs.filter((candidate) => candidate.status === 'open')) this.watch(job);
  }

  add(type: SiteJobType, variant?: 'rework'): JobEntry {
    const { state } = this.p;
    const sequence = state.jobs.length + 1;
    const id = jobIdFor(state.projectId, sequence);
    const job: JobEntry = { id, type, sequence, workflowId: jobWorkflowId(id), status: 'starting', ...(variant ? { variant } : {}) };
    state.jobs.push(job);
    return job;
  }

  get toStart(): boolean {
    return this.p.state.jobs.some((job) => job.status === 'starting');
  }

  get dueForCheck(): boolean {
    return this.toCheck.length > 0;
  }

  /** Starts the jobs waiting to start; a start that fails ends the job at once. */
  async startWaiting(): Promise<void> {
    const { state, policy, kind } = this.p;
    for (const job of state.jobs.filter((candidate) => candidate.status === 'starting')) {
      try {
        const child = await startChild(siteJob, {
          workflowId: job.workflowId,
          args: [
            {
              jobId: job.id,
              projectId: state.projectId,
              siteId: state.siteId,
              customerId: state.customerId,
              type: job.type,
              ...(job.variant ? { variant: job.variant } : {}),
              sequence: job.sequence,
              parentWorkflowId: workflowInfo().workflowId,
              ...(job.approved ? { approved: job.approved } : {}),
              policy: {
                taskDueAfterMs: policy.taskDueAfterMs,
                taskEscalateAfterMs: policy.taskEscalateAfterMs,
                readModelRetryMaxMs: policy.readModelRetryMaxMs,
                continueAsNewAfterEvents: policy.continueAsNewAfterEvents,
                ...(policy.fieldTaskDueAfterStartMs ? { fieldTaskDueAfterStartMs: policy.fieldTaskDueAfterStartMs } : {}),
              },
            },
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `${job.type} job ${job.sequence} of ${kind.title.toLowerCase()} ${state.title ?? state.projectId}`,
        });
        job.status = 'open';
        child.result().then(
          (result) =>
            this.ended({
              jobId: job.id,
              outcome: result.outcome,
              ...(result.review ? { review: result.review } : {}),
              ...(result.closeReason ? { closeReason: result.closeReason } : {}),
            }),
          (err) => this.ended({ jobId: job.id, outcome: 'failed', reason: describe(err) }),
        );
      } catch (err) {
        job.status = 'open';
        this.ended({ jobId: job.id, outcome: 'failed', reason: `could not start: ${describe(err)}` });
      }
    }
  }

  /** A job ended: by its own report, or found failed or terminated. The first word counts. */
  ended(report: JobReport): void {
    const p = this.p;
    const job = p.state.jobs.find((candidate) => candidate.id === report.jobId);
    if (!job || job.status === 'done') return;
    job.status = 'done';
    job.outcome = report.outcome;
    if (report.review) job.review = report.review;
    if (report.closeReason) job.closeReason = report.closeReason;
    p.deadlines.clear((deadline) => deadline.ref === job.id);
    p.rt.changed();
    if (report.reason) {
      // The job's own workflow could not close its rows; the project does.
      job.reason = report.reason;
      p.outbox.closeJob({
        jobId: job.id,
        projectId: p.state.projectId,
        workflowId: job.workflowId,
        type: job.type,
        sequence: job.sequence,
        outcome: report.outcome,
        at: new Date(Date.now()).toISOString(),
      });
      p.outbox.timeline('job', SYSTEM, `Job ${job.sequence} stopped without an outcome: ${report.reason}`, { jobId: job.id });
    }
    p.outbox.touch();
    if (!p.closed) p.kind.onJob(p, job);
  }

  onWatch(deadline: Deadline): void {
    if (deadline.ref) this.toCheck.push(deadline.ref);
  }

  /** Asks Temporal how the due jobs are; one that closed without reporting is recorded as ended. */
  async checkDue(): Promise<void> {
    const jobs = this.p.state.jobs.filter((job) => this.toCheck.includes(job.id) && job.status === 'open');
    this.toCheck = [];
    if (!jobs.length) return;
    let checks: Awaited<ReturnType<typeof checkJobs>>;
    try {
      checks = await checkJobs(jobs.map((job) => job.workflowId));
    } catch {
      checks = [];
    }
    for (const job of jobs) {
      const check = checks.find((candidate) => candidate.workflowId === job.workflowId);
      if (!check || check.running) this.watch(job);
      else if (check.outcome) {
        this.ended({ jobId: job.id, outcome: check.outcome, ...(check.review ? { review: check.review } : {}), ...(check.closeReason ? { closeReason: check.closeReason } : {}) });
      }
      else this.ended({ jobId: job.id, outcome: 'failed', reason: `its workflow ended as ${check.status.toLowerCase()}` });
    }
  }

  /**
   * The project closed: jobs still running are told to stop. Awaited, because a signal
   * whose sender has closed is never delivered.
   */
  async stopRunning(reason: string): Promise<void> {
    await Promise.all(
      this.p.state.jobs
        .filter((candidate) => candidate.status === 'open')
        .map((job) =>
          getExternalWorkflowHandle(job.workflowId)
            .signal(cancelJobSignal, { reason })
            .catch(() => undefined), // already closed: nothing to stop
        ),
    );
  }

  private watch(job: JobEntry): void {
    const id = `${job.id}:watch`;
    if (this.p.deadlines.has((deadline) => deadline.id === id)) return;
    this.p.deadlines.set({ id, at: Date.now() + this.p.policy.jobWatchEveryMs, kind: JOB_WATCH, ref: job.id, summary: `Check on job ${job.sequence}` });
  }
}
