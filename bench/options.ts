// The benchmark's flags. Every size and duration is one; `--quick` picks small ones.
export interface BenchOptions {
  quick: boolean;
  only: Set<string>;
  rounds: number;
  warmupSeconds: number;
  concurrency: number;
  p1Seconds: number;
  p2Seconds: number;
  salesSeconds: number;
  salesConcurrency: number;
  profileSeconds: number;
  park: number[];
  parkConcurrency: number;
  fitLoops: number;
  longLoops: number;
  listProjects: number;
  listRequests: number;
  serverDb?: string;
  /** dev: the CLI's dev server (in memory or --server-db); cluster: the production server on its own PostgreSQL. */
  temporal: 'dev' | 'cluster';
  p6Seconds: number;
  p6IdleSeconds: number;
  profile: boolean;
  heapSnapshot: boolean;
  metrics: boolean;
  logLevel: string;
  out: string;
}

const FULL = {
  rounds: 3,
  warmupSeconds: 10,
  concurrency: 8,
  p1Seconds: 25,
  p2Seconds: 25,
  salesSeconds: 45,
  salesConcurrency: 8,
  profileSeconds: 15,
  park: [1000, 2000, 5000],
  parkConcurrency: 32,
  fitLoops: 20,
  longLoops: 200,
  listProjects: 100_000,
  listRequests: 200,
  p6Seconds: 25,
  p6IdleSeconds: 20,
};

const QUICK: typeof FULL = {
  rounds: 1,
  warmupSeconds: 4,
  concurrency: 8,
  p1Seconds: 8,
  p2Seconds: 6,
  salesSeconds: 20,
  salesConcurrency: 4,
  profileSeconds: 5,
  park: [50, 100, 200],
  parkConcurrency: 16,
  fitLoops: 5,
  longLoops: 10,
  listProjects: 10_000,
  listRequests: 30,
  p6Seconds: 10,
  p6IdleSeconds: 10,
};

export const PHASES = ['parity', 'p1', 'p2', 'sales', 'p3', 'p4', 'p5', 'p6'];
/** P6 reads the persistence's own statistics, so it needs the production server on PostgreSQL. */
const CLUSTER_ONLY = ['p6'];

