// The floor workflows: serviceProject and siteJob reduced to their Temporal actions.
// Each mirrors the product's control flow (workflows/service/workflow.ts,
// workflows/jobs/workflow.ts, the Outbox in workflows/tasks/engine.ts) line by line,
// so both produce the same kinds and numbers of history events; bench/run.ts checks that.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ProjectStageKey } from '../../workflows/search-attributes';
import type { floorActivities } from './activities';
import {
  floorCompleteUpdate,
  floorJobWorkflowId,
  floorOutcomeSignal,
  floorSettledUpdate,
  type FloorJobInput,
  type FloorProjectInput,
  type FloorState,
  type FloorStep,
} from './definitions';

// The same local-activity options as the product's read-model write.
const { floorWrite } = proxyLocalActivities<typeof floorActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** The product's Outbox without the rows: a dirty flag and one writer at a time. */
class Writer {
  private dirty = true;
  private flushing = false;
  private writes = 0;

  touch(): void {
    this.dirty = true;
  }

  get settled(): boolean {
    return !this.dirty && !this.flushing;
  }

  async flush(): Promise<void> {
    while (!this.settled) {
      if (this.flushing) {
        await condition(() => !this.flushing);
        continue;
      }
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

const refuse = (message: string) => ApplicationFailure.create({ type: 'FloorRefused', message, nonRetryable: true });

export async function floorProject(input: FloorProjectInput): Promise<{ jobs: number }> {
  const s: FloorState = input.carried ?? { stage: 'requesting', awaiting: 'request', jobs: [], step: 0, closed: false };
  const writer = new Writer();

  const moveTo = (stage: string) => {
    s.stage = stage;
    upsertSearchAttributes([{ key: ProjectStageKey, value: stage }]);
    writer.touch();
  };
  const close = () => {
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
    writer.touch();
    s.step++;
    if (request.step === 'request') {
      if (request.outcome === 'site_visit') visitSite();
      else if (request.outcome === 'resolved') close();
      else {
        moveTo('investigating');
        s.awaiting = request.outcome === 'manufacturer' ? 'manufacturer' : 'internal';
      }
    } else if (request.outcome === 'site_visit' || request.outcome === 'return_to_site') visitSite();
    else close();
  };
  const jobToStart = () => s.jobs.find((job) => job.status === 'starting');

  setHandler(
    floorCompleteUpdate,
    async (request) => {
      complete(request);
      await writer.flush();
      const job = jobToStart();
      if (job) {
        await condition(() => job.status !== 'starting');
        return { follow: { workflowId: job.workflowId } };
      }
      return {};
    },
    { validator: validate },
  );
  setHandler(floorSettledUpdate, async (request) => {
    await condition(() => {
      const job = request.afterJobId ? s.jobs.find((candidate) => candidate.id === request.afterJobId) : undefined;
      return writer.settled && (!job || job.status === 'done');
    });
    return { closed: s.closed };
  });
  setHandler(floorOutcomeSignal, (event) => {
    if (s.awaiting !== 'manufacturer' || s.closed) {
      writer.touch();
      s.step++;
      return;
    }
    complete(event);
  });

  if (!input.carried) moveTo('requesting');
  await writer.flush();

  while (!s.closed) {
    const job = jobToStart();
    if (job) {
      const child = await startChild(floorJob, {
        workflowId: job.workflowId,
        args: [{ jobId: job.id, parentWorkflowId: workflowInfo().workflowId, steps: 5 }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      });
      job.status = 'open';
      try {
        await child.result();
      } catch {
        // a failed job still moves the project on, as in the product
      }
      job.status = 'done';
      s.step++;
      s.awaiting = 'review';
      moveTo('reviewing');
      await writer.flush();
      continue;
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= input.continueAsNewAfterEvents) {
      await condition(allHandlersFinished);
      await writer.flush();
      return continueAsNew<typeof floorProject>({ ...input, carried: s });
    }
    const step = s.step;
    const somethingHappened = () => s.step !== step || jobToStart() !== undefined || s.closed;
    if (s.awaiting === 'manufacturer') {
      if (!(await condition(somethingHappened, input.chaseAfterMs))) writer.touch(); // the chase task
    } else {
      await condition(somethingHappened);
    }
    await writer.flush();
  }

  await condition(allHandlersFinished);
  await writer.flush();
  return { jobs: s.jobs.length };
}

export async function floorJob(input: FloorJobInput): Promise<{ jobId: string; outcome: string }> {
  const writer = new Writer();
  let done = 0;
  const finished = () => done >= input.steps;
  const validate = (request: FloorStep) => {
    if (request.step !== 'job' || finished()) throw refuse('no open task');
  };

  setHandler(
    floorCompleteUpdate,
    async (request) => {
      validate(request);
      done++;
      writer.touch();
      await writer.flush();
      return finished() ? { follow: { workflowId: input.parentWorkflowId, afterJobId: input.jobId } } : {};
    },
    { validator: validate },
  );
  setHandler(floorSettledUpdate, async () => {
    await condition(() => writer.settled);
    return { closed: finished() };
  });

  await writer.flush();
  await condition(finished);
  await condition(allHandlersFinished);
  await writer.flush();
  return { jobId: input.jobId, outcome: 'completed' };
}
