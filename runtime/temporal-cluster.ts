// The production Temporal server (v1.29.1, multi-service) on a throwaway PostgreSQL cluster,
// without Docker: scripts/start-postgres.sh for the cluster, scripts/temporal-server.sh for
// the compose file's schema setup, server and namespace setup. The fault tests
// (test/faults/) and the benchmark (`npm run bench -- --temporal=cluster`) both start it
// from here; runtime/temporal-dev-server.ts is the dev server's counterpart.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = path.join(__dirname, '..');
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PostgresCluster {
  databaseUrl: string;
  pgDataDir: string;
  pgCtl: string;
  pgPort: number;
}

export interface TemporalServerPlace {
  pgPort: number;
  temporalRoot: string;
  temporalPort: number;
}

export const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits until the process is gone (it is not our child, so no exit event). */
async function gone(pid: number, within: number): Promise<boolean> {
  const deadline = Date.now() + within;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

/**
 * Production's durability: every commit flushed before it is acknowledged. The faults stop
 * this cluster with \`pg_ctl -m immediate\` (a crash); with synchronous_commit=off a commit
 * already acknowledged to the Temporal server would be lost, and the server, whose memory is
 * then ahead of its database, would wait forever on a workflow task it believes dispatched.
 */
const DURABLE = '-c fsync=on -c synchronous_commit=on -c full_page_writes=on';

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const { stdout } = await run('bash', [path.join(REPO, 'scripts', 'start-postgres.sh')], { maxBuffer: 1 << 20, env: { ...process.env, PG_SETTINGS: DURABLE } });
  const values = Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return { databaseUrl: values.DATABASE_URL!, pgDataDir: values.PGDATA_DIR!, pgCtl: values.PG_CTL!, pgPort: Number(new URL(values.DATABASE_URL!).port) };
}

/** pg_ctl as the cluster's owner (postgres when run as root). */
export async function pgCtl(cluster: Pick<PostgresCluster, 'pgDataDir' | 'pgCtl'>, ...args: string[]): Promise<void> {
  const owner = fs.statSync(cluster.pgDataDir).uid;
  const asOwner = process.getuid?.() === 0 && owner !== 0;
  const [command, argv] = asOwner ? ['runuser', ['-u', 'postgres', '--', cluster.pgCtl, '-D', cluster.pgDataDir, ...args]] : [cluster.pgCtl, ['-D', cluster.pgDataDir, ...args]];
  await run(command, argv, { cwd: '/' });
}

export const stopPostgresCluster = (cluster: Pick<PostgresCluster, 'pgDataDir' | 'pgCtl'>, mode: 'fast' | 'immediate' = 'immediate') => pgCtl(cluster, '-m', mode, '-w', 'stop');
// The options scripts/start-postgres.sh started it with (a plain `start` forgets them and
// would listen on 5432); -l: a server writing to our pipe would keep execFile waiting forever.
export const restartPostgresCluster = (cluster: Pick<PostgresCluster, 'pgDataDir' | 'pgCtl' | 'pgPort'>) =>
  pgCtl(
    cluster,
    '-w', '-t', '60',
    '-l', path.join(cluster.pgDataDir, 'postgres.log'),
    '-o', `-p ${cluster.pgPort} -k ${cluster.pgDataDir} -c listen_addresses=127.0.0.1 ${DURABLE} -c max_connections=200`,
    'start',
  );

/** The postmaster's pid (the first line of postmaster.pid), undefined when it is down. */
export function postmasterPid(cluster: Pick<PostgresCluster, 'pgDataDir'>): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(cluster.pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Temporal

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A frontend port whose neighbours (history, matching, worker, membership) are free too. */
export async function freeTemporalPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Membership ports are stored as smallint by the SQL persistence: keep them below 32768.
    const base = 10_300 + Math.floor(Math.random() * 22_000);
    const ports = [0, 1, 2, 6, 10, -300, -299, -298, -294].map((offset) => base + offset);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free ports for the Temporal server');
}

export function temporalEnv(place: Pick<TemporalServerPlace, 'pgPort' | 'temporalPort'>): NodeJS.ProcessEnv {
  return { ...process.env, POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(place.pgPort), POSTGRES_USER: 'postgres', POSTGRES_PWD: '', TEMPORAL_PORT: String(place.temporalPort) };
}

