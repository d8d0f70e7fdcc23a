// Starts Fieldflow for one test file against the run's dev server: its own task queue,
// PGlite in memory (or the PostgreSQL of DATABASE_URL), real HTTP on a free port.
import crypto from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../../runtime/config';
import type { Logger } from '../../runtime/logger';
import { startSystem, type System } from '../../runtime/system';
import { Api } from './http';

// Standard Webhooks secrets (whsec_ + base64), one per source, as outside the embedded mode.
export const WEBHOOK_SECRET = `whsec_${Buffer.from('test-manufacturer-webhook-key').toString('base64')}`;
export const DESIGN_WEBHOOK_SECRET = `whsec_${Buffer.from('test-design-webhook-key-000').toString('base64')}`;
export const JWT_SECRET = 'test-jwt-secret-of-at-least-32-characters';

export interface TestSystem extends System {
  api: Api;
}

export async function startTestSystem(env: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<TestSystem> {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) throw new Error('TEMPORAL_ADDRESS is not set: run the tests with `npm test`');
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    JWT_SECRET,
    WEBHOOK_SECRET_MANUFACTURER: WEBHOOK_SECRET,
    WEBHOOK_SECRET_DESIGN: DESIGN_WEBHOOK_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Users get an answer (or a 503) within 10 s; a loaded 2-core CI machine running
    // browsers and workers side by side may need longer, and a 503 there is no finding.
    UPDATE_TIMEOUT: 'PT60S',
    // Every test drives the same demo users, many projects a minute, each with photos.
    UPLOADS_PER_MINUTE: '100000',
    CASES_PER_HOUR: '100000',
    TEMPORAL_TASK_QUEUE: `test-${crypto.randomUUID()}`,
    DATA_DIR: path.join(process.env.FIELDFLOW_TEST_DIR ?? '/tmp', crypto.randomUUID()),
    ...env,
  });
  const system = await startSystem({
    config,
    temporalAddress,
    inMemoryDatabase: true,
    workflowBundlePath: process.env.FIELDFLOW_WORKFLOW_BUNDLE,
    seed: true,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { ...system, api: new Api(system.url) };
}
