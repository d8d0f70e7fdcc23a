// The floor workflows: serviceProject and siteJob reduced to their Temporal actions.
// Each mirrors the product's control flow (the kernel in workflows/projects/, the task
// runtime, outbox and deadlines in workflows/tasks/, siteJob in workflows/jobs/) step by
// step, so both produce the same kinds and numbers of history events; bench/run.ts checks that.
import {
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../../workflows/search-attributes';
import {
  floorCancelJobSignal,
  floorCompleteUpdate,
  floorJobFinishedSignal,
  floorJobWorkflowId,
  floorOutcomeSignal,
  floorProtocolUpdate,
  floorSettledUpdate,
  floorWrittenQuery,
  type FloorDeadline,
  type FloorJobInput,
  type FloorJobState,
  type FloorProtocolChange,
  type FloorProjectInput,
  type FloorState,
  type FloorStep,
} from './definitions';
import {
  CONFIRMING,
  DEFAULT_FIELD_DUE_AFTER_START_MS,
  DRAIN_PATCH,
  FIELD_DUE_PATCH,
  floorCheckJobs,
  floorWorkOrder,
  JOB_SEARCH_ATTRIBUTES_PATCH,
  refuse,
  Runtime,
  TASK_DUE,
  tooLong,
  WORK_ORDERS_PATCH,
} from './runtime';

export { floorSalesProject } from './sales';

export async function floorProject(input: FloorProjectInput): Promise<{ jobs: number }> {
  const s: FloorState = input.carried ?? { stage: 'requesting', awaiting: 'request', jobs: [], deadlines: [], closed: false };
  const rt = new Runtime(s, !input.carried);
  const toCheck: string[] = [];

  const upsertAll = () =>
    upsertSearchAttributes([
      { key: ProjectKindKey, value: 'floor' },
      { key: ProjectStageKey, value: s.stage },
      { key: CustomerIdKey, value: input.customerId },
      { key: SiteIdKey, value: input.siteId },
    ]);
  const moveTo = (stage: string) => {
    s.stage = stage;
    upsertAll();
    rt.writer.touch();
  };
  const openTask = (awaiting: FloorState['awaiting']) => {
    s.awaiting = awaiting;
    rt.deadlines.set({ id: TASK_DUE, at: Date.now() + input.taskDueAfterMs, kind: 'due' });
  };
  const watch = (jobId: string) => {
    const id = `${jobId}:watch`;
    if (!rt.deadlines.has(id)) rt.deadlines.set({ id, at: Date.now() + input.jobWatchEveryMs, kind: 'watch' });
  };
  for (const job of s.jobs.filter((candidate) => candidate.status === 'open')) watch(job.id);

  const close = () => {
    rt.deadlines.clear(() => true);
    s.closed = true;
    s.awaiting = undefined;
    moveTo('closed');
  };
  const visitSite = () => {
    s.awaiting = undefined;
    moveTo('servicing');
    const id = `${input.projectId}-j${s.jobs.length + 1}`;
    s.jobs.push({ id, workflowId: floorJobWorkflowId(id), status: 'starting' });
  };
  const validate = (request: FloorStep) => {
    if (s.closed) throw refuse('closed');
    const open: Record<FloorStep['step'], boolean> = {
      request: s.awaiting === 'request',
      investigation: s.awaiting === 'manufacturer' || s.awaiting === 'internal',
      review: s.awaiting === 'review',
      job: false,
      task: false,
    };
    if (!open[request.step]) throw refuse(`no open ${request.step} task`);
  };
  const complete = (request: FloorStep) => {
    validate(request);
    rt.deadlines.clear((deadline) => deadline.id === TASK_DUE);
    rt.writer.touch();
    if (request.step === 'request') {
      if (request.outcome === 'site_visit') visitSite();
      else if (request.outcome === 'resolved') close();
      else {
        moveTo('investigating');
        openTask(request.outcome === 'manufacturer' ? 'manufacturer' : 'internal');
        if (request.outcome === 'manufacturer') rt.deadlines.set({ id: 'chase', at: Date.now() + input.chaseAfterMs, kind: 'chase' });
      }
      return;
    }
    if (request.step === 'investigation') rt.deadlines.clear((deadline) => deadline.kind === 'chase');
    if (request.outcome === 'site_visit' || request.outcome === 'return_to_site') visitSite();
    else close();
  };
  const jobsToStart = () => s.jobs.some((job) => job.status === 'starting');
  const jobEnded = (jobId: string) => {
    const job = s.jobs.find((candidate) => candidate.id === jobId);
    if (!job || job.status === 'done') return;
    job.status = 'done';
    rt.deadlines.clear((deadline) => deadline.id === `${jobId}:watch`);
    rt.changed();
    rt.writer.touch();
    if (s.closed) return;
    moveTo('reviewing');
    openTask('review');
  };
  const onDeadline = (deadline: FloorDeadline) => {
    if (s.closed) return;
    if (deadline.kind === 'watch') toCheck.push(deadline.id.slice(0, -':watch'.length));
    else {
      rt.writer.touch(); // a reminder, an escalation or a chase task
      if (deadline.kind === 'due') rt.deadlines.set({ id: 'task:escalate', at: Date.now() + input.taskEscalateAfterMs, kind: 'escalate' });
      if (deadline.kind === 'chase') rt.deadlines.set({ ...deadline, at: Date.now() + input.chaseAfterMs });
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
        return { follow: { workflowId: started.workflowId } };
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
  setHandler(floorOutcomeSignal, (event) => {
    if (s.awaiting !== 'manufacturer' || s.closed) rt.writer.touch(); // "ignored" on the timeline
    else complete(event);
    rt.changed();
  });
  setHandler(floorJobFinishedSignal, ({ jobId }) => jobEnded(jobId));

  if (!input.carried) {
    moveTo('requesting');
    openTask('request');
    upsertAll();
  }
  await rt.writer.flush();

  while (!s.closed) {
    if (jobsToStart()) {
      for (const job of s.jobs.filter((candidate) => candidate.status === 'starting')) {
        try {
          const child = await startChild(floorJob, {
            workflowId: job.workflowId,
            args: [
              {
                jobId: job.id,
                parentWorkflowId: workflowInfo().workflowId,
                customerId: input.customerId,
                siteId: input.siteId,
                steps: input.audit.chain.length,
                chain: input.audit.chain,
                fieldStep: input.audit.fieldStep,
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
            staticSummary: `audit job ${s.jobs.indexOf(job) + 1} of floor project ${input.projectId}`,
          });
          job.status = 'open';
          child.result().then(
            () => jobEnded(job.id),
            () => jobEnded(job.id),
          );
        } catch {
          job.status = 'open';
          jobEnded(job.id);
        }
      }
      continue;
    }
    if (toCheck.length) {
      const ids = toCheck.splice(0);
      const jobs = s.jobs.filter((job) => ids.includes(job.id) && job.status === 'open');
      if (jobs.length) {
        await floorCheckJobs(jobs.map((job) => job.workflowId)).catch(() => []);
        for (const job of jobs) watch(job.id); // the no-op check finds them running
      }
      continue;
    }
    if (tooLong(input.continueAsNewAfterEvents)) {
      patched(DRAIN_PATCH);
      if (await rt.drained(() => jobsToStart() || toCheck.length > 0 || s.closed)) {
        return continueAsNew<typeof floorProject>({ ...input, carried: s });
      }
      if (rt.writer.ready) await rt.writer.flush();
      continue;
    }
    await rt.next(onDeadline, () => jobsToStart() || toCheck.length > 0);
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
    await rt.finish();
    return { jobs: s.jobs.length };
  });
}

/**
 * siteJob: a chain of steps, each opening its tasks together (one due deadline each) and
 * done when all of them are; the last completion's outcome is the job's report. The
 * confirming task makes the work order (a no-op activity); the field step (the
 * installer's checklists) ends only with a protocol, each change its own update, and its
 * tasks fall due after the appointment.
 */
export async function floorJob(input: FloorJobInput): Promise<{ jobId: string; outcome: string }> {
  const chain = input.chain ?? Array.from({ length: input.steps }, () => 1);
  const state: FloorJobState = input.carried ?? { done: 0, step: -1, open: [], seq: 0, deadlines: [], lines: 0, photos: 0, orders: 0, keys: [] };
  const rt = new Runtime(state, !input.carried, () => ({ stage: finished() ? 'done' : 'open' }));
  let cancelled = false;
  const finished = () => cancelled || state.step >= chain.length;
  const validate = (request: FloorStep) => {
    if (request.step !== 'job' || finished() || !state.open.length) throw refuse('no open task');
    if (state.step === input.fieldStep && state.open.length === 1 && (!state.lines || !state.photos)) throw refuse('the protocol is not complete');
  };
  /** The product's fieldDueAt: the field step's tasks fall due after the appointment, once it is known. */
  const fieldDueAt = (): number | undefined => {
    if (state.step !== input.fieldStep || !state.scheduledStart) return undefined;
    if (!patched(FIELD_DUE_PATCH)) return undefined;
    return Date.parse(state.scheduledStart) + (input.times.fieldTaskDueAfterStartMs ?? DEFAULT_FIELD_DUE_AFTER_START_MS);
  };
  const advance = () => {
    do state.step++;
    while (state.step < chain.length && chain[state.step] === 0);
    if (state.step >= chain.length) return; // finished: its row and timeline line go with this batch
    const due = fieldDueAt();
    for (let i = 0; i < chain[state.step]; i++) {
      const id = `t${++state.seq}`;
      state.open.push(id);
      rt.deadlines.set({ id: `${id}:due`, at: due ?? Date.now() + input.times.taskDueAfterMs, kind: 'due' });
    }
    if (state.step === input.preparedAt) rt.writer.touch(); // the job is `prepared`
  };
  const seen = (change: FloorProtocolChange) => Boolean(change.updateId && state.keys.includes(change.updateId));

  setHandler(
    floorCompleteUpdate,
    async (request) => {
      validate(request);
      const id = state.open.shift()!;
      state.done++;
      if (request.outcome) state.outcome = request.outcome;
      if (request.scheduledStart) state.scheduledStart = request.scheduledStart;
      rt.deadlines.clear((deadline) => deadline.id === `${id}:due`);
      // The confirmation's work order (version 1), made before the answer.
      const order = CONFIRMING.includes(request.task ?? '') && !state.orders && patched(WORK_ORDERS_PATCH);
      if (order) state.orders++; // the version is due (the product's orderVersion)
      if (!state.open.length) advance();
      rt.writer.touch();
      rt.changed();
      await rt.writer.flush();
      if (order) {
        await floorWorkOrder({ version: state.orders });
        rt.writer.touch(); // its row and timeline line
        await rt.writer.flush();
      }
      return finished() ? { follow: { workflowId: input.parentWorkflowId, afterJobId: input.jobId } } : {};
    },
    { validator: validate },
  );
  // The product's fieldChange: applied once per update id, written before the answer.
  setHandler(
    floorProtocolUpdate,
    async (change) => {
      if (!seen(change)) {
        if (change.op === 'work') state.lines++;
        else state.photos++;
        if (change.updateId) state.keys = [...state.keys, change.updateId].slice(-200);
        rt.writer.touch();
        rt.changed();
      }
      await rt.writer.flush();
      return { lines: state.lines, photos: state.photos };
    },
    {
      validator: (change) => {
        if (!seen(change) && finished()) throw refuse('the job is finished');
      },
    },
  );
  setHandler(floorSettledUpdate, async () => {
    await condition(() => rt.writer.settled);
    return { closed: finished() };
  });
  setHandler(floorWrittenQuery, () => rt.writer.written);
  setHandler(floorCancelJobSignal, () => {
    if (finished()) return;
    cancelled = true;
    state.open = [];
    rt.deadlines.clear(() => true);
    rt.writer.touch();
    rt.changed();
  });

  if (!input.carried && patched(JOB_SEARCH_ATTRIBUTES_PATCH)) {
    upsertSearchAttributes([
      { key: ProjectKindKey, value: `job:${input.kind ?? 'floor'}` },
      { key: SiteIdKey, value: input.siteId },
      { key: CustomerIdKey, value: input.customerId },
    ]);
  }
  if (!input.carried) advance();
  await rt.writer.flush();
  while (!finished()) {
    if (tooLong(input.times.continueAsNewAfterEvents)) {
      if (await rt.drained(finished)) return continueAsNew<typeof floorJob>({ ...input, carried: state });
      if (rt.writer.ready) await rt.writer.flush();
      continue;
    }
    await rt.next(() => rt.writer.touch()); // a reminder or an escalation
  }

  const outcome = cancelled ? 'cancelled' : (state.outcome ?? 'completed');
  return CancellationScope.nonCancellable(async () => {
    await getExternalWorkflowHandle(input.parentWorkflowId)
      .signal(floorJobFinishedSignal, { jobId: input.jobId, outcome })
      .catch(() => undefined);
    await rt.finish();
    return { jobId: input.jobId, outcome };
  });
}
