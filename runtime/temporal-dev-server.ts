// Starts the Temporal CLI dev server as a child process: for `npm start` (SQLite file in
// the data folder, Web UI) and for the test run and the benchmark (in memory, headless).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { searchAttributeNames } from '../workflows/search-attributes';

export interface DevServerOptions {
  cliPath?: string;
  namespace?: string;
  port?: number;
  /** SQLite file; omitted means in memory (2.4x the update throughput here). */
  dbFile?: string;
  /** Web UI port; omitted means headless. */
  uiPort?: number;
  logFile?: string;
}

export interface DevServer {
  address: string;
  cliPath: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

// The dev server's single history shard reads its transfer queue at most 20 times a
// second by default, which adds up to 50 ms to every task dispatch. Eager activity
// execution hands the read-model write back to the worker in the answer to the workflow
// task that scheduled it, instead of through matching (measured: 24-30 ms less wait per
// write; bench/README.md).
export const DEV_SERVER_DYNAMIC_CONFIG = ['history.transferProcessorMaxPollRPS=1000', 'system.enableActivityEagerExecution=true'];

export function findTemporalCli(explicit?: string): string {
  const script = path.resolve(__dirname, '..', 'scripts', 'ensure-temporal.sh');
  const result = spawnSync('bash', [script], {
    env: { ...process.env, ...(explicit ? { TEMPORAL_CLI_PATH: explicit } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error('no Temporal CLI available (see the message above)');
  return result.stdout.trim().split('\n').pop()!;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cliPath = options.cliPath ?? findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--http-port', String(await freePort()),
    '--metrics-port', String(await freePort()),
    '--namespace', namespace,
    '--log-level', 'warn',
    ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
    ...searchAttributeNames.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and the
  // dev server must stop last, after the API has answered and the worker has drained. A
  // watchdog stops it if this process dies without stopping it (kill -9), so no orphan
  // keeps its ports.
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid) watchdog(child.pid);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal dev server exited with ${code}:\n${output}`))),
  );
  exited.catch(() => undefined);
  // A server that never becomes ready is stopped, not left behind in its own process group.
  await Promise.race([waitForFrontend(address, namespace), exited]).catch(async (err: unknown) => {
    await stopChild(child);
    throw err;
  });
  return {
    address,
    cliPath,
    ...(options.uiPort ? { uiUrl: `http://localhost:${options.uiPort}` } : {}),
    process: child,
    stop: () => stopChild(child),
  };
}

async function waitForFrontend(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  // Loaded here, not at the top: `npm start` spawns the server before it loads the SDK.
  const { Connection } = require('@temporalio/client') as typeof import('@temporalio/client');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`temporal dev server at ${address} not ready: ${String(err)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup('SIGTERM');
  });
}

/**
 * A small detached process that stops the dev server's group when this process is gone
 * (twice a second it asks whether we still exist), and ends itself when the server has.
 */
function watchdog(serverPid: number): void {
  const code = `
    const [parent, server] = process.argv.slice(1).map(Number);
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; } };
    const timer = setInterval(() => {
      if (!alive(server)) process.exit(0);
      if (alive(parent)) return;
      clearInterval(timer);
      try { process.kill(-server, 'SIGTERM'); } catch {}
      setInterval(() => { if (!alive(server)) process.exit(0); }, 200);
      setTimeout(() => { try { process.kill(-server, 'SIGKILL'); } catch {} process.exit(0); }, 10000);
    }, 500);`;
  spawn(process.execPath, ['-e', code, String(process.pid), String(serverPid)], { detached: true, stdio: 'ignore' }).unref();
}
