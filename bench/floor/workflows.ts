// The floor workflows: serviceProject and siteJob reduced to their Temporal actions.
// Each mirrors the product's control flow (the kernel in workflows/projects/, the task
// runtime, outbox and deadlines in workflows/tasks/, siteJob in workflows/jobs/) step by
// step, so both produce the same kinds and numbers of history events; bench/run.ts checks that.
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../../workflows/search-attributes';
import type { floorActivities } from './activities';
import {
  floorCancelJobSignal,
  floorCompleteUpdate,
  floorJobFinishedSignal,
  floorJobWorkflowId,
  floorOutcomeSignal,
  floorSettledUpdate,
  type FloorDeadline,
  type FloorJobInput,
  type FloorProjectInput,
  type FloorState,
  type FloorStep,
} from './definitions';

// The same activity options as the product's read-model write (workflows/tasks/outbox.ts)
// and its check on carried jobs (workflows/projects/project.ts).
const { floorWrite } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '20 seconds',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 3 },
  summary: 'Write the read model',
});
const { floorCheckJobs } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
  summary: 'Check on jobs carried across continue-as-new',
});

// The product's patches: each records a marker (and upserts TemporalChangeVersion) the
// first time a run passes it.
const DRAIN_PATCH = '2026-11-drain-yields-to-loop';
const JOB_SEARCH_ATTRIBUTES_PATCH = '2026-11-job-search-attributes';

/** The product's Outbox without the rows: a dirty flag and one writer at a time. */
class Writer {
  private flushing = false;
  private writes = 0;

  constructor(private dirty: boolean) {}

  touch(): void {
    this.dirty = true;
  }

  get pending(): boolean {
    return this.dirty;
  }

  get inFlight(): boolean {
    return this.flushing;
  }

  get ready(): boolean {
    return this.dirty && !this.flushing;
  }

  get settled(): boolean {
    return !this.dirty && !this.flushing;
  }

  /** The no-op write never fails, so the product's stale-and-retry branch never runs here. */
  async flush(): Promise<boolean> {
    for (;;) {
      if (this.flushing) {
        await condition(() => !this.flushing);
        continue;
      }
      if (!this.dirty) return true;
      this.dirty = false;
      this.flushing = true;
      try {
        await floorWrite({ n: ++this.writes });
      } finally {
        this.flushing = false;
      }
    }
  }
}

/** The product's Deadlines: absolute times served by one timer, never cancelled. */
class Deadlines {
  private running: number[] = [];
  woke = false;

  constructor(private readonly ledger: { deadlines: FloorDeadline[] }) {}

  set(deadline: FloorDeadline): void {
    this.clear((candidate) => candidate.id === deadline.id);
    this.ledger.deadlines.push(deadline);
  }

  clear(predicate: (deadline: FloorDeadline) => boolean): void {
    this.ledger.deadlines = this.ledger.deadlines.filter((deadline) => !predicate(deadline));
  }

  has(id: string): boolean {
    return this.ledger.deadlines.some((deadline) => deadline.id === id);
  }

  /** A timer for the earliest deadline, unless one already runs for that time or earlier. */
  arm(): void {
    const at = Math.min(...this.ledger.deadlines.map((deadline) => deadline.at));
    if (at === Infinity || this.running.some((time) => time <= at)) return;
    this.running.push(at);
    sleep(Math.max(1, at - Date.now()), { summary: 'Floor deadline' })
      .then(() => {
        this.running = this.running.filter((time) => time !== at);
        this.woke = true;
      })
      .catch(() => undefined);
  }

  takeDue(): FloorDeadline[] {
    this.woke = false;
    const now = Date.now();
    const due = this.ledger.deadlines.filter((deadline) => deadline.at <= now).sort((a, b) => a.at - b.at);
    if (due.length) this.clear((deadline) => deadline.at <= now);
    return due;
  }
}

/** The product's TaskRuntime: the one wait, the drain before continue-as-new, the drain before the end. */
class Runtime {
  readonly writer: Writer;
  readonly deadlines: Deadlines;
  private step = 0;

