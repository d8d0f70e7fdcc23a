// Fieldflow in one process: read model, worker and API over an already running Temporal.
// `npm start`, the tests and the benchmark all start it this way.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { openDesignTool, type OpenDesignTool } from '../activities/design';
import { openErp, type OpenErp } from '../activities/erp';
import { createApp } from '../api/app';
import { openMail, type OpenMail } from '../api/mail';
import { settlePlans } from '../api/plans';
import { createChangeFeed } from '../api/changes';
import { serve } from '../api/serve';
import { openDatabase, type Database } from '../db';
import { cachedWorkflowBundle } from '../worker/bundle';
import { createWorker } from '../worker/create';
import { localDocumentStore } from './document-store';
import type { Config } from './config';
import { seedDemo } from './demo';
import { ensureShippedTemplates } from '../api/checklists/store';
import { createLogger, type Logger } from './logger';

/** How long requests in flight get to finish when the system stops. */
const SHUTDOWN_GRACE_MS = 8_000;

export interface SystemOptions {
  config: Config;
  /** Temporal's frontend; a promise when the dev server is still starting. */
  temporalAddress: string | Promise<string>;
  /** PGlite in memory instead of in DATA_DIR, when there is no DATABASE_URL. */
  inMemoryDatabase?: boolean;
  /** A prebuilt bundle (the tests'); otherwise the DATA_DIR cache (worker/bundle.ts). */
  workflowBundlePath?: string;
  seed?: boolean;
  host?: string;
  logger?: Logger;
}

