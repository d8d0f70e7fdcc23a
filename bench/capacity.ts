// P6 (`--temporal=cluster` only): what one project costs the production Temporal server and
// its PostgreSQL, and a capacity model built from it. Counters are read before and after a
// phase: the server's CPU (/proc/<pid>/stat), the CPU of the cluster's PostgreSQL (the
// postmaster and its backends), and PostgreSQL's own statistics for the `temporal` and
// `temporal_visibility` databases (pg_stat_database: transactions, pg_database_size;
// pg_stat_user_tables: rows inserted, updated and deleted per table) and its WAL
// (pg_stat_wal). Method: bench/README.md, "P6".
import fs from 'node:fs';
import pg from 'pg';

/** A P1 project's actions that reach a workflow: 1 create, 8 completions, 2 protocol changes (bench/README.md, P1). */
export const P1_ACTIONS = 11;
/** The model's load: open projects and actions per second (the figures). */
export const TARGET = { openProjects: 1_000_000, actionsPerSecond: 100 };
/** A check of the model holds when each prediction is within this of the measurement. */
export const CHECK_TOLERANCE = 0.25;
// A backend sends its statistics at most once a second, and an idle one after up to 10 s
// (PGSTAT_IDLE_INTERVAL): counters read sooner would miss the end of a phase.
export const STATS_SETTLE_MS = 11_000;
const DATABASES = ['temporal', 'temporal_visibility'] as const;
// Temporal's task queues (history's transfer, timer and visibility queues, matching's
// tasks): every row is deleted once done, but in ranges, later (up to a minute), so a
// window's deletions belong to earlier windows. The model counts one deletion per row
// inserted here instead.
const QUEUE_TABLE = /^(transfer|timer|visibility|replication|history_immediate|history_scheduled|tiered_storage)_tasks$|^tasks(_v2)?$/;

export type TableRows = Record<string, { inserted: number; updated: number; deleted: number }>;

export interface Counters {
  at: number;
  serverCpu: number;
  postgresCpu: number;
  commits: number;
  inserted: number;
  updated: number;
  deleted: number;
  walBytes: number;
  dbBytes: number;
  /** Per table, `database.table`. */
  tables: TableRows;
}

type Figure = Exclude<keyof Counters, 'at' | 'tables'>;
const FIGURES: Figure[] = ['serverCpu', 'postgresCpu', 'commits', 'inserted', 'updated', 'deleted', 'walBytes', 'dbBytes'];

/** CPU seconds (user + system, all threads) of a process so far; with `reaped`, of its waited-for children too. */
export function processCpuSeconds(pid: number, reaped = false): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (own + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)) / 100; // clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** CPU seconds of one PostgreSQL cluster: its postmaster, its live backends and the ones it has reaped. */
export function postgresClusterCpuSeconds(postmaster: number): number {
  let total = processCpuSeconds(postmaster, true);
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Reads the counters of a Temporal server and its PostgreSQL cluster: the cluster-wide
 * figures through the `postgres` database, each table's through a connection to its
 * database (one transaction per reading there, next to the server's hundreds a second).
 */
export class ServerCounters {
  private constructor(
    private readonly clients: Record<'postgres' | (typeof DATABASES)[number], pg.Client>,
    private readonly serverPid: number,
    private readonly postmaster: number,
  ) {}

  static async open(databaseUrl: string, serverPid: number, postmaster: number): Promise<ServerCounters> {
    const connect = async (database: string) => {
      const url = new URL(databaseUrl);
      url.pathname = `/${database}`;
      const client = new pg.Client({ connectionString: url.toString() });
      // The run stops the cluster at its end; a connection still open then is no error.
      client.on('error', () => undefined);
      await client.connect();
      return client;
    };
    const [postgres, temporal, visibility] = await Promise.all(['postgres', ...DATABASES].map(connect));
    return new ServerCounters({ postgres, temporal, temporal_visibility: visibility }, serverPid, postmaster);
  }

  async read(): Promise<Counters> {
    const [stats, wal, ...perDatabase] = await Promise.all([
      this.clients.postgres.query<{ commits: string; bytes: string }>(
        'SELECT sum(xact_commit) AS commits, sum(pg_database_size(datname)) AS bytes FROM pg_stat_database WHERE datname = ANY($1)',
        [DATABASES],
      ),
      this.clients.postgres.query<{ bytes: string }>('SELECT wal_bytes AS bytes FROM pg_stat_wal'),
      ...DATABASES.map((database) =>
        this.clients[database].query<{ name: string; inserted: string; updated: string; deleted: string }>(
          'SELECT relname AS name, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_del AS deleted FROM pg_stat_user_tables',
        ),
      ),
    ]);
    const tables: TableRows = {};
    DATABASES.forEach((database, i) => {
      for (const row of perDatabase[i].rows) tables[`${database}.${row.name}`] = { inserted: Number(row.inserted), updated: Number(row.updated), deleted: Number(row.deleted) };
    });
    const sum = (part: 'inserted' | 'updated' | 'deleted') => Object.values(tables).reduce((total, table) => total + table[part], 0);
    return {
      at: Date.now(),
      serverCpu: processCpuSeconds(this.serverPid),
      postgresCpu: postgresClusterCpuSeconds(this.postmaster),
      commits: Number(stats.rows[0].commits),
      inserted: sum('inserted'),
      updated: sum('updated'),
      deleted: sum('deleted'),
      walBytes: Number(wal.rows[0].bytes),
      dbBytes: Number(stats.rows[0].bytes),
      tables,
    };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.clients).map((client) => client.end()));
  }
}

