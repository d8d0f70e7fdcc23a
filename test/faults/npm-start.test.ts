// Ctrl-C of `npm start` with completions in flight, as a terminal sends it: SIGINT to the
// whole foreground process group. The API answers what is in flight, the worker drains,
// and only then the dev server stops (it runs in its own process group, so the terminal's
// signal never reaches it). Killed with -9 instead, `npm start` leaves no dev server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Flow } from '../support/flows';
import { Api } from '../support/http';
import { freePort } from '../../runtime/temporal-dev-server';
import { addRow } from './report';
import { sleep } from './stack';

const REPO = path.resolve(__dirname, '..', '..');
const IN_FLIGHT = 5;

interface Started {
  child: ChildProcess;
  api: Api;
  log: () => string;
  exited: Promise<number | null>;
  dataDir: string;
}

async function npmStart(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-npm-start-'))): Promise<Started> {
  const port = await freePort();
  const { DATABASE_URL: _db, TEMPORAL_ADDRESS: _temporal, ...env } = process.env;
  // detached: its own process group, like a shell's foreground job.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'runtime', 'start.ts')], {
    cwd: REPO,
    env: { ...env, NODE_OPTIONS: '', DATA_DIR: dataDir, PORT: String(port), TEMPORAL_UI_PORT: String(await freePort()), DESIGN_STAND_IN_PORT: String(await freePort()), LOG_LEVEL: 'info' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output.slice(-3000)}`);
    await sleep(200);
  }
  return { child, api: new Api(`http://127.0.0.1:${port}`), log: () => output, exited, dataDir };
}

/** The dev servers still running on this data folder's database file. */
function devServersOf(dataDir: string): number {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(dataDir, 'temporal'));
      } catch {
        return false;
      }
    }).length;
}

test('Ctrl-C of npm start answers the completions in flight, drains the worker, then stops the dev server; kill -9 leaves no dev server', async () => {
  const started = await npmStart();
  const flows = await Promise.all(Array.from({ length: IN_FLIGHT }, (_, index) => Flow.create(started.api, `Ctrl-C ${index}`)));
  const tasks = await Promise.all(flows.map((flow) => flow.openTask('service_request')));
  await started.api.login('ops@demo.test');
  const sending = tasks.map((task) =>
    started.api
      .as('ops')
      .post(`/tasks/${task.id}/complete`, { description: 'Export limit wrong', resolution: 'internal' }, { 'Idempotency-Key': crypto.randomUUID() })
      .then(
        (answer) => ({ status: answer.status, at: Date.now() }),
        (err: Error) => ({ status: `cut: ${err.message}`, at: Date.now() }),
      ),
  );
  // Long enough for the requests to reach the server (an idle kept-alive connection is
  // closed at once on shutdown), short of a completion's round trip through the workflow.
  await sleep(100);
  const signalled = Date.now();
  process.kill(-started.child.pid!, 'SIGINT');
  const answers = await Promise.all(sending);
  expect(answers.map((answer) => answer.status)).toEqual(tasks.map(() => 200));
  // Some were still in flight when the signal came (else this proved nothing).
  expect(answers.filter((answer) => answer.at > signalled).length).toBeGreaterThan(0);
  expect(await started.exited).toBe(0);
  const stopMs = Date.now() - signalled;
  const log = started.log();
  const at = (message: string) => log.indexOf(`"msg":"${message}"`);
  expect([at('api stopped'), at('worker stopped'), at('temporal dev server stopped')].every((index) => index > 0)).toBe(true);
  expect(at('api stopped')).toBeLessThan(at('worker stopped'));
  expect(at('worker stopped')).toBeLessThan(at('temporal dev server stopped'));
  expect(log).not.toContain('Channel has been shut down');
  expect(devServersOf(started.dataDir)).toBe(0);

  // Started again on the same data: the answered completions are there.
  const again = await npmStart(started.dataDir);
  for (const flow of flows) expect((await new Flow(again.api, flow.projectId).project()).stage).toBe('investigating');
  // kill -9 of the whole group but the dev server: the watchdog stops it within seconds.
  process.kill(-again.child.pid!, 'SIGKILL');
  await again.exited;
  const deadline = Date.now() + 15_000;
  while (devServersOf(again.dataDir) > 0 && Date.now() < deadline) await sleep(250);
  expect(devServersOf(again.dataDir)).toBe(0);

  addRow({
    fault: 'Ctrl-C of npm start',
    done: `SIGINT to npm start's process group (as a terminal sends it) with ${IN_FLIGHT} completions in flight; started again; then kill -9 of the group`,
    held: `all ${IN_FLIGHT} answered 200; api stopped, then worker stopped, then the dev server stopped; exit 0; the completions there after the restart; after kill -9 no dev server left`,
    figures: `stopped in ${(stopMs / 1000).toFixed(1)} s`,
  });
});
