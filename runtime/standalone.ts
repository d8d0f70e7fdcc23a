// What the API and the worker each do first when they run as separate processes
// (the production layout): configuration from the environment only, PostgreSQL, and
// migrations under the advisory lock, so whichever starts first applies them.
import { openDatabase, type Database } from '../db';
import { ensureShippedTemplates } from '../api/checklists/store';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';

export interface Standalone {
  config: Config & { databaseUrl: string; temporalAddress: string };
  logger: Logger;
  database: Database;
}

export async function startStandalone(role: 'api' | 'worker'): Promise<Standalone> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { databaseUrl, temporalAddress } = config;
  if (!databaseUrl || !temporalAddress) {
    throw new Error(`the ${role} alone needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything in one process instead)`);
  }
  const database = await openDatabase({ url: databaseUrl });
  await database.migrate();
  await ensureShippedTemplates(database.db);
  return { config: { ...config, databaseUrl, temporalAddress }, logger, database };
}
