// The production layout without Docker: the API and the worker as separate processes
// from the entry points docker-compose names (api/main.ts, worker/main.ts), configured
// only by the environment, sharing PostgreSQL. PGlite cannot be shared between
// processes, so this runs where DATABASE_URL is set (as in CI).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { openDatabase } from '../db';
import { seedDemo } from '../runtime/demo';
import { freePort } from '../runtime/temporal-dev-server';
import { Flow } from './support/flows';
import { Api } from './support/http';

const databaseUrl = process.env.DATABASE_URL;
const describeWithPostgres = databaseUrl ? describe : describe.skip;

describeWithPostgres('api and worker as separate processes', () => {
  const children: ChildProcess[] = [];
  let api: Api;

  beforeAll(async () => {
    const database = await openDatabase({ url: databaseUrl! });
    await database.migrate();
    await seedDemo(database.db, 'demo');
    await database.close();
    const port = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `prod-${crypto.randomUUID()}`,
      JWT_SECRET: 'production-layout-secret-of-32-characters-or-more',
      WEBHOOK_SECRET_MANUFACTURER: `whsec_${Buffer.from('production-layout-manufacturer').toString('base64')}`,
      WEBHOOK_SECRET_DESIGN: `whsec_${Buffer.from('production-layout-design-key').toString('base64')}`,
      DATA_DIR: path.join(process.env.FIELDFLOW_TEST_DIR ?? '/tmp', `prod-${crypto.randomUUID()}`),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      UPDATE_TIMEOUT: 'PT60S',
      NODE_OPTIONS: '',
    };
    const tsx = require.resolve('tsx/cli');
    for (const entry of ['worker/main.ts', 'api/main.ts']) {
      const child = spawn(process.execPath, [tsx, path.join(__dirname, '..', entry)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
      children.push(child);
    }
    api = new Api(`http://127.0.0.1:${port}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await fetch(`${api.baseUrl}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error('the API never became ready');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  });

  test('a service project runs through the separate API and worker, which stop cleanly', async () => {
    const flow = await Flow.create(api, 'Production layout');
    const answer = await flow.complete('service_request', { description: 'Check', resolution: 'internal' });
    expect(answer.project.stage).toBe('investigating');
    const done = await flow.complete('internal_review', { outcome: 'resolved' });
    expect(done.project).toMatchObject({ stage: 'closed', outcome: 'resolved' });

    const exits = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))));
    for (const child of children) child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  });
});