export interface System {
  url: string;
  config: Config;
  database: Database;
  temporal: Client;
  worker: Worker;
  logger: Logger;
  /** The design tool: `url` is DESIGN_TOOL_URL or the stand-in's (page at `/`, `standIn` for tests). */
  designTool: OpenDesignTool;
  /** The ERP: `url` is ERP_URL or the stand-in's (orders at `/`, `standIn` for tests). */
  erp: OpenErp;
  /** Mail: SMTP_URL's server or the stand-in (`standIn` for tests), and the outbox's delivery. */
  mail: OpenMail;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** The SDK's own logs at the configured level (once per process: the runtime is global). */
function installRuntime(level: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLevel = ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' } as Record<string, LogLevel>)[level] ?? 'INFO';
  // No shutdown signals for the SDK: on SIGINT it would drain the worker at once, before the
  // API has answered the completions in flight (which need the worker). `stop()` decides
  // the order: the API, then the worker (npm start calls it on SIGINT and SIGTERM).
  Runtime.install({ logger: new DefaultLogger(sdkLevel), shutdownSignals: [] });
}

/**
 * A Database that forwards to the one `ready` resolves to: its methods wait for it, and
 * its other members exist once it is ready. For the worker, created before the database.
 */
function deferred(ready: Promise<Database>): Database {
  let database: Database | undefined;
  ready.then((value) => (database = value)).catch(() => undefined);
  return new Proxy({} as Database, {
    get(_target, name) {
      if (typeof name === 'symbol' || name === 'then') return database ? Reflect.get(database, name) : undefined; // not a thenable
      if (database) {
        const value = Reflect.get(database, name);
        return typeof value === 'function' ? value.bind(database) : value;
      }
      if (['migrate', 'ping', 'query', 'listen', 'close'].includes(String(name))) {
        return async (...args: unknown[]) => {
          const value = (await ready) as unknown as Record<string, (...args: unknown[]) => unknown>;
          return value[name as string](...args);
        };
      }
      throw new Error(`the database is not open yet (Database.${String(name)} read before it was)`);
    },
  });
}

export async function startSystem(options: SystemOptions): Promise<System> {
  const { config } = options;
  const began = Date.now();
  installRuntime(config.logLevel);
  const logger = options.logger ?? createLogger(config.logLevel);
  const phases: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      phases[name] = Date.now() - started;
    }
  };

  // Independent start-up steps run side by side: the database with its migrations and
  // demo data, the workflow bundle (cached per source hash, built only when the workflows
  // changed), the connections to Temporal (whose dev server may still be starting), and
  // then the worker, which needs the bundle and Temporal but not yet the database: its
  // activities reach the database only once the worker runs, after all of this.
  const databaseReady = timed('database', async () => {
    const database = await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: options.inMemoryDatabase ? null : path.join(config.dataDir, 'pglite') },
    );
    try {
      await database.migrate();
      await ensureShippedTemplates(database.db);
      if (options.seed) await seedDemo(database.db, config.demoPassword);
    } catch (err) {
      await database.close().catch(() => undefined);
      throw err;
    }
    return database;
  });
  const bundleReady = options.workflowBundlePath ? Promise.resolve(options.workflowBundlePath) : timed('bundle', () => cachedWorkflowBundle(config.dataDir, logger));
  const temporalReady = timed('temporal', async () => {
    const address = await options.temporalAddress;
    const [workerConnection, connection] = await Promise.allSettled([NativeConnection.connect({ address }), Connection.connect({ address })]);
    if (workerConnection.status === 'fulfilled' && connection.status === 'fulfilled') return { workerConnection: workerConnection.value, connection: connection.value };
    if (workerConnection.status === 'fulfilled') await workerConnection.value.close().catch(() => undefined);
    if (connection.status === 'fulfilled') await connection.value.close().catch(() => undefined);
    throw workerConnection.status === 'rejected' ? workerConnection.reason : (connection as PromiseRejectedResult).reason;
  });
  // The design tool: the stand-in when DESIGN_TOOL_URL is unset (its webhooks get the
  // API's address once the API listens, below).
  const designToolReady = timed('designTool', () => openDesignTool(config, { host: options.host, logger }));
  // The ERP: the stand-in when ERP_URL is unset.
  const erpReady = timed('erp', () => openErp(config, { host: options.host, logger }));
  const documentStore = localDocumentStore(path.join(config.dataDir, 'documents'));
  const workerReady = Promise.all([bundleReady, temporalReady, designToolReady, erpReady]).then(([workflowBundlePath, { workerConnection, connection }, designTool, erp]) =>
    timed('worker', () =>
      createWorker({
        connection: workerConnection,
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        database: deferred(databaseReady),
        temporal: new Client({ connection, namespace: config.temporalNamespace }),
        config,
        designTool: designTool.tool,
        erp: { erp: erp.erp, currency: config.invoice.currency, timeZone: config.companyTimeZone },
        documentStore,
        workflowBundlePath,
      }),
    ),
  );
  const results = await Promise.allSettled([databaseReady, bundleReady, temporalReady, workerReady, designToolReady, erpReady]);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const [databaseResult, , temporalResult, workerResult, designToolResult, erpResult] = results;
  if (
    failed ||
    databaseResult.status !== 'fulfilled' ||
    temporalResult.status !== 'fulfilled' ||
    workerResult.status !== 'fulfilled' ||
    designToolResult.status !== 'fulfilled' ||
    erpResult.status !== 'fulfilled'
  ) {
    if (designToolResult.status === 'fulfilled') await designToolResult.value.close().catch(() => undefined);
    if (erpResult.status === 'fulfilled') await erpResult.value.close().catch(() => undefined);
    if (databaseResult.status === 'fulfilled') await databaseResult.value.close().catch(() => undefined);
    if (temporalResult.status === 'fulfilled') {
      await temporalResult.value.connection.close().catch(() => undefined);
      await temporalResult.value.workerConnection.close().catch(() => undefined);
    }
    throw failed?.reason;
  }
  const database = databaseResult.value;
  const { workerConnection, connection } = temporalResult.value;
  const worker = workerResult.value;
  const designTool = designToolResult.value;
  const erp = erpResult.value;
  const running = worker.run();
  running.catch((err) => logger.error({ err }, 'worker stopped'));

  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const mail = await openMail(config, { database, logger });
  const changes = createChangeFeed(database);
  const app = createApp({ database, temporal, config, logger, changes, documentStore });
  const served = serve(app, config.requestTimeoutMs);
  const server = served.server;
  await new Promise<void>((resolve) => server.listen(config.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
  // Links in mails and QR codes: PUBLIC_URL, or this address when it is unset.
  if (!config.publicUrl) config.publicUrl = url;
  if (designTool.standIn) designTool.standIn.webhookUrl = `http://${!options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${port}/events/design`;
  logger.info({ ms: Date.now() - began, sinceProcessStart: Math.round(process.uptime() * 1000), phases }, 'system started');
  // Maintenance plans a crash left between their row and their schedule (api/plans.ts).
  void settlePlans({ database, temporal, config, logger }).catch((err) => logger.warn({ err }, 'maintenance plans not settled at start'));

  return {
    url,
    config,
    database,
    temporal,
    worker,
    logger,
    designTool,
    erp,
    mail,
    async stop() {
      // Requests in flight are answered first (Ctrl-C of npm start), then the worker drains.
      const { left } = await served.close(SHUTDOWN_GRACE_MS);
      if (left > 0) logger.warn({ left }, 'shutdown grace period over; cut the requests left');
      logger.info('api stopped');
      await changes.close();
      await mail.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      logger.info('worker stopped');
      await designTool.close();
      await erp.close();
      await connection.close();
      await workerConnection.close();
      await database.close();
    },
  };
}
