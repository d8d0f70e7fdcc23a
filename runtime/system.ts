// Fieldflow in one process: read model, worker and API over an already running Temporal.
// `npm start`, the tests and the benchmark all start it this way.
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createChangeFeed } from '../api/changes';
import { openDatabase, type Database } from '../db';
import { createWorker } from '../worker/create';
import { localDocumentStore } from './document-store';
import type { Config } from './config';
import { seedDemo } from './demo';
import { createLogger, type Logger } from './logger';

export interface SystemOptions {
  config: Config;
  temporalAddress: string;
  /** PGlite in memory instead of in DATA_DIR, when there is no DATABASE_URL. */
  inMemoryDatabase?: boolean;
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
  installRuntime(config.logLevel);
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: options.inMemoryDatabase ? null : path.join(config.dataDir, 'pglite') },
  );
  await database.migrate();
  if (options.seed) await seedDemo(database.db, config.demoPassword);

  const workerConnection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await createWorker({
    connection: workerConnection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    database,
    ...(options.workflowBundlePath ? { workflowBundlePath: options.workflowBundlePath } : {}),
  });
  const running = worker.run();
  running.catch((err) => logger.error({ err }, 'worker stopped'));

  const connection = await Connection.connect({ address: options.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const changes = createChangeFeed(database);
  const documentStore = localDocumentStore(path.join(config.dataDir, 'documents'));
  const app = createApp({ database, temporal, config, logger, changes, documentStore });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

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