export const usage = `npm run bench -- [flags]   (the full run takes about 20 minutes on 2 cores)

  --quick                 small sizes, short runs, one round (under 2 minutes; a smoke test)
  --only p1,p2,...        run only these phases (parity,p1,p2,sales,p3,p4,p5,p6); p2 needs p1;
                          p6 needs --temporal=cluster (and is then in the default set)
  --temporal dev|cluster  dev: the Temporal CLI's dev server; cluster: the production server
                          (v1.29.1, multi-service) on a throwaway PostgreSQL, as test:faults [dev]
  --rounds N              measured rounds per kind for P1, P2 and P5 (median reported)   [${FULL.rounds}]
  --warmup-seconds S      closed-loop warm-up per kind before P1                          [${FULL.warmupSeconds}]
  --concurrency C         concurrent projects in P1's closed loop                         [${FULL.concurrency}]
  --p1-seconds S          length of one P1 run                                            [${FULL.p1Seconds}]
  --p2-seconds S          length of one P2 run (arrivals; the last projects then finish)  [${FULL.p2Seconds}]
  --sales-seconds S       length of one run of the sales phase (whole sales lifecycles)    [${FULL.salesSeconds}]
  --sales-concurrency C   concurrent sales lifecycles in the sales phase's closed loop    [${FULL.salesConcurrency}]
  --profile-seconds S     length of the extra, profiled P1 run of each kind (not counted)   [${FULL.profileSeconds}]
  --park A,B,C            P3: projects parked at each memory reading                      [${FULL.park.join(',')}]
  --park-concurrency N    P3: projects parked at a time                                   [${FULL.parkConcurrency}]
  --fit-loops K           P4: return-to-site loops in the fit (1..K)                      [${FULL.fitLoops}]
  --long-loops N          P4: loops of the long project, at the product's continue-as-new [${FULL.longLoops}]
  --list-projects N       P5: synthetic projects in the read model                        [${FULL.listProjects}]
  --list-requests N       P5: requests per route and round                                [${FULL.listRequests}]
  --p6-seconds S          P6: length of the measured closed loop and of the check, per kind [${FULL.p6Seconds}]
  --p6-idle-seconds S     P6: the idle server's own rates, measured for this long          [${FULL.p6IdleSeconds}]
  --server-db FILE        file-backed dev server (SQLite FILE) instead of in memory
  --no-profile            skip the extra profiled P1 round of each kind
  --heap-snapshot         write heap snapshots of both workers after parking (slow, large)
  --no-metrics            do not expose the workers' Prometheus metrics
  --log-level L           LOG_LEVEL of Fieldflow (its default is info)                     [info]
  --out FILE              where the figures go                                            [bench/results/latest.json]

DATABASE_URL set: Fieldflow's read model is that PostgreSQL database instead of PGlite.`;

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const base = quick ? QUICK : FULL;
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n\n${usage}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (['quick', 'no-profile', 'heap-snapshot', 'no-metrics'].includes(name)) switches.add(name);
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new Error(`--${name} needs a value\n\n${usage}`);
  }
  const known = new Set(['only', 'rounds', 'warmup-seconds', 'concurrency', 'p1-seconds', 'p2-seconds', 'sales-seconds', 'sales-concurrency', 'profile-seconds', 'park', 'park-concurrency', 'fit-loops', 'long-loops', 'list-projects', 'list-requests', 'server-db', 'log-level', 'out', 'temporal', 'p6-seconds', 'p6-idle-seconds']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}\n\n${usage}`);
  const num = (name: string, fallback: number) => {
    const value = flags.get(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!(parsed > 0)) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  const temporal = flags.get('temporal') ?? 'dev';
  if (temporal !== 'dev' && temporal !== 'cluster') throw new Error(`--temporal must be dev or cluster, not ${temporal}`);
  if (temporal === 'cluster' && flags.has('server-db')) throw new Error('--server-db is for the dev server; --temporal=cluster keeps its data in its own PostgreSQL');
  const phases = temporal === 'cluster' ? PHASES : PHASES.filter((phase) => !CLUSTER_ONLY.includes(phase));
  const only = new Set((flags.get('only') ?? phases.join(',')).split(',').map((phase) => phase.trim()));
  for (const phase of only) if (!PHASES.includes(phase)) throw new Error(`unknown phase ${phase} (${PHASES.join(', ')})`);
  for (const phase of only) if (!phases.includes(phase)) throw new Error(`phase ${phase} needs --temporal=cluster`);
  return {
    quick,
    only,
    rounds: num('rounds', base.rounds),
    warmupSeconds: num('warmup-seconds', base.warmupSeconds),
    concurrency: num('concurrency', base.concurrency),
    p1Seconds: num('p1-seconds', base.p1Seconds),
    p2Seconds: num('p2-seconds', base.p2Seconds),
    salesSeconds: num('sales-seconds', base.salesSeconds),
    salesConcurrency: num('sales-concurrency', base.salesConcurrency),
    profileSeconds: num('profile-seconds', base.profileSeconds),
    park: flags.has('park') ? flags.get('park')!.split(',').map(Number) : base.park,
    parkConcurrency: num('park-concurrency', base.parkConcurrency),
    fitLoops: num('fit-loops', base.fitLoops),
    longLoops: num('long-loops', base.longLoops),
    listProjects: num('list-projects', base.listProjects),
    listRequests: num('list-requests', base.listRequests),
    ...(flags.has('server-db') ? { serverDb: flags.get('server-db') } : {}),
    temporal,
    p6Seconds: num('p6-seconds', base.p6Seconds),
    p6IdleSeconds: num('p6-idle-seconds', base.p6IdleSeconds),
    profile: !switches.has('no-profile'),
    heapSnapshot: switches.has('heap-snapshot'),
    metrics: !switches.has('no-metrics'),
    logLevel: flags.get('log-level') ?? 'info',
    out: flags.get('out') ?? 'bench/results/latest.json',
  };
}
