// The production layout for the fault tests, without Docker: a PostgreSQL cluster of its
// own (scripts/start-postgres.sh), the multi-service Temporal server on it
// (scripts/temporal-server.sh: the compose file's server, schema and namespace setup), and
// the API and the worker as separate processes from their production entry points,
// configured by the environment only. The global setup starts PostgreSQL and Temporal and
// writes where they are to a state file; each test file starts its own API and worker (a
// task queue of its own) and may stop and start any part.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { REPO, restartPostgresCluster, spawnTemporal, stopPostgresCluster, stopTemporalServer, temporalAddress, temporalHealthy } from '../../runtime/temporal-cluster';
import { temporalClient } from './checks';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const JWT_SECRET = 'faults-jwt-secret-of-at-least-32-characters';
export const WEBHOOK_SECRET_MANUFACTURER = `whsec_${Buffer.from('faults-manufacturer-webhook-key').toString('base64')}`;
export const WEBHOOK_SECRET_DESIGN = `whsec_${Buffer.from('faults-design-webhook-key-0000').toString('base64')}`;

export interface StackState {
  dir: string;
  databaseUrl: string;
  pgDataDir: string;
  pgCtl: string;
  pgPort: number;
  temporalRoot: string;
  temporalPort: number;
  temporalPid?: number;
  workflowBundle: string;
}

const statePath = () => {
  const file = process.env.FAULTS_STATE;
  if (!file) throw new Error('FAULTS_STATE is not set: run these tests with `npm run test:faults`');
  return file;
};
export const readState = (): StackState => JSON.parse(fs.readFileSync(statePath(), 'utf8'));
export const writeState = (state: StackState) => fs.writeFileSync(statePath(), JSON.stringify(state, null, 2));

// PostgreSQL and the Temporal server: runtime/temporal-cluster.ts (the benchmark starts them too).
export { alive, freeTemporalPort, pgCtl, REPO, setUpNamespace, spawnTemporal, startPostgresCluster, temporalAddress, temporalEnv } from '../../runtime/temporal-cluster';

export const stopPostgres = (state = readState(), mode: 'fast' | 'immediate' = 'immediate') => stopPostgresCluster(state, mode);
export const startPostgres = (state = readState()) => restartPostgresCluster(state);

export async function stopTemporal(state = readState(), signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!state.temporalPid) return;
  await stopTemporalServer(state.temporalPid, signal);
  writeState({ ...state, temporalPid: undefined });
}

export async function startTemporal(state = readState()): Promise<StackState> {
  const next = { ...state, temporalPid: spawnTemporal(state) };
  writeState(next);
  await temporalHealthy(next);
  return next;
}

// ---------------------------------------------------------------------------------------
// The API and the worker

export interface Service {
  name: 'api' | 'worker';
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log: () => string;
}

/** One test file's Fieldflow: a task queue and a data folder of its own, a fixed API port. */
export class Fieldflow {
  readonly queue = `faults-${crypto.randomUUID()}`;
  readonly dataDir: string;
  port = 0;
  api?: Service;
  worker?: Service;
  readonly services: Service[] = [];

  constructor(
    readonly state: StackState,
    readonly extraEnv: Record<string, string> = {},
  ) {
    this.dataDir = path.join(state.dir, this.queue);
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NODE_OPTIONS: '',
      DATABASE_URL: this.state.databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress(this.state),
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: this.queue,
      JWT_SECRET,
      WEBHOOK_SECRET_MANUFACTURER,
      WEBHOOK_SECRET_DESIGN,
      DATA_DIR: this.dataDir,
      WORKFLOW_BUNDLE_PATH: this.state.workflowBundle,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The load drives a few demo users through many projects a minute, each with photos.
      UPLOADS_PER_MINUTE: '100000',
      CASES_PER_HOUR: '100000',
      ...this.extraEnv,
    };
  }

  private spawnService(name: 'api' | 'worker'): Service {
    // The worker at info: its `worker running` line says it polls.
    const env = { ...this.env(), ...(name === 'worker' ? { LOG_LEVEL: 'info' } : {}) };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, name, 'main.ts')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const file = path.join(this.dataDir, `${name}.log`);
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
      fs.appendFileSync(file, chunk);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const service = { name, child, exited, log: () => log };
    this.services.push(service);
    return service;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePortNumber();
    fs.mkdirSync(this.dataDir, { recursive: true });
    await Promise.all([this.startWorker(), this.startApi()]);
  }

  async startWorker(): Promise<Service> {
    const worker = (this.worker = this.spawnService('worker'));
    const deadline = Date.now() + 60_000;
    while (!/worker running/.test(worker.log())) {
      if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.log()}`);
      if (Date.now() > deadline) throw new Error(`the worker did not start within 60 s:\n${worker.log()}`);
      await sleep(100);
    }
    return worker;
  }

  async startApi(): Promise<Service> {
    const api = (this.api = this.spawnService('api'));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.log()}`);
      const ready = await fetch(`${this.baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return api;
      if (Date.now() > deadline) throw new Error(`the API did not answer within 60 s:\n${api.log()}`);
      await sleep(100);
    }
  }

  async kill(service: Service | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return undefined;
    service.child.kill(signal);
    return service.exited;
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((service) => this.kill(service, 'SIGKILL')));
  }
}

export function freePortNumber(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The API and worker processes and a Temporal client of one test file: started before its
 * tests, stopped after them. `env` adds to (or overrides) the production-like environment.
 */
export function fieldflowPerFile(env: Record<string, string> = {}): { fieldflow: Fieldflow; temporal: { client: Client; close: () => Promise<void> } } {
  const stack = {} as ReturnType<typeof fieldflowPerFile>;
  beforeAll(async () => {
    const state = readState();
    stack.fieldflow = new Fieldflow(state, env);
    await stack.fieldflow.start();
    stack.temporal = await temporalClient(temporalAddress(state));
  });
  afterAll(async () => {
    await stack.fieldflow?.stop();
    await stack.temporal?.close();
  });
  return stack;
}
