// Fieldflow as `npm start` runs it (runtime/system.ts: read model, migrations, demo
// data, worker and API in one process), in a child process of the benchmark so that
// its memory is the memory of the process hosting the worker. PGlite in memory, or the
// PostgreSQL of DATABASE_URL. The worker bundles its workflows at start, as in `npm start`.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, count, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { TOTAL_CAP } from '../api/lists';
import { searchReadModel } from '../api/routes/search';
import { projectViews } from '../api/views';
import { customers, projects, sites, tasks } from '../db/schema';
import { loadConfig } from '../runtime/config';
import { startSystem } from '../runtime/system';
import { exposeWorkerMetrics, hostHandlers } from './host-common';
import { captureWorkerThreads } from './heap';
import { serve } from './ipc';

export const SYNTHETIC_PREFIX = 'bench5-';

/** Twenty syllables; three of them, picked by a number's digits in base 20, make a surname. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ner', 'sto', 'va', 'bel', 'don', 'fri', 'gan', 'hul', 'jor', 'kes', 'lind', 'mar', 'nov', 'pet', 'ros', 'tam', 'wes'];
const syllable = (n: SQL) => sql`(ARRAY[${sql.raw(SYLLABLES.map((text) => `'${text}'`).join(','))}])[1 + (${n}) % 20]`;
const SURNAME = sql`initcap(${syllable(sql`i`)} || ${syllable(sql`i / 20`)} || ${syllable(sql`i / 400`)})`;

/** A surname of the seed as SURNAME makes it, for the search queries of P5. */
export const syntheticSurname = (i: number) => {
  const word = [i, Math.floor(i / 20), Math.floor(i / 400)].map((n) => SYLLABLES[n % 20]).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
};

