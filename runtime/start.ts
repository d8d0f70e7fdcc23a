// `npm start`: the whole system on embedded defaults. A Temporal dev server (unless
// TEMPORAL_ADDRESS is set) keeps its SQLite file in DATA_DIR; PGlite keeps its data
// there too unless DATABASE_URL is set. Ctrl-C stops everything; the next start finds
// the same projects with their workflows still waiting.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startSystem } from './system';
import { freePort, startDevServer, type DevServer } from './temporal-dev-server';
import { ensureWebBuild } from './web-build';

async function main() {
  const config = loadConfig(process.env, { embedded: true });
  const logger = createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });

  let devServer: DevServer | undefined;
  let temporalAddress = config.temporalAddress;
  if (!temporalAddress) {
    const port = (await portIsFree(7233)) ? 7233 : await freePort();
    logger.info('starting the Temporal dev server');
    devServer = await startDevServer({
      cliPath: config.temporalCliPath,
      namespace: config.temporalNamespace,
      port,
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      uiPort: config.temporalUiPort,
    });
    temporalAddress = devServer.address;
  }

  if (devServer?.uiUrl && !config.temporalUiUrl) config.temporalUiUrl = devServer.uiUrl;
  await ensureWebBuild(logger);
  const system = await startSystem({ config, temporalAddress, seed: true, host: process.env.HOST || '127.0.0.1', logger });
  const uiUrl = config.temporalUiUrl;
  console.log(
    [
      '',
      'Fieldflow is running.',
      `  API and console   ${system.url}`,
      `  API docs          ${system.url}/docs`,
      `  Temporal UI       ${uiUrl ?? '(not started: TEMPORAL_ADDRESS points at your own server)'}`,
      `  Temporal          ${temporalAddress} (namespace ${config.temporalNamespace})`,
      `  Database          ${system.database.engine === 'pglite' ? `PGlite in ${path.join(config.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`,
      `  Demo users        admin@, ops@, supervisor@, installer@, installer2@, customer@, customer2@demo.test / password "${config.demoPassword}"`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping');
    await system.stop();
    await devServer?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