export type Rates = Record<Figure, number>;

/** Per second between two readings. */
export function ratesBetween(before: Counters, after: Counters): Rates {
  const seconds = (after.at - before.at) / 1000;
  return Object.fromEntries(FIGURES.map((figure) => [figure, (after[figure] - before[figure]) / seconds])) as Rates;
}

export interface PerProject {
  projects: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  commits: number;
  /** Inserted + updated + deleted, a queue row's deletion counted when it is inserted (QUEUE_TABLE). */
  rowsWritten: number;
  inserted: number;
  updated: number;
  /** Deleted in the window: the mutable state's rows at once, the queues' whenever their cleanup ran. */
  deletedMeasured: number;
  /** The queue rows inserted (each deleted later). */
  queueRows: number;
  walKB: number;
  dbKB: number;
  historyBytes: number;
  historyEvents: number;
  /** The tables most written, rows per project (inserted/updated/deleted). */
  tables: Record<string, string>;
}

/** One phase's cost per project: what moved between the readings, less what the idle server does in as long (`idle`). */
export function perProject(before: Counters, after: Counters, idle: Rates, projects: number, history: { bytes: number; events: number }): PerProject {
  const seconds = (after.at - before.at) / 1000;
  const net = (figure: Figure) => (after[figure] - before[figure] - (figure === 'dbBytes' ? 0 : idle[figure] * seconds)) / projects;
  const table = (name: string, part: 'inserted' | 'updated' | 'deleted') => ((after.tables[name]?.[part] ?? 0) - (before.tables[name]?.[part] ?? 0)) / projects;
  const names = Object.keys(after.tables);
  const queues = names.filter((name) => QUEUE_TABLE.test(name.split('.')[1]));
  const queueRows = queues.reduce((sum, name) => sum + table(name, 'inserted'), 0);
  const otherDeleted = names.filter((name) => !queues.includes(name)).reduce((sum, name) => sum + table(name, 'deleted'), 0);
  const inserted = net('inserted');
  const updated = net('updated');
  const written = (name: string) => table(name, 'inserted') + table(name, 'updated') + table(name, 'deleted');
  const busiest = names.sort((a, b) => written(b) - written(a)).filter((name) => written(name) >= 1).slice(0, 8);
  return {
    projects,
    serverCpuMs: net('serverCpu') * 1000,
    postgresCpuMs: net('postgresCpu') * 1000,
    commits: net('commits'),
    rowsWritten: inserted + updated + otherDeleted + queueRows,
    inserted,
    updated,
    deletedMeasured: net('deleted'),
    queueRows,
    walKB: net('walBytes') / 1024,
    dbKB: net('dbBytes') / 1024,
    historyBytes: history.bytes,
    historyEvents: history.events,
    tables: Object.fromEntries(busiest.map((name) => [name, [table(name, 'inserted'), table(name, 'updated'), table(name, 'deleted')].map((n) => n.toFixed(1)).join('/')])),
  };
}

export interface Projection {
  projectsPerSecond: number;
  serverCores: number;
  postgresCores: number;
  commitsPerSecond: number;
  rowWritesPerSecond: number;
  walMBPerSecond: number;
  historyGB: number;
  databaseGB: number;
}

/** The model: the idle server plus each project's cost times the rate; storage scales with the open projects. */
export function project(cost: PerProject, idle: Rates, load = TARGET): Projection {
  const rate = load.actionsPerSecond / P1_ACTIONS;
  return {
    projectsPerSecond: rate,
    serverCores: idle.serverCpu + (rate * cost.serverCpuMs) / 1000,
    postgresCores: idle.postgresCpu + (rate * cost.postgresCpuMs) / 1000,
    commitsPerSecond: idle.commits + rate * cost.commits,
    rowWritesPerSecond: idle.inserted + idle.updated + idle.deleted + rate * cost.rowsWritten,
    walMBPerSecond: (idle.walBytes + rate * cost.walKB * 1024) / 2 ** 20,
    historyGB: (load.openProjects * cost.historyBytes) / 2 ** 30,
    databaseGB: (load.openProjects * cost.dbKB * 1024) / 2 ** 30,
  };
}