  constructor(ledger: { deadlines: FloorDeadline[] }, fresh: boolean) {
    this.writer = new Writer(fresh);
    this.deadlines = new Deadlines(ledger);
  }

  changed(): void {
    this.step++;
  }

  async next(onDeadline: (deadline: FloorDeadline) => void, wake: () => boolean = () => false): Promise<void> {
    const seen = this.step;
    this.deadlines.arm();
    await condition(() => this.step !== seen || this.deadlines.woke || this.writer.ready || wake());
    for (const deadline of this.deadlines.takeDue()) onDeadline(deadline);
    await this.writer.flush();
  }

  async drained(busy: () => boolean): Promise<boolean> {
    const quiet = () => allHandlersFinished() && !this.writer.inFlight;
    await condition(() => quiet() || busy() || this.writer.ready);
    return quiet() && !busy() && !this.writer.ready;
  }

  async finish(): Promise<void> {
    for (;;) {
      await this.writer.flush();
      await condition(() => allHandlersFinished() || this.writer.ready);
      if (allHandlersFinished() && !this.writer.pending) return;
    }
  }
}

const refuse = (message: string) => ApplicationFailure.create({ type: 'FloorRefused', message, nonRetryable: true });
const TASK_DUE = 'task:due';

function tooLong(continueAsNewAfterEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= continueAsNewAfterEvents;
}

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
                steps: 5,
                times: {
                  taskDueAfterMs: input.taskDueAfterMs,
                  taskEscalateAfterMs: input.taskEscalateAfterMs,
                  chaseAfterMs: input.chaseAfterMs,
                  jobWatchEveryMs: input.jobWatchEveryMs,
                  continueAsNewAfterEvents: input.continueAsNewAfterEvents,
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

export async function floorJob(input: FloorJobInput): Promise<{ jobId: string; outcome: string }> {
  const state = input.carried ?? { done: 0, deadlines: [] };
  const rt = new Runtime(state, !input.carried);
  let cancelled = false;
  const finished = () => cancelled || state.done >= input.steps;
  const openTask = () => rt.deadlines.set({ id: TASK_DUE, at: Date.now() + input.times.taskDueAfterMs, kind: 'due' });
  const validate = (request: FloorStep) => {
    if (request.step !== 'job' || finished()) throw refuse('no open task');
  };

  setHandler(
    floorCompleteUpdate,
    async (request) => {
      validate(request);
      state.done++;
      rt.deadlines.clear(() => true);
      if (!finished()) openTask();
      rt.writer.touch();
      rt.changed();
      await rt.writer.flush();
      return finished() ? { follow: { workflowId: input.parentWorkflowId, afterJobId: input.jobId } } : {};
    },
    { validator: validate },
  );
  setHandler(floorSettledUpdate, async () => {
    await condition(() => rt.writer.settled);
    return { closed: finished() };
  });
  setHandler(floorCancelJobSignal, () => {
    if (finished()) return;
    cancelled = true;
    rt.deadlines.clear(() => true);
    rt.writer.touch();
    rt.changed();
  });

  if (!input.carried && patched(JOB_SEARCH_ATTRIBUTES_PATCH)) {
    upsertSearchAttributes([
      { key: ProjectKindKey, value: 'job:floor' },
      { key: SiteIdKey, value: input.siteId },
      { key: CustomerIdKey, value: input.customerId },
    ]);
  }
  if (!input.carried) openTask();
  await rt.writer.flush();
  while (!finished()) {
    if (tooLong(input.times.continueAsNewAfterEvents)) {
      if (await rt.drained(finished)) return continueAsNew<typeof floorJob>({ ...input, carried: state });
      if (rt.writer.ready) await rt.writer.flush();
      continue;
    }
    await rt.next(() => rt.writer.touch()); // a reminder or an escalation
  }

  return CancellationScope.nonCancellable(async () => {
    await getExternalWorkflowHandle(input.parentWorkflowId)
      .signal(floorJobFinishedSignal, { jobId: input.jobId })
      .catch(() => undefined);
    await rt.finish();
    return { jobId: input.jobId, outcome: cancelled ? 'cancelled' : 'completed' };
  });
}
