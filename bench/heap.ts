// Heap snapshots of the workflow thread (where the SDK runs workflow code, in its own
// V8 isolate, so process.memoryUsage().heapUsed of the main thread never shows it) and a
// summary of one: self size by constructor. Also runnable alone:
// `npx tsx bench/heap.ts FILE.heapsnapshot`.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import workerThreads from 'node:worker_threads';

const threads: workerThreads.Worker[] = [];

/** Records every worker thread started from now on (the SDK's workflow threads among them). */
export function captureWorkerThreads(): void {
  const Original = workerThreads.Worker;
  class Captured extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      threads.push(this);
      this.once('exit', () => threads.splice(threads.indexOf(this), 1));
    }
  }
  (workerThreads as { Worker: typeof Original }).Worker = Captured;
}

export async function threadHeapSnapshot(file: string): Promise<string> {
  const thread = threads[0];
  if (!thread) throw new Error('no worker thread captured');
  await pipeline(await thread.getHeapSnapshot(), fs.createWriteStream(file));
  return file;
}

export interface HeapSummary {
  totalMb: number;
  nodes: number;
  top: { name: string; count: number; mb: number }[];
}

export function summarizeHeap(file: string, top = 15): HeapSummary {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]];
    const size = snapshot.nodes[i + sizeAt];
    total += size;
    const name = type === 'object' || type === 'closure' ? `${type === 'closure' ? 'closure ' : ''}${snapshot.strings[snapshot.nodes[i + nameAt]]}` : `(${type})`;
    const group = groups.get(name) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += size;
    groups.set(name, group);
  }
  return {
    totalMb: total / 2 ** 20,
    nodes: snapshot.nodes.length / width,
    top: [...groups.entries()]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, top)
      .map(([name, { count, bytes }]) => ({ name, count, mb: Math.round((bytes / 2 ** 20) * 10) / 10 })),
  };
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    const summary = summarizeHeap(file, 30);
    console.log(`${file}: ${summary.totalMb.toFixed(1)} MB in ${summary.nodes} nodes`);
    for (const entry of summary.top) console.log(`  ${String(entry.mb).padStart(7)} MB  ${String(entry.count).padStart(8)}  ${entry.name}`);
  }
}