export const temporalAddress = (place: Pick<TemporalServerPlace, 'temporalPort'>) => `127.0.0.1:${place.temporalPort}`;

/** The server's directory (built into a cache the first time: scripts/ensure-temporal-server.sh). */
export async function ensureTemporalServer(): Promise<string> {
  return (await run('bash', [path.join(REPO, 'scripts', 'ensure-temporal-server.sh')], { maxBuffer: 1 << 24 })).stdout.trim();
}

/** The compose path's schema step (`setup.sh schema`) and the server's config in ROOT/config. */
export async function prepareTemporal(place: TemporalServerPlace): Promise<void> {
  await run('bash', [path.join(REPO, 'scripts', 'temporal-server.sh'), 'prepare', place.temporalRoot], { env: temporalEnv(place), maxBuffer: 1 << 22 });
}

/**
 * The server in the background (its own process group), its log appended to
 * ROOT/server.log. The script execs the server, so the pid is the server's own.
 */
export function spawnTemporal(place: TemporalServerPlace): number {
  const log = fs.openSync(path.join(place.temporalRoot, 'server.log'), 'a');
  const child = spawn('bash', [path.join(REPO, 'scripts', 'temporal-server.sh'), 'run', place.temporalRoot], {
    env: temporalEnv(place),
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  fs.closeSync(log);
  return child.pid!;
}

/** The compose path's namespace step: returns once the namespace and its search attributes work. */
export async function setUpNamespace(place: TemporalServerPlace): Promise<void> {
  await run('bash', [path.join(REPO, 'scripts', 'temporal-server.sh'), 'namespace'], { env: temporalEnv(place), maxBuffer: 1 << 22, timeout: 180_000 });
}

/** Waits until the frontend answers a health check. */
export async function temporalHealthy(place: Pick<TemporalServerPlace, 'temporalPort'>, within = 120_000): Promise<void> {
  const cli = (await run('bash', [path.join(REPO, 'scripts', 'ensure-temporal.sh')])).stdout.trim();
  const deadline = Date.now() + within;
  for (;;) {
    const ok = await run(cli, ['operator', 'cluster', 'health', '--address', temporalAddress(place)], { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Temporal at ${temporalAddress(place)} not healthy within ${within} ms`);
    await sleep(500);
  }
}

/** Signals the server's process group and waits for it to go (SIGKILL after 30 s). */
export async function stopTemporalServer(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!pid || !alive(pid)) return;
  try {
    process.kill(-pid, signal);
  } catch {
    process.kill(pid, signal);
  }
  if (!(await gone(pid, 30_000))) {
    process.kill(-pid, 'SIGKILL');
    await gone(pid, 10_000);
  }
}

// ---------------------------------------------------------------------------------------
// All of it at once

export interface TemporalCluster extends PostgresCluster, TemporalServerPlace {
  address: string;
  temporalPid: number;
  serverDir: string;
  /** Stops the server and PostgreSQL and removes the cluster's data (ROOT stays: the caller's). */
  stop(): Promise<void>;
}

/**
 * A fresh PostgreSQL cluster and the production Temporal server on it, its namespace and
 * search attributes set up as the compose file does. ROOT (an existing directory) gets
 * the server's config and log.
 */
export async function startTemporalCluster(temporalRoot: string): Promise<TemporalCluster> {
  const [serverDir, postgres] = await Promise.all([ensureTemporalServer(), startPostgresCluster()]);
  let temporalPid: number | undefined;
  const stop = async () => {
    await stopTemporalServer(temporalPid).catch(() => undefined);
    await stopPostgresCluster(postgres, 'fast').catch(() => undefined);
    fs.rmSync(postgres.pgDataDir, { recursive: true, force: true });
  };
  try {
    const place = { pgPort: postgres.pgPort, temporalRoot, temporalPort: await freeTemporalPort() };
    await prepareTemporal(place);
    temporalPid = spawnTemporal(place);
    await setUpNamespace(place);
    return { ...postgres, ...place, address: temporalAddress(place), temporalPid, serverDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
