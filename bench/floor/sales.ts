// The floor's sales project: the kernel running the sales kind (workflows/projects/,
// workflows/sales/kind.ts) reduced to its Temporal actions. The same loop as the service
// floor (bench/floor/workflows.ts), plus what sales adds: outside work run by the loop as
// activities (the design tool's link and syncs), design-tool events as signals, the
// follow-up deadline while considering, inspection and installation jobs (floorJob with
// their chains) and the close-out tasks after the installation is approved.
import {
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../../workflows/search-attributes';
import type { floorActivities } from './activities';
import {
  floorCancelJobSignal,
  floorCompleteUpdate,
  floorDesignEventSignal,
  floorJobFinishedSignal,
  floorJobWorkflowId,
  floorSettledUpdate,
  floorWrittenQuery,
  type FloorDeadline,
  type FloorSalesInput,
  type FloorSalesStage,
  type FloorSalesState,
  type FloorStep,
} from './definitions';
import { DRAIN_PATCH, floorCheckJobs, refuse, Runtime, tooLong } from './runtime';
import { floorJob } from './workflows';

// The product's design-tool activities' options (workflows/sales/kind.ts).
const { floorDesign } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
  summary: 'Design tool',
});

const FOLLOW_UP = 'follow_up';
const JOB_RETRIES = 3;
/** A job's report when its review answered (anything else: it ended without one). */
const REVIEWS = new Set(['pass', 'pass_update_quote', 'reinspect', 'fail', 'approve', 'return_to_site']);

