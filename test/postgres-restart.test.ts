// The API survives a PostgreSQL restart: queries work again once the server is back, and
// the stream's LISTEN session reconnects, so live changes flow again. It restarts a
// throwaway cluster of its own (scripts/start-postgres.sh), never the one other test
// files share, so it runs where that script can run: when DATABASE_URL is set (as
// .ci/run does after starting PostgreSQL the same way).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

const run = promisify(execFile);
const enabled = Boolean(process.env.DATABASE_URL);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: { url: string; dataDir: string; pgCtl: string } | undefined;
let system: TestSystem | undefined;

/** pg_ctl as the cluster's owner (postgres when the tests run as root). */
async function pgCtl(...args: string[]) {
  const { dataDir, pgCtl: binary } = cluster!;
  const owner = fs.statSync(dataDir).uid;
  const asOwner = process.getuid?.() === 0 && owner !== 0;
  const [command, argv] = asOwner ? ['runuser', ['-u', 'postgres', '--', binary, '-D', dataDir, ...args]] : [binary, ['-D', dataDir, ...args]];
  await run(command, argv, { cwd: '/' });
}

if (!enabled) {
  test.skip('skipped: set DATABASE_URL (a local PostgreSQL, as .ci/run starts) to restart a throwaway cluster under a running API', () => undefined);
} else {
  beforeAll(async () => {
    const { stdout } = await run('bash', [path.join(__dirname, '..', 'scripts', 'start-postgres.sh')], { maxBuffer: 1 << 20 });
    const values = Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    cluster = { url: values.DATABASE_URL, dataDir: values.PGDATA_DIR, pgCtl: values.PG_CTL };
    system = await startTestSystem({ DATABASE_URL: cluster.url });
  }, 120_000);

  afterAll(async () => {
    await system?.stop().catch(() => undefined);
    if (cluster) {
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
      fs.rmSync(cluster.dataDir, { recursive: true, force: true });
    }
  });

  test('after PostgreSQL restarts, the API answers again and the stream gets changes', async () => {
    const api = system!.api;
    const { ticket } = (await api.as('ops').post('/stream/tickets')).body;
    const controller = new AbortController();
    const response = await fetch(`${api.baseUrl}/stream?ticket=${ticket}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    let received = '';
    const reader = response.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    })();

    // -l again: restart keeps the server's options but not its log file, and a server
    // writing to our pipe would keep execFile waiting forever.
    await pgCtl('-m', 'fast', '-w', '-t', '60', '-l', path.join(cluster!.dataDir, 'postgres.log'), 'restart');

    // The API process is still there and answers once PostgreSQL does.
    const deadline = Date.now() + 30_000;
    let ready = 0;
    while (Date.now() < deadline && (ready = (await api.request('GET', '/readyz')).status) !== 200) await sleep(250);
    expect(ready).toBe(200);
    expect((await api.as('ops').get('/projects?limit=1')).status).toBe(200);

    // LISTEN came back: a change made now reaches the stream opened before the restart.
    const before = received.length;
    let flow: Flow | undefined;
    for (let attempt = 0; attempt < 20 && !flow; attempt++) {
      flow = await Flow.create(api, 'After the restart').catch(async () => {
        await sleep(500);
        return undefined;
      });
    }
    const until = Date.now() + 15_000;
    while (!received.slice(before).includes(flow!.projectId) && Date.now() < until) {
      // Each new change is another chance once the LISTEN session is back.
      await flow!.complete('service_request', { description: 'x', resolution: 'internal' }).catch(() => undefined);
      await sleep(500);
    }
    controller.abort();
    expect(received.slice(before)).toContain(flow!.projectId);
    // The stream was told that notices may have been missed, so the console refetches.
    expect(received).toContain('event: resync');
  });
}
