// `npm start`: the whole system on embedded defaults. A Temporal dev server (unless
// TEMPORAL_ADDRESS is set) keeps its SQLite file in DATA_DIR; PGlite keeps its data
// there too unless DATABASE_URL is set. Ctrl-C stops everything; the next start finds
// the same projects with their workflows still waiting.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { freePort, startDevServer, type DevServer } from './temporal-dev-server';
import { ensureWebBuild } from './web-build';
import type * as SystemModule from './system';

async function main() {
  const config = loadConfig(process.env, { embedded: true });
  const logger = createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const host = process.env.HOST || '127.0.0.1';
  if (!isLoopback(host)) {
    // The embedded mode has demo users with known passwords, a fixed webhook secret and
    // the older X-Signature: fine on this machine, an open door on a network.
    const warning = `HOST=${host} is not a loopback address: the embedded mode (demo users with the password "demo", a fixed webhook secret) is now reachable from the network. Use api/main.ts and worker/main.ts (README, "Production layout") for anything others can reach.`;
    logger.warn(warning);
    console.error(`\n!!! ${warning}\n`);
  }

  // The dev server, the console's build check and the system (database, workflow bundle,
  // worker, API) start side by side; the system waits for the dev server's address only
  // when it connects to Temporal.
  let devServerStarting: Promise<DevServer> | undefined;
  if (!config.temporalAddress) {
    devServerStarting = (async () => {
      const port = (await portIsFree(7233)) ? 7233 : await freePort();
      logger.info('starting the Temporal dev server');
      return startDevServer({
        cliPath: config.temporalCliPath,
        namespace: config.temporalNamespace,
        port,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        uiPort: config.temporalUiPort,
      });
    })();
    if (!config.temporalUiUrl) config.temporalUiUrl = `http://localhost:${config.temporalUiPort}`;
    // A localhost link works only for a browser on this machine: the console offers it
    // when the API listens on loopback alone, and otherwise waits for TEMPORAL_UI_PUBLIC_URL.
    if (!config.temporalUiPublicUrl && isLoopback(host)) config.temporalUiPublicUrl = config.temporalUiUrl;
  }
  // The rest (the Temporal SDK, the API, the database: about 2 s of module loading here)
  // loads while the dev server boots.
  const { startSystem } = require('./system') as typeof SystemModule;
  const temporalAddress = devServerStarting ? devServerStarting.then((server) => server.address) : config.temporalAddress!;
  const [, systemStarted] = await Promise.allSettled([
    ensureWebBuild(logger),
    startSystem({ config, temporalAddress, seed: true, host, logger }),
  ]);
  const devServer = await devServerStarting?.catch((err) => {
    if (systemStarted.status === 'fulfilled') throw err;
    return undefined; // the system's error below says why
  });
  if (systemStarted.status === 'rejected') {
    await devServer?.stop();
    throw systemStarted.reason;
  }
  const system = systemStarted.value;
  const resolvedAddress = await temporalAddress;
  const uiUrl = config.temporalUiUrl;
  console.log(
    [
      '',
      'Fieldflow is running.',
      `  API and console   ${system.url}`,
      `  API docs          ${system.url}/docs`,
      `  Temporal UI       ${uiUrl ?? '(not started: TEMPORAL_ADDRESS points at your own server)'}`,
      `  Design tool       ${system.designTool.standIn ? `${system.designTool.url} (stand-in: press its buttons there)` : `${system.designTool.url} (DESIGN_TOOL_URL)`}`,
      `  ERP               ${system.erp.standIn ? `${system.erp.url} (stand-in: the orders it received)` : `${system.erp.url} (ERP_URL)`}`,
      `  Temporal          ${resolvedAddress} (namespace ${config.temporalNamespace})`,
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
    if (devServer) logger.info('temporal dev server stopped');
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

/** 127.0.0.0/8, ::1 and localhost: addresses nobody else can reach. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return net.isIPv4(bare) && bare.startsWith('127.');
}