export interface CheckLine {
  what: string;
  predicted: number;
  measured: number;
  error: number;
  held: boolean;
}

export interface MeasuredPoint {
  rates: Rates;
  projectsPerSecond: number;
}

/**
 * The model's prediction at a measured point against what was measured there: CPU over
 * the load's own window (`load`), PostgreSQL's statistics over a window that ends once they
 * have settled (`settled`, so its rate is lower).
 */
export function check(cost: PerProject, idle: Rates, load: MeasuredPoint, settled: MeasuredPoint): CheckLine[] {
  const line = (what: string, predicted: number, value: number): CheckLine => {
    const error = (predicted - value) / value;
    return { what, predicted, measured: value, error, held: Math.abs(error) <= CHECK_TOLERANCE };
  };
  // Deletions are left out: the queues' come whenever their cleanup runs, not in the window.
  const rows = (r: Pick<Rates, 'inserted' | 'updated'>) => r.inserted + r.updated;
  return [
    line('Temporal server CPU, cores', idle.serverCpu + (load.projectsPerSecond * cost.serverCpuMs) / 1000, load.rates.serverCpu),
    line('PostgreSQL CPU, cores', idle.postgresCpu + (load.projectsPerSecond * cost.postgresCpuMs) / 1000, load.rates.postgresCpu),
    line('rows inserted+updated/s', rows(idle) + settled.projectsPerSecond * rows(cost), rows(settled.rates)),
    line('transactions/s', idle.commits + settled.projectsPerSecond * cost.commits, settled.rates.commits),
  ];
}

// ---------------------------------------------------------------------------------------
// Printing

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** One line per kind: what a project costs the server and PostgreSQL. */
export function describeCost(cost: PerProject): string {
  return (
    `Temporal server CPU ${fixed(cost.serverCpuMs, 0)} ms, PostgreSQL CPU ${fixed(cost.postgresCpuMs, 0)} ms, ` +
    `${fixed(cost.commits, 0)} transactions (reads included), ${fixed(cost.rowsWritten, 0)} rows written (${fixed(cost.inserted, 0)} inserted, ${fixed(cost.updated, 0)} updated, ` +
    `${fixed(cost.rowsWritten - cost.inserted - cost.updated, 0)} deleted counting each of the ${fixed(cost.queueRows, 0)} queue rows; ${fixed(cost.deletedMeasured, 0)} deleted in the window), ` +
    `WAL ${fixed(cost.walKB)} kB, databases +${fixed(cost.dbKB)} kB, history ${fixed(cost.historyBytes / 1024)} kB in ${fixed(cost.historyEvents, 0)} events (parent+job)`
  );
}

export function describeIdle(idle: Rates): string {
  return `server ${fixed(idle.serverCpu * 1000, 0)} ms CPU/s, PostgreSQL ${fixed(idle.postgresCpu * 1000, 0)} ms CPU/s, ${fixed(idle.commits)} transactions/s, ${fixed(idle.inserted + idle.updated + idle.deleted)} row writes/s, WAL ${fixed(idle.walBytes / 1024)} kB/s`;
}

export function describeProjection(p: Projection, load = TARGET): string {
  return (
    `${load.actionsPerSecond} actions/s (${fixed(p.projectsPerSecond, 2)} P1 projects/s of ${P1_ACTIONS} actions): Temporal server ${fixed(p.serverCores, 2)} cores, PostgreSQL ${fixed(p.postgresCores, 2)} cores, ` +
    `${fixed(p.commitsPerSecond, 0)} transactions/s, ${fixed(p.rowWritesPerSecond, 0)} row writes/s, WAL ${fixed(p.walMBPerSecond, 2)} MB/s; ` +
    `${load.openProjects.toLocaleString('en')} projects: histories ${fixed(p.historyGB)} GB, databases ${fixed(p.databaseGB)} GB`
  );
}

export function describeCheck(lines: CheckLine[]): string {
  return lines.map((l) => `${l.what}: predicted ${fixed(l.predicted, 3)}, measured ${fixed(l.measured, 3)} (${l.error >= 0 ? '+' : ''}${fixed(l.error * 100)}%, ${l.held ? 'held' : 'NOT within ' + CHECK_TOLERANCE * 100 + '%'})`).join('; ');
}
