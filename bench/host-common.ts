// What both worker hosts (Fieldflow's and the floor's) answer to the orchestrator:
// their memory, a CPU profile of a phase, a heap snapshot, the worker's own metrics.
import fs from 'node:fs';
import { Session } from 'node:inspector';
import v8 from 'node:v8';
import { DefaultLogger, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { threadHeapSnapshot } from './heap';

export interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  cachedWorkflows: number;
}

const MB = 1024 * 1024;

/**
 * The SDK runtime is a per-process singleton that runtime/system.ts installs with a
 * logger only. To read the worker's metrics the benchmark wraps Runtime.install so
 * the same call also opens a Prometheus endpoint; nothing else about it changes.
 */
export function exposeWorkerMetrics(port: number | undefined): void {
  if (!port) return;
  const install = Runtime.install.bind(Runtime);
  (Runtime as { install: typeof Runtime.install }).install = (options) =>
    install({ ...options, telemetryOptions: { ...options.telemetryOptions, metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } } });
}

/** The same SDK log level mapping as runtime/system.ts, for the floor's worker. */
export function installRuntimeLike(level: string): void {
  const sdkLevel = ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' } as Record<string, LogLevel>)[level] ?? 'INFO';
  Runtime.install({ logger: new DefaultLogger(sdkLevel) });
}

export function hostHandlers(getWorker: () => Worker, metricsPort: number | undefined) {
  let session: Session | undefined;
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
  return {
    async memory(): Promise<MemorySample> {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 50));
        gc();
      }
      const usage = process.memoryUsage();
      return {
        rssMb: usage.rss / MB,
        heapUsedMb: usage.heapUsed / MB,
        heapTotalMb: usage.heapTotal / MB,
        externalMb: usage.external / MB,
        arrayBuffersMb: usage.arrayBuffers / MB,
        cachedWorkflows: getWorker().getStatus().numCachedWorkflows,
      };
    },
    async profileStart(): Promise<void> {
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
    },
    async profileStop(file: string): Promise<string> {
      const { profile } = await post<{ profile: unknown }>('Profiler.stop');
      session!.disconnect();
      session = undefined;
      fs.writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    mappings: (top?: number) => residentMappings(top),
    /** Snapshots of the main thread's heap and of the workflow thread's. */
    async heapSnapshot(file: string): Promise<string[]> {
      return [v8.writeHeapSnapshot(file), await threadHeapSnapshot(file.replace(/\.heapsnapshot$/, '') + '-workflow-thread.heapsnapshot')];
    },
    async metrics(): Promise<string> {
      if (!metricsPort) return '';
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      return response.text();
    },
  };
}

/** Resident memory by kind of mapping (Linux), largest first, to tell WASM, malloc and V8 memory apart. */
export function residentMappings(top = 12): { mapping: string; sizeMb: number; rssMb: number; count: number }[] {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return [];
  }
  const result: { mapping: string; sizeMb: number; rssMb: number }[] = [];
  let current: { mapping: string; sizeMb: number; rssMb: number } | undefined;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = { mapping: header[3] || '[anon]', sizeMb: (parseInt(header[2], 16) - parseInt(header[1], 16)) / MB, rssMb: 0 };
      result.push(current);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) current.rssMb = Number(rss[1]) / 1024;
  }
  const groups = new Map<string, { mapping: string; sizeMb: number; rssMb: number; count: number }>();
  for (const m of result) {
    const bucket = m.mapping !== '[anon]' ? m.mapping : m.sizeMb < 1 ? '[anon <1 MB]' : m.sizeMb < 8 ? '[anon 1-8 MB]' : m.sizeMb < 64 ? '[anon 8-64 MB]' : m.sizeMb <= 256 ? '[anon 64-256 MB]' : '[anon >256 MB]';
    const group = groups.get(bucket) ?? { mapping: bucket, sizeMb: 0, rssMb: 0, count: 0 };
    group.sizeMb += m.sizeMb;
    group.rssMb += m.rssMb;
    group.count++;
    groups.set(bucket, group);
  }
  return [...groups.values()].sort((a, b) => b.rssMb - a.rssMb).slice(0, top);
}