export async function floorSalesProject(input: FloorSalesInput): Promise<{ outcome: string; jobs: number }> {
  const s: FloorSalesState = input.carried ?? {
    stage: 'onboarding',
    open: [],
    taskSeq: 0,
    jobs: [],
    effects: [],
    effectSeq: 0,
    linked: false,
    synced: 0,
    depositPaid: false,
    closing: [],
    deadlines: [],
    closed: false,
  };
  const rt = new Runtime(s, !input.carried, () => ({ stage: s.stage, linked: s.linked, synced: s.synced }));
  const toCheck: string[] = [];

  const upsertAll = () =>
    upsertSearchAttributes([
      { key: ProjectKindKey, value: 'floor-sales' },
      { key: ProjectStageKey, value: s.stage },
      { key: CustomerIdKey, value: input.customerId },
      { key: SiteIdKey, value: input.siteId },
    ]);
  const moveTo = (stage: FloorSalesStage) => {
    s.stage = stage;
    upsertAll();
    rt.writer.touch();
  };
  const create = (task: string) => {
    const id = `t${++s.taskSeq}`;
    s.open.push({ id, task });
    rt.writer.touch();
    rt.deadlines.set({ id: `${id}:due`, at: Date.now() + input.taskDueAfterMs, kind: 'due' });
  };
  const openOfType = (task: string) => s.open.some((candidate) => candidate.task === task);
  const clearTask = (id: string) => rt.deadlines.clear((deadline) => deadline.id.startsWith(`${id}:`));
  const cancelTasks = (predicate: (task: string) => boolean) => {
    for (const task of s.open.filter((candidate) => predicate(candidate.task))) {
      rt.writer.touch();
      clearTask(task.id);
    }
    s.open = s.open.filter((candidate) => !predicate(candidate.task));
  };
  const enqueue = (kind: FloorSalesState['effects'][number]['kind']) => {
    s.effects.push({ id: `x${++s.effectSeq}`, kind });
    rt.changed();
  };
  const startJob = (type: 'inspection' | 'installation', rework = false) => {
    const id = `${input.projectId}-j${s.jobs.length + 1}`;
    s.jobs.push({ id, workflowId: floorJobWorkflowId(id), type, ...(rework ? { rework } : {}), status: 'starting' });
  };
  const watch = (jobId: string) => {
    const id = `${jobId}:watch`;
    if (!s.deadlines.some((deadline) => deadline.id === id)) rt.deadlines.set({ id, at: Date.now() + input.jobWatchEveryMs, kind: 'watch' });
  };
  for (const job of s.jobs.filter((candidate) => candidate.status === 'open')) watch(job.id);

  const close = (how: 'completed' | 'cancelled') => {
    cancelTasks(() => true);
    rt.deadlines.clear(() => true);
    s.closed = true;
    moveTo(how);
    for (const job of s.jobs.filter((candidate) => candidate.status === 'starting')) jobEnded(job.id, 'cancelled');
    if (how === 'cancelled' && s.linked) enqueue('archive');
  };
  const openSync = () => {
    if (!openOfType('sync_design')) create('sync_design');
  };
  const toInspection = () => {
    moveTo('inspection');
    startJob('inspection');
  };
  const toConsidering = () => {
    moveTo('considering');
    rt.deadlines.set({ id: FOLLOW_UP, at: Date.now() + (input.followUpAfterMs ?? 3 * 86_400_000), kind: 'follow_up' });
  };
  const toCommitting = () => {
    rt.deadlines.clear((deadline) => deadline.kind === 'follow_up');
    cancelTasks((task) => task === 'follow_up_customer' || task === 'sync_design' || task === 'link_design_project');
    moveTo('committing');
    if (s.depositPaid) toInspection();
  };
  const toInstallation = () => {
    moveTo('installation');
    create('start_installation');
  };
  const nextClosing = () => {
    const [next, ...rest] = s.closing;
    s.closing = rest;
    if (next) create(next);
    else close('completed');
  };

  const onTask: Record<string, () => void> = {
    onboard_site: () => {
      moveTo('quoting');
      create('link_design_project');
    },
    link_design_project: () => enqueue('link'),
    sync_design: () => enqueue('sync'),
    follow_up_customer: () => undefined,
    start_installation: () => startJob('installation'),
    update_quote: nextClosing,
    update_asset_serials: nextClosing,
    upload_compliance_documents: nextClosing,
    invoice_customer: nextClosing,
    confirm_payment: nextClosing,
  };
  const validate = (request: FloorStep) => {
    if (s.closed) throw refuse('closed');
    if (request.step !== 'task' || !request.task || !openOfType(request.task)) throw refuse(`no open ${request.task ?? request.step} task`);
  };
  const complete = (request: FloorStep) => {
    validate(request);
    const index = s.open.findIndex((candidate) => candidate.task === request.task);
    const [task] = s.open.splice(index, 1);
    clearTask(task.id);
    rt.writer.touch(); // the task done, its timeline line
    onTask[task.task]?.();
  };

  function jobEnded(jobId: string, reported?: string): void {
    const job = s.jobs.find((candidate) => candidate.id === jobId);
    if (!job || job.status === 'done') return;
    job.status = 'done';
    if (reported) job.outcome = reported;
    rt.deadlines.clear((deadline) => deadline.id === `${jobId}:watch`);
    rt.changed();
    rt.writer.touch();
    if (s.closed) return;
    const review = REVIEWS.has(job.outcome ?? '') ? job.outcome : undefined;
    if (!review) {
      // Ended without its review: run again, a few times.
      const recent = s.jobs.slice(-JOB_RETRIES);
      if (recent.length === JOB_RETRIES && recent.every((candidate) => candidate.type === job.type && !REVIEWS.has(candidate.outcome ?? ''))) {
        close('cancelled');
        return;
      }
      startJob(job.type, job.rework);
      return;
    }
    if (job.type === 'inspection') {
      if (review === 'pass') toInstallation();
      else if (review === 'pass_update_quote') create('update_quote');
      else if (review === 'reinspect') startJob('inspection');
      else close('cancelled');
      return;
    }
    if (review === 'return_to_site') {
      startJob('installation', true);
      return;
    }
    // Approved: the close-out (the bench's installations have serials and need no quote update).
    s.closing = ['upload_compliance_documents', 'invoice_customer', 'confirm_payment'];
    nextClosing();
  }

  const onDeadline = (deadline: FloorDeadline) => {
    const task = s.open.find((candidate) => deadline.id.startsWith(`${candidate.id}:`));
    if (deadline.kind === 'due' || deadline.kind === 'escalate') {
      if (!task) return;
      rt.writer.touch(); // a reminder or an escalation
      if (deadline.kind === 'due') rt.deadlines.set({ id: `${task.id}:escalate`, at: Date.now() + input.taskEscalateAfterMs, kind: 'escalate' });
      return;
    }
    if (s.closed) return;
    if (deadline.kind === 'watch') toCheck.push(deadline.id.slice(0, -':watch'.length));
    if (deadline.kind === 'follow_up' && s.stage === 'considering') {
      if (!openOfType('follow_up_customer')) create('follow_up_customer');
      rt.deadlines.set({ ...deadline, at: Date.now() + (input.followUpAfterMs ?? 3 * 86_400_000) });
    }
  };

  const effectsDue = () => s.effects.length > 0;
  /** The product's OutsideWork.runDue: each effect's activity, unless it has nothing to do. */
  const runDue = async () => {
    for (const effect of s.effects.slice()) {
      if (effect.kind === 'link' && !s.linked) {
        await floorDesign({ call: 'link' });
        s.linked = true;
        rt.writer.touch();
        if (s.closed) {
          if (s.stage === 'cancelled') enqueue('archive');
        } else openSync();
      } else if (effect.kind === 'sync' && s.linked && !s.closed) {
        await floorDesign({ call: 'sync' });
        s.synced++;
        rt.writer.touch();
        if (!s.closed && (s.stage === 'quoting' || s.stage === 'considering')) openSync();
      } else if (effect.kind === 'archive' && s.linked) {
        await floorDesign({ call: 'archive' });
        rt.writer.touch();
      }
      s.effects = s.effects.filter((candidate) => candidate.id !== effect.id);
    }
  };

  setHandler(
    floorCompleteUpdate,
    async (request) => {
      const jobsBefore = s.jobs.length;
      complete(request);
      const started = s.jobs.length > jobsBefore ? s.jobs.at(-1) : undefined;
      rt.changed();
      await rt.writer.flush();
      if (started) {
        await condition(() => started.status !== 'starting');
        return started.status === 'open' ? { follow: { workflowId: started.workflowId } } : {};
      }
      return {};
    },
    { validator: validate },
  );
  setHandler(floorSettledUpdate, async (request) => {
    await condition(() => {
      const job = request.afterJobId ? s.jobs.find((candidate) => candidate.id === request.afterJobId) : undefined;
      return rt.writer.settled && (!job || job.status === 'done');
    });
    return { closed: s.closed };
  });
  setHandler(floorWrittenQuery, () => rt.writer.written);
  setHandler(floorDesignEventSignal, ({ type }) => {
    rt.writer.touch(); // its timeline line, applied or ignored
    if (!s.closed && s.linked) {
      if (type === 'proposal.sent' && s.stage === 'quoting') toConsidering();
      else if (type === 'proposal.signed' && (s.stage === 'quoting' || s.stage === 'considering')) {
        toCommitting();
        enqueue('sync'); // the signed proposal's price and lines
      } else if (type === 'deposit.paid' && (s.stage === 'committing' || s.stage === 'quoting' || s.stage === 'considering')) {
        s.depositPaid = true;
        if (s.stage === 'committing') toInspection();
      }
    }
    rt.changed();
  });
  setHandler(floorJobFinishedSignal, ({ jobId, outcome: reported }) => jobEnded(jobId, reported));

  if (!input.carried) {
    moveTo('onboarding');
    create('onboard_site');
    upsertAll();
  }
  await rt.writer.flush();

  const jobsToStart = () => s.jobs.some((job) => job.status === 'starting');
  while (!s.closed) {
    if (jobsToStart()) {
      for (const job of s.jobs.filter((candidate) => candidate.status === 'starting')) {
        const chain = job.type === 'inspection' ? input.chains.inspection : job.rework ? input.chains.rework : input.chains.installation;
        try {
          const child = await startChild(floorJob, {
            workflowId: job.workflowId,
            args: [
              {
                jobId: job.id,
                parentWorkflowId: workflowInfo().workflowId,
                customerId: input.customerId,
                siteId: input.siteId,
                steps: chain.length,
                chain,
                fieldStep: job.type === 'inspection' ? input.chains.fieldSteps.inspection : job.rework ? input.chains.fieldSteps.rework : input.chains.fieldSteps.installation,
                ...(job.type === 'installation' && !job.rework ? { preparedAt: input.chains.installationPreparedAt } : {}),
                kind: job.type,
                times: {
                  taskDueAfterMs: input.taskDueAfterMs,
                  taskEscalateAfterMs: input.taskEscalateAfterMs,
                  chaseAfterMs: input.chaseAfterMs,
                  jobWatchEveryMs: input.jobWatchEveryMs,
                  continueAsNewAfterEvents: input.continueAsNewAfterEvents,
                  fieldTaskDueAfterStartMs: input.fieldTaskDueAfterStartMs,
                },
              },
            ],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            staticSummary: `${job.type} job ${s.jobs.indexOf(job) + 1} of floor sales project ${input.projectId}`,
          });
          job.status = 'open';
          child.result().then(
            (result) => jobEnded(job.id, result.outcome),
            () => jobEnded(job.id, 'failed'),
          );
        } catch {
          job.status = 'open';
          jobEnded(job.id, 'failed');
        }
      }
      continue;
    }
    if (toCheck.length) {
      const ids = toCheck.splice(0);
      const jobs = s.jobs.filter((job) => ids.includes(job.id) && job.status === 'open');
      if (jobs.length) {
        await floorCheckJobs(jobs.map((job) => job.workflowId)).catch(() => []);
        for (const job of jobs) watch(job.id);
      }
      continue;
    }
    if (effectsDue()) {
      await runDue();
      continue;
    }
    if (tooLong(input.continueAsNewAfterEvents)) {
      patched(DRAIN_PATCH);
      if (await rt.drained(() => jobsToStart() || toCheck.length > 0 || s.closed)) {
        return continueAsNew<typeof floorSalesProject>({ ...input, carried: s });
      }
      if (rt.writer.ready) await rt.writer.flush();
      continue;
    }
    await rt.next(onDeadline, () => jobsToStart() || toCheck.length > 0 || effectsDue());
  }

  return CancellationScope.nonCancellable(async () => {
    await Promise.all(
      s.jobs
        .filter((job) => job.status === 'open')
        .map((job) =>
          getExternalWorkflowHandle(job.workflowId)
            .signal(floorCancelJobSignal)
            .catch(() => undefined),
        ),
    );
    while (effectsDue()) {
      if (tooLong(input.continueAsNewAfterEvents)) {
        if (await rt.drained(effectsDue)) return continueAsNew<typeof floorSalesProject>({ ...input, carried: s });
        continue;
      }
      await runDue();
    }
    await rt.finish();
    return { outcome: s.stage, jobs: s.jobs.length };
  });
}
