// Fieldflow in one process: read model, worker and API over an already running Temporal.
// `npm start`, the tests and the benchmark all start it this way.
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createChangeFeed } from '../api/changes';
import { openDatabase, type Database } from '../db';
import { cachedWorkflowBundle } from '../worker/bundle';
import { createWorker } from '../worker/create';
import type { Config } from './config';
import { seedDemo } from './demo';
import { createLogger, type Logger } from './logger';

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
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** The SDK's own logs at the configured level (once per process: the runtime is global). */
function installRuntime(level: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLevel = ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' } as Record<string, LogLevel>)[level] ?? 'INFO';
  Runtime.install({ logger: new DefaultLogger(sdkLevel) });
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
  // changed), and the connections to Temporal (whose dev server may still be starting).
  const [databaseReady, bundleReady, temporalReady] = await Promise.allSettled([
    timed('database', async () => {
      const database = await openDatabase(
        config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: options.inMemoryDatabase ? null : path.join(config.dataDir, 'pglite') },
      );
      try {
        await database.migrate();
        if (options.seed) await seedDemo(database.db, config.demoPassword);
      } catch (err) {
        await database.close().catch(() => undefined);
        throw err;
      }
      return database;
    }),
    options.workflowBundlePath ? Promise.resolve(options.workflowBundlePath) : timed('bundle', () => cachedWorkflowBundle(config.dataDir, logger)),
    timed('temporal', async () => {
      const address = await options.temporalAddress;
      const [workerConnection, connection] = await Promise.allSettled([NativeConnection.connect({ address }), Connection.connect({ address })]);
      if (workerConnection.status === 'fulfilled' && connection.status === 'fulfilled') return { workerConnection: workerConnection.value, connection: connection.value };
      if (workerConnection.status === 'fulfilled') await workerConnection.value.close().catch(() => undefined);
      if (connection.status === 'fulfilled') await connection.value.close().catch(() => undefined);
      throw workerConnection.status === 'rejected' ? workerConnection.reason : (connection as PromiseRejectedResult).reason;
    }),
  ]);
  if (databaseReady.status === 'rejected' || bundleReady.status === 'rejected' || temporalReady.status === 'rejected') {
    if (databaseReady.status === 'fulfilled') await databaseReady.value.close().catch(() => undefined);
    if (temporalReady.status === 'fulfilled') {
      await temporalReady.value.connection.close().catch(() => undefined);
      await temporalReady.value.workerConnection.close().catch(() => undefined);
    }
    throw [databaseReady, bundleReady, temporalReady].map((result) => (result.status === 'rejected' ? result.reason : undefined)).find(Boolean);
  }
  const database = databaseReady.value;
  const { workerConnection, connection } = temporalReady.value;

  const worker = await timed('worker', () =>
    createWorker({
      connection: workerConnection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      database,
      workflowBundlePath: bundleReady.value,
    }),
  );
  const running = worker.run();
  running.catch((err) => logger.error({ err }, 'worker stopped'));

  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const changes = createChangeFeed(database);
  const app = createApp({ database, temporal, config, logger, changes });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  logger.info({ ms: Date.now() - began, phases }, 'system started');

  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`,
    config,
    database,
    temporal,
    worker,
    logger,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await changes.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await workerConnection.close();
      await database.close();
    },
  };
}
