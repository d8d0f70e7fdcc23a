// The load driver, in its own process: Fieldflow over HTTP on 127.0.0.1, the floor over
// a Temporal client. bench/run.ts tells it what to run and gets figures back.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { FloorClient, type FloorPolicy } from './floor/client';
import { floorJobWorkflowId, floorSalesWorkflowId, floorWorkflowId } from './floor/definitions';
import { serve } from './ipc';
import { ProductClient, type RecordAction, type Record_ } from './product-client';

export type Kind = 'product' | 'floor';

let product: ProductClient;
let floor: FloorClient;
let temporal: Client;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newId = () => `b${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;

function runProject(kind: Kind, record?: Record_): Promise<string> {
  return kind === 'product' ? product.serviceProject(record) : floor.serviceProject(newId(), record);
}

function runSales(kind: Kind, record?: RecordAction): Promise<string> {
  return kind === 'product' ? product.salesProject(record) : floor.salesProject(newId(), record);
}

/** The workflow ids of a sales project and its n-th job, whichever kind. */
function salesIds(kind: Kind, projectId: string) {
  return kind === 'product'
    ? { parent: `sales-${projectId}`, job: (n: number) => `job-${projectId}-j${n}` }
    : { parent: floorSalesWorkflowId(projectId), job: (n: number) => floorJobWorkflowId(`${projectId}-j${n}`) };
}

/** The project id behind what runProject returns (Fieldflow's project id, the floor's workflow id). */
const projectIdOf = (kind: Kind, returned: string) => (kind === 'product' ? returned : returned.slice('floor-'.length));

/** The workflow ids of a project and its n-th job, whichever kind. */
function ids(kind: Kind, projectId: string) {
  return kind === 'product'
    ? { parent: `service-${projectId}`, job: (n: number) => `job-${projectId}-j${n}` }
    : { parent: floorWorkflowId(projectId), job: (n: number) => floorJobWorkflowId(`${projectId}-j${n}`) };
}

/** Every event of every run of a workflow (it may have continued as new). */
async function historyOf(workflowId: string): Promise<{ events: number; runs: number; longestRun: number; types: Record<string, number>; actions: string[] }> {
  let runId: string | undefined = (await temporal.workflow.getHandle(workflowId).describe()).runId;
  let events = 0;
  let runs = 0;
  let longestRun = 0;
  const types: Record<string, number> = {};
  /** The action events (not workflow tasks) in order, the last run first. */
  const actions: string[] = [];
  while (runId) {
    const list: { eventType?: unknown; workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null }[] =
      (await temporal.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    events += list.length;
    runs++;
    longestRun = Math.max(longestRun, list.length);
    for (const event of list) {
      const type = proto.api.enums.v1.EventType[Number(event.eventType)] ?? String(event.eventType);
      types[type] = (types[type] ?? 0) + 1;
      if (!/WORKFLOW_TASK/.test(type)) actions.push(type.replace('EVENT_TYPE_', '').toLowerCase());
    }
    runId = list[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { events, runs, longestRun, types, actions };
}

const length = async (workflowId: string) => Number((await temporal.workflow.getHandle(workflowId).describe()).historyLength);

serve({
  async init(options: { apiUrl: string; designToolUrl?: string; temporalAddress: string; namespace: string; floorPolicy: FloorPolicy }) {
    product = new ProductClient(options.apiUrl);
    product.designToolUrl = options.designToolUrl ?? '';
    await product.login();
    const connection = await Connection.connect({ address: options.temporalAddress });
    temporal = new Client({ connection, namespace: options.namespace });
    floor = new FloorClient(temporal, options.floorPolicy);
  },

  /** One P1 project of each kind; the event types of the parent's and the job's histories. */
  async parity() {
    const result: Record<Kind, Record<string, Record<string, number>>> = { product: {}, floor: {} };
    const order: Record<Kind, Record<string, string[]>> = { product: {}, floor: {} };
    for (const kind of ['product', 'floor'] as Kind[]) {
      const projectId = projectIdOf(kind, await runProject(kind));
      const w = ids(kind, projectId);
      await temporal.workflow.getHandle(w.parent).result();
      for (const [part, workflowId] of [
        ['parent', w.parent],
        ['job', w.job(1)],
      ] as const) {
        const history = await historyOf(workflowId);
        result[kind][part] = history.types;
        order[kind][part] = history.actions;
      }
    }
    return { ...result, order };
  },

  /** One sales lifecycle of each kind; the event types of the parent's, the inspection's and the installation's histories. */
  async salesParity() {
    const result: Record<Kind, Record<string, Record<string, number>>> = { product: {}, floor: {} };
    const order: Record<Kind, Record<string, string[]>> = { product: {}, floor: {} };
    for (const kind of ['product', 'floor'] as Kind[]) {
      const workflowId = await runSales(kind);
      const projectId = kind === 'product' ? workflowId : workflowId.slice('floorsales-'.length);
      const w = salesIds(kind, projectId);
      await temporal.workflow.getHandle(w.parent).result();
      for (const [part, workflowId] of [
        ['parent', w.parent],
        ['inspection', w.job(1)],
        ['installation', w.job(2)],
      ] as const) {
        const history = await historyOf(workflowId);
        result[kind][part] = history.types;
        order[kind][part] = history.actions;
      }
    }
    return { ...result, order };
  },

  /** The sales phase: `concurrency` lifecycles at a time; every action's latency by its name. */
  async salesClosedLoop(kind: Kind, concurrency: number, durationMs: number) {
    const started = performance.now();
    const deadline = started + durationMs;
    let completed = 0;
    const errors: string[] = [];
    const actions: Record<string, number[]> = {};
    const record: RecordAction = (action, ms) => (actions[action] ??= []).push(ms);
    const polls = () => (kind === 'product' ? product.polls : floor.polls);
    const pollsBefore = polls();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          try {
            await runSales(kind, record);
            if (performance.now() <= deadline) completed++;
          } catch (err) {
            errors.push(String(err).slice(0, 300));
            await sleep(100);
          }
        }
      }),
    );
    return { completed, seconds: durationMs / 1000, perSecond: completed / (durationMs / 1000), actions, polls: polls() - pollsBefore, errors: errors.length, firstError: errors[0] };
  },

  /**
   * P1: `concurrency` projects at a time, each started when the previous one closed.
   * `finished` also counts the projects that ended after the deadline (P6 charges all of
   * the run's work to them); `projectIds` are all of them.
   */
  async closedLoop(kind: Kind, concurrency: number, durationMs: number) {
    const started = performance.now();
    const deadline = started + durationMs;
    let completed = 0;
    const errors: string[] = [];
    const projectIds: string[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          try {
            projectIds.push(projectIdOf(kind, await runProject(kind)));
            if (performance.now() <= deadline) completed++;
          } catch (err) {
            errors.push(String(err).slice(0, 300));
            await sleep(100);
          }
        }
      }),
    );
    return {
      completed,
      finished: projectIds.length,
      projectIds,
      seconds: durationMs / 1000,
      wallSeconds: (performance.now() - started) / 1000,
      perSecond: completed / (durationMs / 1000),
      errors: errors.length,
      firstError: errors[0],
    };
  },

  /** P6: the history of each project, its parent's and its job's (a P1 project has one): bytes and events, summed. */
  async histories(kind: Kind, projectIds: string[]) {
    return Promise.all(
      projectIds.map(async (projectId) => {
        const w = ids(kind, projectId);
        const parts = await Promise.all([w.parent, w.job(1)].map((workflowId) => temporal.workflow.getHandle(workflowId).describe()));
        return { projectId, bytes: parts.reduce((sum, d) => sum + (d.historySize ?? NaN), 0), events: parts.reduce((sum, d) => sum + d.historyLength, 0) };
      }),
    );
  },

  /** P2: projects arrive at a fixed rate, each walks its path; the latency of every task completion. */
  async openLoop(kind: Kind, perSecond: number, durationMs: number) {
    const latencies: number[] = [];
    const projectIds: string[] = [];
    const running: Promise<void>[] = [];
    const errors: string[] = [];
    const started = performance.now();
    for (let i = 0; ; i++) {
      const due = started + (i * 1000) / perSecond;
      if (due >= started + durationMs) break;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      running.push(
        runProject(kind, (ms) => latencies.push(ms)).then(
          (workflowId) => void projectIds.push(projectIdOf(kind, workflowId)),
          (err) => void errors.push(String(err).slice(0, 300)),
        ),
      );
    }
    await Promise.all(running);
    return { projects: running.length, projectIds, latencies, errors: errors.length, firstError: errors[0], seconds: (performance.now() - started) / 1000 };
  },

  /** P3: `count` more projects parked mid-lifecycle, `concurrency` at a time. */
  async park(kind: Kind, count: number, concurrency: number) {
    let left = count;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left > 0) {
          left--;
          await (kind === 'product' ? product.parkedProject() : floor.parkedProject(newId()));
        }
      }),
    );
    return { seconds: (performance.now() - started) / 1000 };
  },

  /**
   * P4: one project through `loops` returns to site (each a service review sending an
   * audit job, and the job's five tasks). After each of the first `measure` loops, the
   * events of the project's workflow and all its jobs' workflows so far.
   */
  async loops(kind: Kind, loops: number, measure: number, continueAsNewAfterEvents?: number) {
    const started = performance.now();
    const points: [number, number][] = [];
    const parentPoints: [number, number][] = [];
    let projectId: string;
    let jobEvents = 0;
    let view: any;
    let parent: any;
    if (kind === 'product') {
      view = await product.createProject('Intermittent tripping');
      projectId = view.id;
      view = await product.complete(view, 'service_request', { description: 'RCD trips at night', resolution: 'site_visit', jobType: 'audit' });
      view = await product.auditJob(view);
    } else {
      projectId = newId();
      parent = await floor.start(projectId, continueAsNewAfterEvents);
      await floor.auditJob(parent, await floor.act(parent, { step: 'request', outcome: 'site_visit' }));
    }
    const w = ids(kind, projectId);
    for (let k = 1; k <= loops; k++) {
      if (kind === 'product') {
        view = await product.complete(view, 'service_review', { outcome: 'return_to_site', jobType: 'audit' });
        view = await product.auditJob(view);
      } else {
        await floor.auditJob(parent, await floor.act(parent, { step: 'review', outcome: 'return_to_site' }));
      }
      if (k <= measure) {
        if (k === 1) jobEvents += await length(w.job(1));
        jobEvents += await length(w.job(k + 1));
        const parentEvents = await length(w.parent);
        points.push([k, parentEvents + jobEvents]);
        parentPoints.push([k, parentEvents]);
      }
    }
    if (kind === 'product') view = await product.complete(view, 'service_review', { outcome: 'resolved' });
    else await floor.act(parent, { step: 'review', outcome: 'resolved' });
    const result = (await temporal.workflow.getHandle(w.parent).result()) as unknown;
    const total = await historyOf(w.parent);
    let jobs = 0;
    let longestJob = 0;
    for (let n = 1; n <= loops + 1; n++) {
      const events = await length(w.job(n));
      jobs += events;
      longestJob = Math.max(longestJob, events);
    }
    return {
      projectId,
      result,
      points,
      parentPoints,
      parentEvents: total.events,
      runs: total.runs,
      longestRun: total.longestRun,
      jobEvents: jobs,
      longestJob,
      seconds: (performance.now() - started) / 1000,
    };
  },

  /** P5: GET /search as ops@ for each query, one request at a time; every query must find something. */
  async search(queries: string[], warmup: number) {
    const times: number[] = [];
    for (const [index, q] of [...queries.slice(0, warmup), ...queries].entries()) {
      const started = performance.now();
      const answer = await product.send('GET', `/search?q=${encodeURIComponent(q)}`, 'ops');
      if (index >= warmup) times.push(performance.now() - started);
      if (!answer.projects?.length && !answer.customers?.length && !answer.sites?.length) throw new Error(`/search?q=${q}: nothing found`);
    }
    return times;
  },

  /** P5: the two list routes as ops@, one request at a time. */
  async lists(requests: number, warmup: number) {
    const time = async (path: string, n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const answer = await product.send('GET', path, 'ops');
        times.push(performance.now() - started);
        if (!Array.isArray(answer.items) || answer.items.length === 0) throw new Error(`${path}: no items`);
      }
      return times;
    };
    const projectsPath = '/projects?stage=investigating';
    const tasksPath = '/tasks?assignee=me&status=open';
    await time(projectsPath, warmup);
    await time(tasksPath, warmup);
    return { projects: await time(projectsPath, requests), tasks: await time(tasksPath, requests) };
  },
});
