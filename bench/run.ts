// `npm run bench`: Fieldflow against the raw Temporal floor, in one run on one Temporal
// server: the dev server, or with --temporal=cluster the production server on its own
// PostgreSQL (runtime/temporal-cluster.ts, as the fault tests). Starts it, Fieldflow
// (host.ts: read model, worker, API, as `npm start`), the floor's worker (floor/host.ts)
// and the load driver (driver.ts) as separate processes, runs the phases, prints one
// table and writes bench/results/latest.json. Method and flags: bench/README.md.
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { postmasterPid, startTemporalCluster, TEMPORAL_SERVER_VERSION, type TemporalCluster } from '../runtime/temporal-cluster';
import { DEV_SERVER_DYNAMIC_CONFIG, freePort, startDevServer } from '../runtime/temporal-dev-server';
import { searchAttributeNames } from '../workflows/search-attributes';
import {
  check,
  CHECK_TOLERANCE,
  describeCheck,
  describeCost,
  describeIdle,
  describeProjection,
  P1_ACTIONS,
  perProject,
  postgresClusterCpuSeconds,
  project,
  ratesBetween,
  ServerCounters,
  STATS_SETTLE_MS,
  TARGET,
  type CheckLine,
  type PerProject,
  type Projection,
  type Rates,
} from './capacity';
import type { MemorySample } from './host-common';
import { connect, type Remote } from './ipc';
import { summarizeHeap } from './heap';
import { histogramMeans, parseMetrics, type HistogramMean } from './metrics';
import { parseOptions, type BenchOptions } from './options';
import { POLL_MS, SALES } from './product-client';
import { formatProfile, summarizeProfile, type ProfileSummary } from './profile';
import { fitLine, median, percentile } from './stats';

type Kind = 'product' | 'floor';
const KINDS: Kind[] = ['product', 'floor'];
const ROOT = path.resolve(__dirname, '..');

