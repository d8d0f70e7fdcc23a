// Stops what the global setup started and prints the suite's table.
import fs from 'node:fs';
import { table } from './report';
import { readState, stopPostgres, stopTemporal } from './stack';

export default async function globalTeardown(): Promise<void> {
  if (!process.env.FAULTS_STATE || !fs.existsSync(process.env.FAULTS_STATE)) return;
  const state = readState();
  await stopTemporal(state, 'SIGTERM').catch(() => undefined);
  await stopPostgres(state, 'fast').catch(() => undefined);
  fs.rmSync(state.pgDataDir, { recursive: true, force: true });
  process.stdout.write(`\nFault tests on the production layout (Temporal server ${'1.29.1'} on PostgreSQL, API and worker as separate processes):\n\n${table(process.env.FAULTS_RESULTS!)}\n\n`);
  if (process.env.FAULTS_REPORT) fs.writeFileSync(process.env.FAULTS_REPORT, `${table(process.env.FAULTS_RESULTS!)}\n`);
  if (process.env.FAULTS_KEEP === '1') process.stdout.write(`faults: logs kept in ${state.dir}\n`);
  else fs.rmSync(state.dir, { recursive: true, force: true });
}
