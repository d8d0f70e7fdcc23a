// Where a worker host spends its CPU: self time from a .cpuprofile, by package and by
// function. Also runnable alone: `npx tsx bench/profile.ts FILE.cpuprofile`.
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  seconds: number;
  busyShare: number;
  byPackage: { name: string; share: number }[];
  byFunction: { name: string; share: number }[];
}

/** The package (or part of Fieldflow, or V8 bucket) a frame belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (idle), (program)
    return '(native)';
  }
  if (url.startsWith('wasm://')) return 'PGlite (WASM)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (/workflow-bundle|\/workflows\/|\/floor\/workflows/.test(url)) return 'workflow code (bundle)';
  const app = /\/(api|activities|db|runtime|worker|bench)\//.exec(url);
  if (app) return `fieldflow ${app[1]}/`;
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let idle = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const pkg = packageOf(url, functionName);
    if (pkg === '(idle)') idle += micros;
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    const name = `${functionName || '(anonymous)'} ${pkg.startsWith('(') ? '' : `[${pkg}${url && !url.startsWith('wasm') ? `:${lineNumber + 1}` : ''}]`}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: micros / total }));
  return { seconds: total / 1e6, busyShare: 1 - idle / total, byPackage: rank(packages), byFunction: rank(functions) };
}

export function formatProfile(title: string, summary: ProfileSummary, functions = 8): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `${title}: ${summary.seconds.toFixed(1)} s sampled, ${pct(summary.busyShare).trim()} busy on the main thread`,
    '  by package:  ' + summary.byPackage.map((p) => `${p.name} ${pct(p.share).trim()}`).join(', '),
    '  by function: ' + summary.byFunction.slice(0, functions).map((f) => `${f.name} ${pct(f.share).trim()}`).join(', '),
  ].join('\n');
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) console.log(formatProfile(file, summarizeProfile(file, 30), 30).replace(/, /g, '\n    '));
}