async function main() {
  captureWorkerThreads();
  const env = process.env;
  const metricsPort = env.BENCH_METRICS_PORT ? Number(env.BENCH_METRICS_PORT) : undefined;
  exposeWorkerMetrics(metricsPort);
  const config = loadConfig({
    ...env,
    PORT: '0',
    JWT_SECRET: env.JWT_SECRET || 'bench-jwt-secret-of-at-least-32-characters',
    WEBHOOK_SECRET_MANUFACTURER: env.WEBHOOK_SECRET_MANUFACTURER || `whsec_${Buffer.from('bench-manufacturer-webhook-key').toString('base64')}`,
    WEBHOOK_SECRET_DESIGN: env.WEBHOOK_SECRET_DESIGN || `whsec_${Buffer.from('bench-design-webhook-key-0000').toString('base64')}`,
    DATA_DIR: env.DATA_DIR || path.join(os.tmpdir(), `fieldflow-bench-${crypto.randomUUID()}`),
  });
  const system = await startSystem({
    config,
    temporalAddress: env.BENCH_TEMPORAL_ADDRESS!,
    inMemoryDatabase: true,
    seed: true,
  });
  const { db } = system.database;
  const rows = async <T>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  const [{ version }] = await rows<{ version: string }>(sql`SELECT version() AS version`);

  const listQueries = {
    /** What GET /projects?stage=<stage> asks the database (api/routes/projects.ts, api/views.ts). */
    projects: async (stage: string) => {
      const [rows] = await Promise.all([
        db
          .select({ ...getTableColumns(projects), customerName: customers.name, siteAddress: sites.address })
          .from(projects)
          .innerJoin(customers, eq(customers.id, projects.customerId))
          .innerJoin(sites, eq(sites.id, projects.siteId))
          .where(and(eq(projects.stage, stage)))
          .orderBy(desc(projects.createdAt), desc(projects.id))
          .limit(51),
        db.select({ counted: count() }).from(db.select({ one: sql`1` }).from(projects).where(eq(projects.stage, stage)).limit(TOTAL_CAP + 1).as('matches')),
      ]);
      await projectViews(db, rows.slice(0, 50));
    },
    /** What GET /search?q= asks the database (api/routes/search.ts). */
    search: (q: string) => searchReadModel(db, q, 10),
    /** What GET /tasks?assignee=me&status=open asks for ops@ (api/routes/tasks.ts). */
    tasks: async () => {
      await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.status, 'open'), inArray(tasks.assignee, ['usr_demo_ops', 'group:ops'])))
        .orderBy(desc(tasks.createdAt), desc(tasks.id))
        .limit(51);
    },
  };

  serve({
    ...hostHandlers(() => system.worker, metricsPort),
    info: () => ({
      pid: process.pid,
      url: system.url.replace('localhost', '127.0.0.1'),
      designToolUrl: system.designTool.standIn ? system.designTool.url.replace('localhost', '127.0.0.1') : undefined,
      database: system.database.engine === 'pglite' ? `PGlite in memory (${version.split(' on ')[0]})` : `PostgreSQL via DATABASE_URL (${version.split(' on ')[0]})`,
      taskQueue: config.taskQueue,
      logLevel: config.logLevel,
      policy: config.policy,
      maxCachedWorkflows: system.worker.options.maxCachedWorkflows,
      reuseV8Context: system.worker.options.reuseV8Context,
    }),
    /** Projects created from now on continue as new after this many events. */
    setContinueAsNewAfterEvents(events: number) {
      config.policy.continueAsNewAfterEvents = events;
    },
    /**
     * P5: `count` synthetic projects with two tasks each, straight into the read model in
     * batches of one INSERT … SELECT generate_series. Stages cycle through requesting,
     * investigating x2, servicing x2, reviewing, closed x4; the second task is open unless
     * the project is closed, assigned to group:ops except in servicing (the installer).
     */
    async seedReadModel(count: number, batch = 10_000) {
      const started = performance.now();
      await removeSynthetic();
      // Customers for search (one per five projects), each with one site: surnames of three
      // syllables (8000 of them), a phone, an email and a street address, so a name, a
      // street or a phone matches a handful of rows, as in a real customer base.
      const customerCount = Math.max(1, Math.ceil(count / 5));
      await db.execute(sql`
        INSERT INTO customers (id, name, email, phone)
        SELECT ${SYNTHETIC_PREFIX} || 'c' || lpad(i::text, 7, '0'),
               (ARRAY['Ava','Ben','Chloe','Dan','Ella','Finn','Grace','Hugo','Isla','Jack'])[1 + i % 10] || ' ' || ${SURNAME},
               lower(${SURNAME}) || i || '@example.test',
               '04' || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0')
        FROM generate_series(1, ${customerCount}::int) AS i`);
      await db.execute(sql`
        INSERT INTO sites (id, customer_id, address)
        SELECT ${SYNTHETIC_PREFIX} || 's' || lpad(i::text, 7, '0'), ${SYNTHETIC_PREFIX} || 'c' || lpad(i::text, 7, '0'),
               (1 + i % 300) || ' ' || initcap(${syllable(sql`i / 7`)} || ${syllable(sql`i / 11`)}) || ' Street, Suburb ' || (i % 97)
        FROM generate_series(1, ${customerCount}::int) AS i`);
      for (let from = 1; from <= count; from += batch) {
        const to = Math.min(count, from + batch - 1);
        const rows = sql`
          SELECT i, ${SYNTHETIC_PREFIX} || lpad(i::text, 7, '0') AS id,
                 (ARRAY['requesting','investigating','investigating','servicing','servicing','reviewing','closed','closed','closed','closed'])[1 + i % 10] AS stage,
                 now() - i * interval '5 minutes' AS at
          FROM generate_series(${from}::int, ${to}::int) AS i`;
        await db.execute(sql`
          INSERT INTO projects (id, kind, title, stage, status, outcome, customer_id, site_id, workflow_id, created_by, created_at, updated_at, closed_at)
          SELECT id, 'service', 'Synthetic project ' || i, stage,
                 CASE stage WHEN 'closed' THEN 'completed' WHEN 'servicing' THEN 'in_progress' ELSE 'planned' END,
                 CASE stage WHEN 'closed' THEN 'resolved' END,
                 ${SYNTHETIC_PREFIX} || 'c' || lpad((1 + i % ${customerCount}::int)::text, 7, '0'), ${SYNTHETIC_PREFIX} || 's' || lpad((1 + i % ${customerCount}::int)::text, 7, '0'),
                 'service-' || id, 'usr_demo_ops', at, at, CASE stage WHEN 'closed' THEN at + interval '3 days' END
          FROM (${rows}) g`);
        await db.execute(sql`
          INSERT INTO tasks (id, project_id, workflow_id, type, stage, status, assignee, due_at, completed_by, completed_at, created_at)
          SELECT id || '-t1', id, 'service-' || id, 'service_request', 'requesting',
                 CASE stage WHEN 'requesting' THEN 'open' ELSE 'done' END, 'group:ops', at + interval '2 days',
                 CASE WHEN stage <> 'requesting' THEN 'usr_demo_ops' END, CASE WHEN stage <> 'requesting' THEN at + interval '1 hour' END, at
          FROM (${rows}) g
          UNION ALL
          SELECT id || '-t2', id, 'service-' || id,
                 CASE stage WHEN 'investigating' THEN 'internal_review' WHEN 'servicing' THEN 'audit_checklist' ELSE 'service_review' END,
                 stage, CASE stage WHEN 'closed' THEN 'done' ELSE 'open' END,
                 CASE stage WHEN 'servicing' THEN 'usr_demo_installer' ELSE 'group:ops' END, at + interval '3 days',
                 CASE stage WHEN 'closed' THEN 'usr_demo_ops' END, CASE stage WHEN 'closed' THEN at + interval '3 days' END, at + interval '1 hour'
          FROM (${rows}) g WHERE stage <> 'requesting'`);
      }
      await db.execute(sql`ANALYZE projects`);
      await db.execute(sql`ANALYZE tasks`);
      await db.execute(sql`ANALYZE customers`);
      await db.execute(sql`ANALYZE sites`);
      const [counts] = await rows<Record<string, number>>(sql`
        SELECT (SELECT count(*) FROM projects)::int AS projects,
               (SELECT count(*) FROM tasks)::int AS tasks,
               (SELECT count(*) FROM tasks WHERE status = 'open' AND assignee IN ('usr_demo_ops', 'group:ops'))::int AS "openForOps",
               (SELECT count(*) FROM projects WHERE stage = 'investigating')::int AS investigating`);
      return { ...counts, customers: customerCount, seconds: (performance.now() - started) / 1000 };
    },
    removeSynthetic: () => removeSynthetic(),
    /** The list routes' own SQL, run here without HTTP: P5's floor. */
    async listQueryTimes(which: 'projects' | 'tasks', requests: number, stage = 'investigating') {
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        await (which === 'projects' ? listQueries.projects(stage) : listQueries.tasks());
        times.push(performance.now() - started);
      }
      return times;
    },
    /**
     * P5 search: queries as the office types them, over the seeded customers: a surname
     * with one letter wrong, a first name and surname, a phone number with spaces, a
     * street, a project number. Picked by a seeded random, so every run asks the same.
     */
    async searchQueries(n: number, customerCount: number) {
      let state = 5;
      const random = (below: number) => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state % below;
      };
      const queries: string[] = [];
      for (let k = 0; k < n; k++) {
        const i = 1 + random(customerCount);
        const surname = syntheticSurname(i);
        const at = 3 + random(surname.length - 5);
        const phone = '04' + String((i * 7919) % 100_000_000).padStart(8, '0');
        switch (k % 5) {
          case 0:
            // One letter wrong in a long surname; a short one typed without its last letter.
            queries.push(surname.length >= 8 ? surname.slice(0, at) + (surname[at] === 'e' ? 'a' : 'e') + surname.slice(at + 1) : surname.slice(0, -1));
            break;
          case 1:
            queries.push(`${['Ava', 'Ben', 'Chloe', 'Dan', 'Ella', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jack'][i % 10]} ${surname}`);
            break;
          case 2:
            queries.push(`${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
            break;
          case 3: {
            const [{ address }] = await rows<{ address: string }>(sql`SELECT address FROM sites WHERE id = ${SYNTHETIC_PREFIX + 's' + String(i).padStart(7, '0')}`);
            queries.push(address.split(',')[0]);
            break;
          }
          default:
            queries.push(SYNTHETIC_PREFIX + String(1 + random(customerCount * 5)).padStart(7, '0'));
        }
      }
      return queries;
    },
    async searchQueryTimes(queries: string[]) {
      const times: number[] = [];
      for (const q of queries) {
        const started = performance.now();
        await listQueries.search(q);
        times.push(performance.now() - started);
      }
      return times;
    },
    /**
     * The CPU time of this process for each search (user + system, all threads), which
     * a loaded machine stretches far less than wall time. Embedded, PGlite runs here, so
     * this is the whole search; with DATABASE_URL the server's share is not in it.
     */
    async searchQueryCpu(queries: string[]) {
      const cpu: number[] = [];
      for (const q of queries) {
        const started = process.cpuUsage();
        await listQueries.search(q);
        const used = process.cpuUsage(started);
        cpu.push((used.user + used.system) / 1000);
      }
      return cpu;
    },
    async explain(which: 'projects' | 'tasks', stage = 'investigating') {
      const query =
        which === 'projects'
          ? sql`EXPLAIN ANALYZE SELECT * FROM projects WHERE stage = ${stage} ORDER BY created_at DESC, id DESC LIMIT 51`
          : sql`EXPLAIN ANALYZE SELECT * FROM tasks WHERE status = 'open' AND assignee IN ('usr_demo_ops', 'group:ops') ORDER BY created_at DESC, id DESC LIMIT 51`;
      return (await rows<Record<string, string>>(query)).map((row) => Object.values(row)[0]).join('\n');
    },
    async stop() {
      await system.stop();
      setImmediate(() => process.exit(0));
    },
  });

  async function removeSynthetic() {
    await db.execute(sql`DELETE FROM tasks WHERE project_id LIKE ${SYNTHETIC_PREFIX + '%'}`);
    await db.execute(sql`DELETE FROM projects WHERE id LIKE ${SYNTHETIC_PREFIX + '%'}`);
    await db.execute(sql`DELETE FROM sites WHERE id LIKE ${SYNTHETIC_PREFIX + '%'}`);
    await db.execute(sql`DELETE FROM customers WHERE id LIKE ${SYNTHETIC_PREFIX + '%'}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