const t0 = Date.now();
const log = (message: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const SALES_COMPLETIONS = [SALES.onboarding, ...SALES.inspection, [SALES.startInstallation], ...SALES.installation, SALES.closing].flat().length;
const SALES_HTTP = `a new site, POST /projects, a document, ${SALES_COMPLETIONS} task completions (each checklist answered from its template's schema, its photos uploaded), 4 protocol changes (a work line and an uploaded photo per job) and 3 design-tool events (the stand-in's controls, each sending a signed webhook)`;
const SALES_ACTIONS = `${SALES_COMPLETIONS} completion updates with their settle updates, 4 protocol updates, 3 signals`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

interface Metric {
  value: number | string;
  floor: number | string | null;
  ratio: number | null;
  target: string;
  unit: string;
  met: boolean | null;
  label: string;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const previous = readPrevious(path.resolve(ROOT, options.out));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-bench-'));
  const profileDir = path.join(ROOT, 'bench', 'results', 'profiles');
  const loadAtStart = os.loadavg();
  log(`work dir ${workDir}${options.quick ? ' (quick run)' : ''}`);

  // Each worker bundles its workflows at start, as `npm start` does (worker/create.ts).
  const server = await startServer(options, workDir);
  log(`${server.name} at ${server.address}: ${server.description}`);
  const children: Remote[] = [];
  const stopAll = async () => {
    for (const child of children) child.child.kill('SIGKILL');
    await server.stop();
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));

  try {
    const [productMetricsPort, floorMetricsPort] = options.metrics ? [await freePort(), await freePort()] : [undefined, undefined];
    const start = (script: string, name: string, env: Record<string, string | undefined>, execArgv: string[] = []) => {
      const out = fs.openSync(path.join(workDir, `${name}.log`), 'a');
      const child = fork(path.join(__dirname, script), [], {
        cwd: ROOT,
        execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href, ...execArgv],
        env: { ...process.env, ...env },
        stdio: ['ignore', out, out, 'ipc'],
      });
      child.once('exit', (code, signal) => {
        if (code && code !== 0) console.error(`${name} exited with ${code ?? signal}; its log: ${path.join(workDir, `${name}.log`)}`);
      });
      return connect(child, name).then((remote) => {
        children.push(remote);
        return remote;
      });
    };
    const common = { BENCH_TEMPORAL_ADDRESS: server.address, LOG_LEVEL: options.logLevel };
    const clusterCpu = () => (server.cluster ? postgresClusterCpuSeconds(postmasterPid(server.cluster)!) : NaN);
    const [product, floorHost, driver] = await Promise.all([
      start('host.ts', 'fieldflow', { ...common, BENCH_METRICS_PORT: productMetricsPort?.toString() }, ['--expose-gc']),
      start('floor/host.ts', 'floor', { ...common, BENCH_METRICS_PORT: floorMetricsPort?.toString() }, ['--expose-gc']),
      start('driver.ts', 'driver', {}),
    ]);
    const hosts: Record<Kind, Remote> = { product, floor: floorHost };
    const productInfo = await product.call('info');
    const floorInfo = await floorHost.call('info');
    await driver.call('init', {
      apiUrl: productInfo.url,
      designToolUrl: productInfo.designToolUrl,
      temporalAddress: server.address,
      namespace: 'default',
      floorPolicy: {
        taskDueAfterMs: productInfo.policy.taskDueAfterMs,
        taskEscalateAfterMs: productInfo.policy.taskEscalateAfterMs,
        chaseAfterMs: productInfo.policy.chaseManufacturerAfterMs,
        jobWatchEveryMs: productInfo.policy.jobWatchEveryMs,
        continueAsNewAfterEvents: productInfo.policy.continueAsNewAfterEvents,
        followUpAfterMs: productInfo.policy.followUpCustomerAfterMs,
        fieldTaskDueAfterStartMs: productInfo.policy.fieldTaskDueAfterStartMs,
      },
    });
    log(`Fieldflow at ${productInfo.url} (${productInfo.database}); floor worker on task queue ${floorInfo.taskQueue}; ${server.name} ${server.address}`);

    // P6's baseline, before any load: the idle server's own work (shard and queue upkeep, the
    // workers' polls), charged to no project. Measured later, it would catch the deferred
    // deletion of the tasks earlier phases left behind.
    let p6: { counters: ServerCounters; idle: Rates } | undefined;
    if (options.only.has('p6') && server.cluster) {
      const counters = await ServerCounters.open(server.cluster.databaseUrl, server.pid, postmasterPid(server.cluster)!);
      await sleep(STATS_SETTLE_MS);
      const idleFrom = await counters.read();
      await sleep(options.p6IdleSeconds * 1000);
      p6 = { counters, idle: ratesBetween(idleFrom, await counters.read()) };
      log(`P6 idle server, per second: ${describeIdle(p6.idle)}`);
    }

    const metrics: Record<string, Metric> = {};
    const details: Record<string, unknown> = {};
    const notes: string[] = [];
    const order = (round: number): Kind[] => (round % 2 === 0 ? KINDS : [...KINDS].reverse());

    // --- parity: the floor performs the same Temporal actions -------------------------
    if (options.only.has('parity')) {
      const service = compareParity(await driver.call('parity'));
      details.parity = service.parity;
      log(`parity: one P1 project, parent and job: ${service.same ? `the same actions in both: ${service.summary}` : 'DIFFERENT:\n  ' + service.lines.join('\n  ')}`);
      notes.push(service.same ? `Parity: one P1 project (parent and job histories) performs the same Temporal actions in Fieldflow and the floor: ${service.summary}.` : `Parity FAILED: ${service.lines.join('; ')}`);
      const sales = compareParity(await driver.call('salesParity'));
      details.salesParity = sales.parity;
      log(`parity: one sales lifecycle, parent, inspection and installation jobs: ${sales.same ? `the same actions in both: ${sales.summary}` : 'DIFFERENT:\n  ' + sales.lines.join('\n  ')}`);
      notes.push(
        sales.same
          ? `Sales parity: one sales lifecycle (parent, inspection job and installation job histories) performs the same Temporal actions in Fieldflow and the floor: ${sales.summary}.`
          : `Sales parity FAILED (DIFFERENT): ${sales.lines.join('; ')}`,
      );
      metrics.sales_parity = {
        label: 'Sales parity: action events of one lifecycle (parent+2 jobs)',
        value: sales.actions.product,
        floor: sales.actions.floor,
        ratio: round2(sales.actions.product / sales.actions.floor),
        target: 'the same actions',
        unit: 'events',
        met: sales.same,
      };
    }

    // --- P1: throughput -------------------------------------------------------------
    let p1Rate = NaN;
    const profiles: Partial<Record<Kind, ProfileSummary>> = {};
    const workerMetrics: Partial<Record<Kind, HistogramMean[]>> = {};
    if (options.only.has('p1') || options.only.has('p2')) {
      for (const kind of KINDS) {
        const warm = await driver.call('closedLoop', kind, options.concurrency, options.warmupSeconds * 1000);
        log(`warm-up ${kind}: ${round2(warm.perSecond)} projects/s${warm.errors ? `, ${warm.errors} errors: ${warm.firstError}` : ''}`);
      }
      const runs: Record<Kind, number[]> = { product: [], floor: [] };
      const pids = { worker: { product: product.child.pid!, floor: floorHost.child.pid! }, server: server.pid, driver: driver.child.pid! };
      // temporalPostgres: the CPU of the cluster's PostgreSQL (--temporal=cluster), Temporal's persistence.
      const cpuPerProject: Record<Kind, { main: number; worker: number; server: number; driver: number; postgres: number; temporalPostgres: number }[]> = { product: [], floor: [] };
      for (let round = 0; round < options.rounds; round++) {
        for (const kind of order(round)) {
          const before = { main: cpuSeconds(pids.worker[kind], pids.worker[kind]), worker: cpuSeconds(pids.worker[kind]), server: cpuSeconds(pids.server), driver: cpuSeconds(pids.driver), postgres: postgresCpuSeconds(), temporalPostgres: clusterCpu() };
          const result = await driver.call('closedLoop', kind, options.concurrency, options.p1Seconds * 1000);
          // Per project, all of the run's CPU (projects still in flight at the end included).
          const per = (now: number, then: number) => Math.round(((now - then) * 1000) / Math.max(1, result.completed));
          const cpu = {
            main: per(cpuSeconds(pids.worker[kind], pids.worker[kind]), before.main),
            worker: per(cpuSeconds(pids.worker[kind]), before.worker),
            server: per(cpuSeconds(pids.server), before.server),
            driver: per(cpuSeconds(pids.driver), before.driver),
            postgres: per(postgresCpuSeconds(), before.postgres),
            temporalPostgres: per(clusterCpu(), before.temporalPostgres),
          };
          cpuPerProject[kind].push(cpu);
          if (result.errors) log(`  ${result.errors} errors, first: ${result.firstError}`);
          runs[kind].push(result.perSecond);
          log(`P1 round ${round + 1} ${kind}: ${round2(result.perSecond)} projects/s (${result.completed} in ${result.seconds} s); CPU ms per project: worker process ${cpu.worker} (main thread ${cpu.main}), ${server.name} ${cpu.server}${server.cluster ? ` (its PostgreSQL ${cpu.temporalPostgres})` : ''}, driver ${cpu.driver}${process.env.DATABASE_URL ? `, postgres ${cpu.postgres}` : ''}`);
        }
      }
      const cpuMedian = (kind: Kind, part: 'main' | 'worker' | 'server' | 'driver' | 'postgres' | 'temporalPostgres') => median(cpuPerProject[kind].map((c) => c[part]));
      const serverCpu = (kind: Kind) => `${server.name} ${cpuMedian(kind, 'server')}${server.cluster ? ` (its PostgreSQL ${cpuMedian(kind, 'temporalPostgres')})` : ''}`;
      notes.push(
        `P1 CPU per project (ms, median of rounds; all threads of each process): Fieldflow's process (worker, API, ${productInfo.database.startsWith('PGlite') ? 'PGlite' : 'pg client'}) ${cpuMedian('product', 'worker')} (main thread ${cpuMedian('product', 'main')}), ${serverCpu('product')}, driver ${cpuMedian('product', 'driver')}${process.env.DATABASE_URL ? `, PostgreSQL ${cpuMedian('product', 'postgres')}` : ''}; ` +
          `floor's worker ${cpuMedian('floor', 'worker')} (main thread ${cpuMedian('floor', 'main')}), ${serverCpu('floor')}, driver ${cpuMedian('floor', 'driver')}.`,
      );
      const value = median(runs.product);
      const floor = median(runs.floor);
      p1Rate = value;
      details.p1 = { runs, cpuPerProject };
      metrics.p1_throughput = {
        label: `P1 throughput, C=${options.concurrency}`,
        value: round2(value),
        floor: round2(floor),
        ratio: round2(value / floor),
        target: '>= 0.8x floor',
        unit: 'projects/s',
        met: value / floor >= 0.8,
      };
      if (options.profile) {
        fs.mkdirSync(profileDir, { recursive: true });
        for (const kind of KINDS) {
          const file = path.join(profileDir, `p1-${kind}.cpuprofile`);
          const before = parseMetrics(await hosts[kind].call('metrics'));
          await hosts[kind].call('profileStart');
          const result = await driver.call('closedLoop', kind, options.concurrency, options.profileSeconds * 1000);
          await hosts[kind].call('profileStop', file);
          workerMetrics[kind] = histogramMeans(before, parseMetrics(await hosts[kind].call('metrics')));
          profiles[kind] = summarizeProfile(file);
          log(`profiled P1 ${kind}: ${round2(result.perSecond)} projects/s (not counted); ${path.relative(ROOT, file)}`);
        }
      }
    }

    // --- P2: action latency at half of P1's rate -------------------------------------
    if (options.only.has('p2')) {
      const rate = p1Rate / 2;
      const p50s: Record<Kind, number[]> = { product: [], floor: [] };
      const p99s: Record<Kind, number[]> = { product: [], floor: [] };
      for (let round = 0; round < options.rounds; round++) {
        for (const kind of order(round)) {
          const result = await driver.call('openLoop', kind, rate, options.p2Seconds * 1000);
          if (result.errors) log(`  ${result.errors} errors, first: ${result.firstError}`);
          p50s[kind].push(percentile(result.latencies, 50));
          p99s[kind].push(percentile(result.latencies, 99));
          log(`P2 round ${round + 1} ${kind}: ${result.latencies.length} completions from ${result.projects} projects at ${round2(rate)}/s: p50 ${round1(percentile(result.latencies, 50))} ms, p99 ${round1(percentile(result.latencies, 99))} ms`);
        }
      }
      details.p2 = { projectsPerSecond: rate, p50: p50s, p99: p99s };
      const [p50, p50f, p99, p99f] = [median(p50s.product), median(p50s.floor), median(p99s.product), median(p99s.floor)];
      metrics.p2_p50 = { label: `P2 completion p50 at ${round2(rate)} projects/s`, value: round1(p50), floor: round1(p50f), ratio: round2(p50 / p50f), target: '<= 25 ms', unit: 'ms', met: p50 <= 25 };
      metrics.p2_p99 = { label: `P2 completion p99 at ${round2(rate)} projects/s`, value: round1(p99), floor: round1(p99f), ratio: round2(p99 / p99f), target: '<= 1.3x floor', unit: 'ms', met: p99 / p99f <= 1.3 };
    }

    // --- P6: what a project costs the production server and its PostgreSQL -------------
    if (p6) {
      const { counters, idle } = p6;
      try {
        if (!options.only.has('p1')) {
          for (const kind of KINDS) await driver.call('closedLoop', kind, options.concurrency, options.warmupSeconds * 1000);
        }
        const costs = {} as Record<Kind, PerProject>;
        const projections = {} as Record<Kind, Projection>;
        const checks = {} as Record<Kind, { projectsPerSecond: number; lines: CheckLine[] }>;
        for (const kind of KINDS) {
          // The cost: a closed loop as P1's, every project it ran (those ending after the deadline too).
          const before = await counters.read();
          const loop = await driver.call('closedLoop', kind, options.concurrency, options.p6Seconds * 1000);
          await sleep(STATS_SETTLE_MS);
          const after = await counters.read();
          if (loop.errors) log(`  ${loop.errors} errors, first: ${loop.firstError}`);
          const histories = await driver.call<{ bytes: number; events: number }[]>('histories', kind, loop.projectIds.slice(0, 20));
          const history = { bytes: mean(histories.map((h) => h.bytes)), events: mean(histories.map((h) => h.events)) };
          const cost = (costs[kind] = perProject(before, after, idle, loop.finished, history));
          projections[kind] = project(cost, idle);
          log(`P6 ${kind}: ${loop.finished} projects in ${round1(loop.wallSeconds)} s; per project: ${describeCost(cost)}`);
          // The check: projects arriving at half that rate; the model predicts what the server and PostgreSQL use.
          const rate = loop.finished / loop.wallSeconds / 2;
          const from = await counters.read();
          const open = await driver.call('openLoop', kind, rate, options.p6Seconds * 1000);
          const loadEnd = await counters.read();
          await sleep(STATS_SETTLE_MS);
          const settledEnd = await counters.read();
          if (open.errors) log(`  ${open.errors} errors, first: ${open.firstError}`);
          const done = open.projectIds.length;
          const at = (end: typeof from) => ({ rates: ratesBetween(from, end), projectsPerSecond: done / ((end.at - from.at) / 1000) });
          const lines = check(cost, idle, at(loadEnd), at(settledEnd));
          checks[kind] = { projectsPerSecond: at(loadEnd).projectsPerSecond, lines };
          log(`P6 check ${kind}, ${done} projects at ${round2(rate)}/s: ${describeCheck(lines)}`);
        }
        details.p6 = { actionsPerProject: P1_ACTIONS, target: TARGET, tolerance: CHECK_TOLERANCE, idle, costs, projections, checks };
        const row = (label: string, unit: string, value: (cost: PerProject) => number): Metric => {
          const [a, b] = [value(costs.product), value(costs.floor)];
          return { label, value: round1(a), floor: round1(b), ratio: round2(a / b), target: 'context', unit, met: null };
        };
        metrics.p6_server_cpu = row('P6 Temporal server CPU per project', 'ms', (c) => c.serverCpuMs);
        metrics.p6_postgres_cpu = row("P6 Temporal's PostgreSQL CPU per project", 'ms', (c) => c.postgresCpuMs);
        metrics.p6_rows = row('P6 persistence rows written per project', 'rows', (c) => c.rowsWritten);
        metrics.p6_history = row('P6 history per project (parent+job)', 'kB', (c) => c.historyBytes / 1024);
        metrics.p6_cores = {
          label: `P6 model: server+PostgreSQL cores at ${TARGET.actionsPerSecond} actions/s`,
          value: round2(projections.product.serverCores + projections.product.postgresCores),
          floor: round2(projections.floor.serverCores + projections.floor.postgresCores),
          ratio: round2((projections.product.serverCores + projections.product.postgresCores) / (projections.floor.serverCores + projections.floor.postgresCores)),
          target: 'context',
          unit: 'cores',
          met: null,
        };
        const worst = (kind: Kind) => Math.max(...checks[kind].lines.map((l) => Math.abs(l.error)));
        metrics.p6_check = {
          label: `P6 model check at half P6's rate: worst error of ${checks.product.lines.length} figures`,
          value: round1(worst('product') * 100),
          floor: round1(worst('floor') * 100),
          ratio: null,
          target: `<= ${CHECK_TOLERANCE * 100}%`,
          unit: '%',
          met: checks.product.lines.every((l) => l.held),
        };
        for (const kind of KINDS) {
          const who = kind === 'product' ? 'Fieldflow' : 'floor';
          notes.push(`P6 ${who}, per P1 project (idle server's rates subtracted): ${describeCost(costs[kind])}.`);
          notes.push(`P6 ${who}, the tables most written, rows per project inserted/updated/deleted in the window: ${Object.entries(costs[kind].tables).map(([name, rows]) => `${name} ${rows}`).join(', ')}.`);
          notes.push(`P6 ${who}, model at ${describeProjection(projections[kind])}.`);
          notes.push(`P6 ${who}, check at ${round2(checks[kind].projectsPerSecond)} projects/s: ${describeCheck(checks[kind].lines)}.`);
        }
        notes.push(`P6 idle server, per second: ${describeIdle(idle)}.`);
      } finally {
        await counters.close();
      }
    }

    // --- sales: whole sales lifecycles ------------------------------------------------
    if (options.only.has('sales')) {
      const C = options.salesConcurrency;
      for (const kind of KINDS) {
        const warm = await driver.call('salesClosedLoop', kind, C, options.warmupSeconds * 1000);
        log(`sales warm-up ${kind}: ${round2(warm.perSecond)} lifecycles/s${warm.errors ? `, ${warm.errors} errors: ${warm.firstError}` : ''}`);
      }
      const runs: Record<Kind, number[]> = { product: [], floor: [] };
      const actions: Record<Kind, Record<string, number[]>> = { product: {}, floor: {} };
      const pids = { worker: { product: product.child.pid!, floor: floorHost.child.pid! }, server: server.pid, driver: driver.child.pid! };
      const cpu: Record<Kind, { worker: number; server: number; driver: number }[]> = { product: [], floor: [] };
      const polls: Record<Kind, number[]> = { product: [], floor: [] };
      for (let round = 0; round < options.rounds; round++) {
        for (const kind of order(round)) {
          const before = { worker: cpuSeconds(pids.worker[kind]), server: cpuSeconds(pids.server), driver: cpuSeconds(pids.driver) };
          const result = await driver.call('salesClosedLoop', kind, C, options.salesSeconds * 1000);
          const per = (now: number, then: number) => Math.round(((now - then) * 1000) / Math.max(1, result.completed));
          const used = { worker: per(cpuSeconds(pids.worker[kind]), before.worker), server: per(cpuSeconds(pids.server), before.server), driver: per(cpuSeconds(pids.driver), before.driver) };
          cpu[kind].push(used);
          if (result.errors) log(`  ${result.errors} errors, first: ${result.firstError}`);
          runs[kind].push(result.perSecond);
          polls[kind].push(round1(result.polls / Math.max(1, result.completed)));
          for (const [action, times] of Object.entries(result.actions as Record<string, number[]>)) (actions[kind][action] ??= []).push(...times);
          const all = Object.values(result.actions as Record<string, number[]>).flat();
          log(`sales round ${round + 1} ${kind}: ${round3(result.perSecond)} lifecycles/s (${result.completed} in ${result.seconds} s); ${all.length} actions, p50 ${round1(percentile(all, 50))} ms, p99 ${round1(percentile(all, 99))} ms; CPU ms per lifecycle: worker process ${used.worker}, ${server.name} ${used.server}, driver ${used.driver}`);
        }
      }
      const value = median(runs.product);
      const floor = median(runs.floor);
      details.sales = { runs, cpu, polls, actions: Object.fromEntries(KINDS.map((kind) => [kind, Object.fromEntries(Object.entries(actions[kind]).map(([a, t]) => [a, { n: t.length, p50: round1(percentile(t, 50)), p99: round1(percentile(t, 99)) }]))])) };
      metrics.sales_throughput = {
        label: `Sales lifecycles, C=${C}`,
        value: round3(value),
        floor: round3(floor),
        ratio: round2(value / floor),
        target: '>= 0.8x floor',
        unit: 'lifecycles/s',
        met: value / floor >= 0.8,
      };
      // Every action of the measured rounds: task completions (update, and the settle when
      // it sends someone to site or ends a job), protocol changes (an update each) and
      // design-tool events (webhook and signal).
      const kindOf = (action: string) => (/^(proposal|deposit)\./.test(action) ? 'event' : /^protocol /.test(action) ? 'protocol' : 'completion');
      const pooled = (kind: Kind, of: string) => Object.entries(actions[kind]).filter(([a]) => kindOf(a) === of).flatMap(([, t]) => t);
      // A completion's p99 has P2's target; the others are context: an event's figure in
      // Fieldflow includes the stand-in's control and the webhook's trip to the API, in the
      // floor it is the signal alone.
      for (const [key, of, label] of [
        ['sales_completion', 'completion', 'task completion'],
        ['sales_protocol', 'protocol', 'protocol change'],
        ['sales_event', 'event', 'design-tool event'],
      ] as const) {
        for (const q of [50, 99]) {
          const a = percentile(pooled('product', of), q);
          const b = percentile(pooled('floor', of), q);
          const targeted = of === 'completion' && q === 99;
          metrics[`${key}_p${q}`] = { label: `Sales ${label} p${q} (closed loop, C=${C})`, value: round1(a), floor: round1(b), ratio: round2(a / b), target: targeted ? '<= 1.3x floor' : '-', unit: 'ms', met: targeted ? a / b <= 1.3 : null };
        }
      }
      const byAction = (kind: Kind) =>
        Object.entries(actions[kind])
          .map(([a, t]) => `${a} ${round1(percentile(t, 50))}/${round1(percentile(t, 99))}`)
          .join(', ');
      const cpuMedian = (kind: Kind, part: 'worker' | 'server' | 'driver') => median(cpu[kind].map((c) => c[part]));
      notes.push(
        `Sales: one lifecycle is ${SALES_HTTP} in Fieldflow; the floor makes the same Temporal calls (update-with-start, ${SALES_ACTIONS}) and waits on a query where Fieldflow's driver polls the read model (every ${POLL_MS} ms; reads while waiting per counted lifecycle, median of rounds: Fieldflow ${median(polls.product)} GETs, floor ${median(polls.floor)} queries). ` +
          `Action latency p50/p99 ms, Fieldflow: ${byAction('product')}. Floor: ${byAction('floor')}. ` +
          `CPU ms per lifecycle (median of rounds): Fieldflow's process ${cpuMedian('product', 'worker')}, ${server.name} ${cpuMedian('product', 'server')}, driver ${cpuMedian('product', 'driver')}; floor's worker ${cpuMedian('floor', 'worker')}, ${server.name} ${cpuMedian('floor', 'server')}, driver ${cpuMedian('floor', 'driver')}.`,
      );
    }

    // --- P4: history per return-to-site loop -------------------------------------------
    if (options.only.has('p4')) {
      const fits: Record<Kind, any> = { product: undefined, floor: undefined };
      const longs: Record<Kind, any> = { product: undefined, floor: undefined };
      for (const kind of KINDS) {
        if (kind === 'product') await product.call('setContinueAsNewAfterEvents', 1e9);
        fits[kind] = await driver.call('loops', kind, options.fitLoops, options.fitLoops, 1e9);
        if (kind === 'product') await product.call('setContinueAsNewAfterEvents', productInfo.policy.continueAsNewAfterEvents);
        const fit = fitLine(fits[kind].points);
        log(`P4 ${kind}: ${round1(fit.slope)} events per loop (parent and jobs, fit over 1..${options.fitLoops}, r² ${round3(fit.r2)}), ${round1(fitLine(fits[kind].parentPoints).slope)} in the parent alone`);
      }
      for (const kind of KINDS) {
        longs[kind] = await driver.call('loops', kind, options.longLoops, 0);
        const l = longs[kind];
        log(`P4 ${kind}: ${options.longLoops} loops in ${round1(l.seconds)} s: ${l.parentEvents} parent events in ${l.runs} run(s) (longest ${l.longestRun}), ${l.jobEvents} job events, result ${JSON.stringify(l.result)}`);
      }
      const slope = fitLine(fits.product.points).slope;
      const floorSlope = fitLine(fits.floor.points).slope;
      details.p4 = { fit: fits, long: longs };
      metrics.p4_events_per_loop = { label: `P4 events per return-to-site loop (parent+jobs)`, value: round1(slope), floor: round1(floorSlope), ratio: round2(slope / floorSlope), target: '<= 1.1x floor', unit: 'events', met: slope / floorSlope <= 1.1 };
      const longOk = (l: any) => Boolean(l.result) && l.longestRun < 51_200;
      const closedAs = (l: any) => (l.result?.outcome ? l.result.outcome : l.result ? 'done' : 'failed');
      metrics.p4_long_run = {
        label: `P4 ${options.longLoops} loops: longest run's history`,
        value: longs.product.longestRun,
        floor: longs.floor.longestRun,
        ratio: round2(longs.product.longestRun / longs.floor.longestRun),
        target: `finishes, < 51,200 events`,
        unit: 'events',
        met: longOk(longs.product),
      };
      notes.push(
        `P4: ${options.longLoops} loops ended ${closedAs(longs.product)} in Fieldflow (${longs.product.parentEvents} parent events over ${longs.product.runs} run(s), continue-as-new after ${productInfo.policy.continueAsNewAfterEvents}; ${longs.product.jobEvents} events in ${options.longLoops + 1} jobs) and ${closedAs(longs.floor)} in the floor (${longs.floor.parentEvents} over ${longs.floor.runs} run(s); ${longs.floor.jobEvents} in jobs).`,
      );
    }

    // --- P3: memory with projects parked mid-lifecycle ------------------------------
    if (options.only.has('p3')) {
      // Each reading: the median of 3 samples (1 in a quick run), each after a full GC of the main thread.
      const sample = async (kind: Kind): Promise<MemorySample> => {
        await sleep(options.quick ? 300 : 1000);
        const samples: MemorySample[] = [];
        for (let i = 0; i < (options.quick ? 1 : 3); i++) {
          samples.push(await hosts[kind].call('memory'));
          if (!options.quick) await sleep(500);
        }
        const pick = (field: keyof MemorySample) => median(samples.map((s) => s[field]));
        return { rssMb: pick('rssMb'), heapUsedMb: pick('heapUsedMb'), heapTotalMb: pick('heapTotalMb'), externalMb: pick('externalMb'), arrayBuffersMb: pick('arrayBuffersMb'), cachedWorkflows: pick('cachedWorkflows') };
      };
      const readings: Record<Kind, (MemorySample & { parked: number })[]> = { product: [], floor: [] };
      for (const kind of KINDS) readings[kind].push({ parked: 0, ...(await sample(kind)) });
      let parked = 0;
      for (const level of options.park) {
        for (const kind of KINDS) {
          const { seconds } = await driver.call('park', kind, level - parked, options.parkConcurrency);
          const reading = { parked: level, ...(await sample(kind)) };
          readings[kind].push(reading);
          log(`P3 ${kind}: ${level} parked (+${level - parked} in ${round1(seconds)} s): RSS ${round1(reading.rssMb)} MB, heap ${round1(reading.heapUsedMb)} MB, external ${round1(reading.externalMb)} MB, ${reading.cachedWorkflows} workflows cached`);
        }
        parked = level;
      }
      const mappings: Record<string, unknown> = {};
      for (const kind of KINDS) {
        const top = await hosts[kind].call<{ mapping: string; sizeMb: number; rssMb: number; count: number }[]>('mappings', 6);
        mappings[kind] = top;
        log(`P3 ${kind}: largest resident mappings: ${top.map((m) => `${m.mapping} x${m.count} ${Math.round(m.rssMb)} of ${Math.round(m.sizeMb)} MB`).join(', ')}`);
      }
      if (options.heapSnapshot) {
        fs.mkdirSync(profileDir, { recursive: true });
        for (const kind of KINDS) {
          const files = await hosts[kind].call<string[]>('heapSnapshot', path.join(profileDir, `p3-${kind}.heapsnapshot`));
          const thread = summarizeHeap(files[1]);
          const main = summarizeHeap(files[0]);
          const line = `Heap snapshots of the ${kind === 'product' ? 'Fieldflow' : 'floor'} worker at ${parked} parked: main thread ${round1(main.totalMb)} MB, workflow thread ${round1(thread.totalMb)} MB; workflow thread by constructor: ${thread.top.slice(0, 10).map((t) => `${t.name} ${t.mb} MB x${t.count}`).join(', ')}`;
          notes.push(line);
          log(line);
        }
      }
      const slope = (kind: Kind, field: 'rssMb' | 'heapUsedMb') => fitLine(readings[kind].filter((r) => r.parked > 0).map((r) => [r.parked, r[field]])).slope;
      details.p3 = { readings, mappings, maxCachedWorkflows: { product: productInfo.maxCachedWorkflows, floor: floorInfo.maxCachedWorkflows } };
      const rss = slope('product', 'rssMb');
      const heap = slope('product', 'heapUsedMb');
      metrics.p3_rss_per_project = { label: `P3 worker RSS per parked project`, value: round3(rss), floor: round3(slope('floor', 'rssMb')), ratio: round2(rss / slope('floor', 'rssMb')), target: '<= 0.5 MB', unit: 'MB', met: rss <= 0.5 };
      metrics.p3_heap_per_project = { label: `P3 worker main-thread heap per parked project`, value: round3(heap), floor: round3(slope('floor', 'heapUsedMb')), ratio: round2(heap / slope('floor', 'heapUsedMb')), target: '<= 0.5 MB', unit: 'MB', met: heap <= 0.5 };
      // Beyond the sticky cache the SDK evicts workflows, which flattens the slope; the
      // levels at which every parked project was still cached show the cost of one.
      const cachedLevels = readings.product.filter((r) => r.parked > 0 && r.cachedWorkflows >= r.parked - 1);
      const floorCached = readings.floor.filter((r) => r.parked > 0 && r.cachedWorkflows >= r.parked - 1);
      if (cachedLevels.length >= 2 && floorCached.length >= 2 && cachedLevels.length < readings.product.length - 1) {
        const cached = fitLine(cachedLevels.map((r) => [r.parked, r.rssMb])).slope;
        const floorSlope = fitLine(floorCached.map((r) => [r.parked, r.rssMb])).slope;
        metrics.p3_rss_per_cached_project = {
          label: `P3 worker RSS per parked project, all cached (${cachedLevels.map((r) => r.parked).join('/')})`,
          value: round3(cached),
          floor: round3(floorSlope),
          ratio: round2(cached / floorSlope),
          target: '<= 0.5 MB',
          unit: 'MB',
          met: cached <= 0.5,
        };
      }
      const at = (kind: Kind) => readings[kind].map((r) => `${r.parked}: ${Math.round(r.rssMb)}/${Math.round(r.heapUsedMb)} MB (${r.cachedWorkflows} cached)`).join(', ');
      notes.push(`P3 readings, parked: RSS/heap. Fieldflow ${at('product')}. Floor ${at('floor')}. Sticky cache (maxCachedWorkflows, SDK default from the heap limit): Fieldflow ${productInfo.maxCachedWorkflows}, floor ${floorInfo.maxCachedWorkflows}; slopes are fitted over the parked levels ${options.park.join('/')}.`);
    }

    // --- P5: list queries over a large read model ------------------------------------------
    if (options.only.has('p5')) {
      const seeded = await product.call('seedReadModel', options.listProjects);
      log(`P5: read model seeded in ${round1(seeded.seconds)} s: ${seeded.projects} projects, ${seeded.tasks} tasks, ${seeded.openForOps} open for ops, ${seeded.investigating} investigating`);
      const p99: Record<'projects' | 'tasks', { api: number[]; sql: number[]; p50: number[] }> = { projects: { api: [], sql: [], p50: [] }, tasks: { api: [], sql: [], p50: [] } };
      for (let round = 0; round < options.rounds; round++) {
        const api = await driver.call<Record<'projects' | 'tasks', number[]>>('lists', options.listRequests, 10);
        for (const which of ['projects', 'tasks'] as const) {
          const sqlTimes = await product.call<number[]>('listQueryTimes', which, options.listRequests);
          p99[which].api.push(percentile(api[which], 99));
          p99[which].p50.push(percentile(api[which], 50));
          p99[which].sql.push(percentile(sqlTimes, 99));
          log(`P5 round ${round + 1} ${which}: HTTP p50 ${round1(percentile(api[which], 50))} ms, p99 ${round1(percentile(api[which], 99))} ms; its SQL alone p99 ${round1(percentile(sqlTimes, 99))} ms`);
        }
      }
      // Search over the same read model: the office's queries (a misspelt surname, a full
      // name, a phone number with spaces, a street, a project number).
      const queries = await product.call<string[]>('searchQueries', options.listRequests, seeded.customers);
      const search = { api: [] as number[], sql: [] as number[], p50: [] as number[] };
      for (let round = 0; round < options.rounds; round++) {
        const api = await driver.call<number[]>('search', queries, 10);
        const sqlTimes = await product.call<number[]>('searchQueryTimes', queries);
        search.api.push(percentile(api, 99));
        search.p50.push(percentile(api, 50));
        search.sql.push(percentile(sqlTimes, 99));
        log(`P5 round ${round + 1} search: HTTP p50 ${round1(percentile(api, 50))} ms, p99 ${round1(percentile(api, 99))} ms; its SQL alone p99 ${round1(percentile(sqlTimes, 99))} ms`);
      }
      const searchCpu = await product.call<number[]>('searchQueryCpu', queries);
      notes.push(`P5 search: CPU time of Fieldflow's process per query, its SQL alone (${productInfo.database.startsWith('PGlite') ? 'PGlite runs in it' : 'without the PostgreSQL server\'s share'}): p50 ${round1(percentile(searchCpu, 50))} ms, p99 ${round1(percentile(searchCpu, 99))} ms.`);
      const plans = { projects: await product.call('explain', 'projects'), tasks: await product.call('explain', 'tasks') };
      details.p5 = { seeded, p99, search: { ...search, cpu: { p50: percentile(searchCpu, 50), p99: percentile(searchCpu, 99) }, queries: queries.slice(0, 10) }, plans };
      await product.call('removeSynthetic');
      const row = (which: 'projects' | 'tasks', label: string): Metric => {
        const value = median(p99[which].api);
        const floor = median(p99[which].sql);
        return { label, value: round1(value), floor: round1(floor), ratio: round2(value / floor), target: '<= 50 ms', unit: 'ms', met: value <= 50 };
      };
      metrics.p5_projects_by_stage = row('projects', `P5 GET /projects?stage= p99, ${seeded.projects} projects`);
      metrics.p5_my_open_tasks = row('tasks', `P5 GET /tasks?assignee=me&status=open p99`);
      {
        const value = median(search.api);
        const floor = median(search.sql);
        metrics.p5_search = { label: `P5 GET /search?q= p99, ${seeded.customers} customers and sites, ${seeded.projects} projects`, value: round1(value), floor: round1(floor), ratio: round2(value / floor), target: '<= 50 ms', unit: 'ms', met: value <= 50 };
      }
      for (const [which, key] of [['projects', 'p5_projects_by_stage'], ['tasks', 'p5_my_open_tasks']] as const) {
        if (!metrics[key].met) notes.push(`P5 plan of the ${which} query:\n    ${plans[which].split('\n').join('\n    ')}`);
      }
      notes.push(`P5: the floor is the route's own SQL run in the worker's process without HTTP (drizzle, same queries). p50 over HTTP: projects ${round1(median(p99.projects.p50))} ms, tasks ${round1(median(p99.tasks.p50))} ms, search ${round1(median(search.p50))} ms.`);

    }

    // --- report ----------------------------------------------------------------------
    const machine = {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: round1(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      loadAverage: { start: loadAtStart.map(round2), end: os.loadavg().map(round2) },
    };
    const versions = {
      node: process.version,
      temporal: server.version,
      ...(server.cliPath ? { temporalCli: cliVersion(server.cliPath) } : {}),
      temporalSdk: packageVersion('@temporalio/worker'),
      database: productInfo.database,
    };
    const settings = {
      quick: options.quick,
      temporal: options.temporal,
      server: server.description,
      ...(server.cluster
        ? {}
        : {
            devServer: options.serverDb ? `file-backed (${options.serverDb})` : 'in memory',
            devServerFlags: [...DEV_SERVER_DYNAMIC_CONFIG.map((value) => `--dynamic-config-value ${value}`), ...searchAttributeNames.map((name) => `--search-attribute ${name}=Keyword`), '--headless'],
          }),
      floorSameServer: true,
      logLevel: options.logLevel,
      workerOptions: { product: { maxCachedWorkflows: productInfo.maxCachedWorkflows, reuseV8Context: productInfo.reuseV8Context }, floor: { maxCachedWorkflows: floorInfo.maxCachedWorkflows, reuseV8Context: floorInfo.reuseV8Context } },
      continueAsNewAfterEvents: productInfo.policy.continueAsNewAfterEvents,
      rounds: options.rounds,
      warmupSeconds: options.warmupSeconds,
      concurrency: options.concurrency,
      p1Seconds: options.p1Seconds,
      p2Seconds: options.p2Seconds,
      salesSeconds: options.salesSeconds,
      salesConcurrency: options.salesConcurrency,
      profileSeconds: options.profile ? options.profileSeconds : 0,
      park: options.park,
      parkConcurrency: options.parkConcurrency,
      fitLoops: options.fitLoops,
      longLoops: options.longLoops,
      listProjects: options.listProjects,
      listRequests: options.listRequests,
      ...(server.cluster ? { p6Seconds: options.p6Seconds, p6IdleSeconds: options.p6IdleSeconds } : {}),
      phases: [...options.only],
      totalSeconds: Math.round((Date.now() - t0) / 1000),
    };
    for (const kind of KINDS) {
      if (profiles[kind]) notes.push(formatProfile(`CPU of the ${kind === 'product' ? 'Fieldflow' : 'floor'} worker process in a P1 run`, profiles[kind]!));
      if (workerMetrics[kind]?.length) {
        notes.push(`Worker metrics, ${kind === 'product' ? 'Fieldflow' : 'floor'}, same run (mean ms × count): ` + workerMetrics[kind]!.map((m) => `${m.name} ${round1(m.meanMs)} × ${m.count}`).join(', '));
      }
    }

    const table = formatTable(metrics, previous);
    const header = [
      '',
      `Fieldflow vs the raw Temporal floor${options.quick ? ' (QUICK RUN: small sizes, not for comparison)' : ''}`,
      `machine   ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}; load average ${machine.loadAverage.start.join(' ')} at start, ${machine.loadAverage.end.join(' ')} at end`,
      `versions  Node ${versions.node}, ${server.cliPath ? `Temporal CLI ${versions.temporalCli}` : server.version}, Temporal TS SDK ${versions.temporalSdk}, ${versions.database}`,
      server.cluster
        ? `server    ${server.description}; the floor runs on the same server`
        : `server    dev server ${settings.devServer}, flags: ${settings.devServerFlags!.join(' ')}; the floor runs on the same server with the same flags`,
      `settings  LOG_LEVEL=${settings.logLevel}; maxCachedWorkflows ${productInfo.maxCachedWorkflows} (Fieldflow) / ${floorInfo.maxCachedWorkflows} (floor); CONTINUE_AS_NEW_AFTER_EVENTS=${settings.continueAsNewAfterEvents}; ` +
        `median of ${options.rounds} interleaved rounds; warm-up ${options.warmupSeconds} s; P1 C=${options.concurrency}, ${options.p1Seconds} s (+ ${options.profile ? `${options.profileSeconds} s profiled` : 'no profile'}); P2 ${options.p2Seconds} s; sales C=${options.salesConcurrency}, ${options.salesSeconds} s; P3 parked ${options.park.join('/')}; P4 fit 1..${options.fitLoops}, long ${options.longLoops}; P5 ${options.listProjects} projects, ${options.listRequests} requests; ${server.cluster ? `P6 ${options.p6Seconds} s per run, idle ${options.p6IdleSeconds} s; ` : ''}${settings.totalSeconds} s in all`,
      '',
    ].join('\n');
    console.log(header + table + '\n');
    if (notes.length) console.log('Notes\n' + notes.map((note) => `- ${note}`).join('\n') + '\n');

    const results = { ...metrics, machine, versions, settings, details, generatedAt: new Date().toISOString() };
    fs.mkdirSync(path.dirname(path.resolve(ROOT, options.out)), { recursive: true });
    fs.writeFileSync(path.resolve(ROOT, options.out), JSON.stringify(results, null, 2) + '\n');
    log(`figures written to ${options.out}`);

    await Promise.all(children.map((child) => child.call('stop').catch(() => undefined)));
  } finally {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await server.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The Temporal server the run uses, whichever kind. */
interface ServerUnderTest {
  address: string;
  pid: number;
  /** How the logs name it. */
  name: string;
  version: string;
  /** The header's server line, and settings.server in the results. */
  description: string;
  cliPath?: string;
  cluster?: TemporalCluster;
  stop(): Promise<void>;
}

async function startServer(options: BenchOptions, workDir: string): Promise<ServerUnderTest> {
  if (options.temporal === 'dev') {
    const dev = await startDevServer(options.serverDb ? { dbFile: path.resolve(options.serverDb) } : {});
    return {
      address: dev.address,
      pid: dev.process.pid!,
      name: 'dev server',
      version: `Temporal CLI ${cliVersion(dev.cliPath)} (dev server)`,
      description: `dev server ${options.serverDb ? `file-backed (${options.serverDb})` : 'in memory'}`,
      cliPath: dev.cliPath,
      stop: () => dev.stop(),
    };
  }
  const root = path.join(workDir, 'temporal');
  fs.mkdirSync(root, { recursive: true });
  const cluster = await startTemporalCluster(root);
  const postgres = execFileSync(path.join(path.dirname(cluster.pgCtl), 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  return {
    address: cluster.address,
    pid: cluster.temporalPid,
    name: 'Temporal server',
    version: `Temporal server ${TEMPORAL_SERVER_VERSION}`,
    description:
      `Temporal server ${TEMPORAL_SERVER_VERSION} (multi-service: frontend, history, matching and worker in one process, 4 history shards) on its own ${postgres} ` +
      `(127.0.0.1:${cluster.pgPort}, fsync off), deploy/temporal/dynamicconfig/production.yaml; schema, server and namespace by scripts/temporal-server.sh as in test:faults`,
    cluster,
    stop: () => cluster.stop(),
  };
}

function formatTable(metrics: Record<string, Metric>, previous: Record<string, any> | undefined): string {
  const rows = Object.entries(metrics).map(([key, m]) => [
    m.label,
    `${m.value} ${m.unit}`,
    m.floor === null ? '-' : `${m.floor} ${m.unit}`,
    m.ratio === null || !Number.isFinite(m.ratio) ? '-' : `${m.ratio}x`,
    m.target,
    m.met === null ? '-' : m.met ? 'met' : 'MISSED',
    previous?.[key] ? `${previous[key].value} ${previous[key].unit}` : '-',
  ]);
  const head = ['metric', 'Fieldflow', 'floor', 'ratio', 'target', 'result', 'last run'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

/**
 * Compares the event types of each part's histories: action events must match; workflow
 * tasks depend on timing. The order of the action events is compared too, and reported
 * (a signal or an activity's completion may land in another workflow task under load,
 * so order alone does not fail parity).
 */
function compareParity({ order, ...parity }: Record<'product' | 'floor', Record<string, Record<string, number>>> & { order?: Record<'product' | 'floor', Record<string, string[]>> }) {
  const lines: string[] = [];
  let same = true;
  const parts = Object.keys(parity.product);
  for (const part of parts) {
    const types = new Set([...Object.keys(parity.product[part]), ...Object.keys(parity.floor[part] ?? {})]);
    for (const type of [...types].sort()) {
      const a = parity.product[part][type] ?? 0;
      const b = parity.floor[part]?.[type] ?? 0;
      // Workflow tasks depend on timing (an update that arrives during a task waits
      // for the next one); every other event is an action and must match.
      if (a !== b && !/WORKFLOW_TASK/.test(type)) {
        same = false;
        lines.push(`${part} ${type}: Fieldflow ${a}, floor ${b}`);
      }
    }
  }
  const count = (kind: 'product' | 'floor', tasks = false) =>
    parts.reduce((sum, part) => sum + Object.entries(parity[kind][part] ?? {}).filter(([type]) => tasks === /WORKFLOW_TASK/.test(type)).reduce((a, [, n]) => a + n, 0), 0);
  const actions = parts
    .flatMap((part) => Object.entries(parity.product[part]))
    .filter(([type]) => !/WORKFLOW_TASK/.test(type))
    .reduce<Record<string, number>>((all, [type, n]) => ({ ...all, [type.replace('EVENT_TYPE_', '').toLowerCase()]: (all[type.replace('EVENT_TYPE_', '').toLowerCase()] ?? 0) + n }), {});
  const summary = `${count('product')} action events (${Object.entries(actions).map(([type, n]) => `${n} ${type}`).join(', ')}); workflow-task events ${count('product', true)} in Fieldflow, ${count('floor', true)} in the floor`;
  const divergence = (part: string) => {
    const a = order?.product[part] ?? [];
    const b = order?.floor[part] ?? [];
    const at = a.findIndex((type, i) => type !== b[i]);
    const first = at >= 0 ? at : a.length !== b.length ? Math.min(a.length, b.length) : -1;
    return first < 0 ? undefined : `${part} from action event ${first + 1} (Fieldflow ${a.slice(first, first + 3).join(', ') || '(end)'}; floor ${b.slice(first, first + 3).join(', ') || '(end)'})`;
  };
  const inOrder = parts.filter((part) => !divergence(part));
  const orderLines = parts.map(divergence).filter(Boolean);
  const orderSummary = !order
    ? ''
    : `; action events in the same order in ${inOrder.length ? inOrder.join(', ') : 'no part'}${orderLines.length ? `, in another order in ${orderLines.join(', ')}` : ''}`;
  return { parity, same, lines, summary: summary + orderSummary, actions: { product: count('product'), floor: count('floor') } };
}

/** CPU time (user + system) a process (all threads), or one thread of it, has used so far, in seconds (Linux). */
function cpuSeconds(pid: number, thread?: number): number {
  try {
    const fields = fs.readFileSync(thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds of PostgreSQL on this machine (for runs on DATABASE_URL): every live
 * postgres process, plus what the postmasters have reaped from backends that exited.
 */
function postgresCpuSeconds(): number {
  let total = 0;
  const stats = new Map<number, string[]>();
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) stats.set(Number(pid), stat.split(') ')[1].split(' '));
    } catch {
      // gone
    }
  }
  for (const fields of stats.values()) {
    total += (Number(fields[11]) + Number(fields[12])) / 100;
    if (!stats.has(Number(fields[1]))) total += (Number(fields[13]) + Number(fields[14])) / 100; // a postmaster: cutime, cstime
  }
  return total;
}

function readPrevious(file: string): Record<string, any> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function cliVersion(cliPath: string): string {
  try {
    return execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim().replace(/^temporal version /, '');
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
