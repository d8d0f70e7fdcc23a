// Schemathesis over GET /openapi.json, as every role: generated and hostile requests
// against the whole system (real Temporal, real database, real HTTP), checking that no
// answer is a 5xx and that every answer fits the status, content type and schema the
// document declares. Then a stateful phase that follows the document's links (a created
// customer into its sites, a project into its tasks and their completion).
//
//   npx tsx scripts/schemathesis.ts            # the CI run (.ci/run)
//   npx tsx scripts/schemathesis.ts --serve    # only start the system and print tokens
//
// Uses TEMPORAL_ADDRESS (else starts a dev server with TEMPORAL_CLI_PATH) and
// DATABASE_URL (else PGlite in memory). SCHEMATHESIS_MAX_EXAMPLES (per operation and
// role), SCHEMATHESIS_SEED, SCHEMATHESIS_ROLES (comma-separated) and SCHEMATHESIS_PHASES
// change the run; reports land in test-output/schemathesis/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, appRoot } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { startSystem } from '../runtime/system';
import { startDevServer } from '../runtime/temporal-dev-server';
import { builtWorkflowBundlePath, cachedWorkflowBundle, currentBundle } from '../worker/bundle';

/**
 * Each role with its phases. Every role gets random values for every operation (fuzzing);
 * the stateful chains run for the office roles, the ones that may create what the links
 * lead from (as a customer or an installer no chain gets past its first 403); the
 * coverage phase (each operation's boundary and hostile values, some 2,500 requests a
 * role) for ops and admins, who reach every operation's logic between them. Admins go
 * last: they may disable users.
 */
const ROLES = [
  { role: 'customer', phases: 'fuzzing' },
  { role: 'installer', phases: 'fuzzing' },
  { role: 'ops', phases: 'coverage,fuzzing,stateful' },
  { role: 'supervisor', phases: 'fuzzing,stateful' },
  { role: 'admin', phases: 'coverage,fuzzing,stateful' },
] as const;
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];
const reportRoot = path.join(appRoot, 'test-output', 'schemathesis');

interface RoleResult {
  role: string;
  phases: string;
  operations: string;
  cases: number;
  failures: number;
  exitCode: number;
  seconds: number;
  /** Schemathesis itself crashed (a runtime error in its generator) and found no API failure. */
  toolCrash?: boolean;
}

function ensureSchemathesis(): string {
  const result = spawnSync('bash', [path.join(appRoot, 'scripts', 'ensure-schemathesis.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error('Schemathesis is not available (see the message above)');
  return result.stdout.trim().split('\n').pop()!;
}

async function login(baseUrl: string, role: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${role}@demo.test`, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${role}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function main() {
  const serveOnly = process.argv.includes('--serve');
  const began = Date.now();
  const st = serveOnly ? '' : ensureSchemathesis();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldflow-schemathesis-'));
  fs.rmSync(reportRoot, { recursive: true, force: true });
  fs.mkdirSync(reportRoot, { recursive: true });
  // Errors only, into a file: a 5xx's stack is there to read after the run.
  const logFile = path.join(reportRoot, 'api.log');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'error', fs.createWriteStream(logFile));

  const devServer = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH });
  const temporalAddress = process.env.TEMPORAL_ADDRESS ?? devServer!.address;
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    WEBHOOK_SECRET_MANUFACTURER: `whsec_${crypto.randomBytes(24).toString('base64')}`,
    WEBHOOK_SECRET_DESIGN: `whsec_${crypto.randomBytes(24).toString('base64')}`,
    TEMPORAL_TASK_QUEUE: `schemathesis-${crypto.randomUUID()}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    // The run sends thousands of uploads from one user within minutes.
    UPLOADS_PER_MINUTE: '100000',
    CASES_PER_HOUR: '100000',
    UPDATE_TIMEOUT: 'PT60S',
  });
  // The build's bundle when it is current (CI), else one kept between runs in the cache.
  const cacheDir = path.join(process.env.FIELDFLOW_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'fieldflow'), 'schemathesis-run');
  const workflowBundlePath = currentBundle(builtWorkflowBundlePath) ? builtWorkflowBundlePath : await cachedWorkflowBundle(cacheDir, { info: (message: string) => console.log(message) });
  const system = await startSystem({ config, temporalAddress, inMemoryDatabase: true, seed: true, logger, workflowBundlePath });
  let exitCode = 0;
  try {
    const tokens = Object.fromEntries(await Promise.all(ROLES.map(async ({ role }) => [role, await login(system.url, role, config.demoPassword)] as const)));
    console.log(`Fieldflow at ${system.url} (started in ${Math.round((Date.now() - began) / 1000)} s); API errors go to ${path.relative(process.cwd(), logFile)}`);
    if (serveOnly) {
      for (const { role } of ROLES) console.log(`TOKEN_${role.toUpperCase()}=${tokens[role]}`);
      await new Promise<void>((resolve) => {
        const check = setInterval(() => stopping && (clearInterval(check), resolve()), 200);
      });
      return;
    }
    const results: RoleResult[] = [];
    for (const { role, phases } of selectedRoles()) {
      if (stopping) break;
      let result = await runSchemathesis(st, system.url, role, tokens[role], process.env.SCHEMATHESIS_PHASES ?? phases);
      // A crash inside Schemathesis' own generator (seen once: a Hypothesis cache error in its
      // coverage phase, every case passing) says nothing of the API: that role runs once more,
      // and the second run's verdict stands.
      if (result.toolCrash && !stopping) {
        console.log(`${role}: Schemathesis crashed internally with no API failure; running ${role} once more`);
        result = await runSchemathesis(st, system.url, role, tokens[role], process.env.SCHEMATHESIS_PHASES ?? phases);
      }
      results.push(result);
    }
    printSummary(results, Date.now() - began);
    if (stopping || !results.length || results.some((result) => result.exitCode !== 0 || result.failures > 0 || result.cases === 0)) exitCode = 1;
  } finally {
    await system.stop();
    await devServer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exitCode = exitCode;
}

function selectedRoles() {
  const wanted = process.env.SCHEMATHESIS_ROLES?.split(',').map((role) => role.trim()).filter(Boolean);
  return wanted?.length ? ROLES.filter(({ role }) => wanted.includes(role)) : ROLES;
}

// Ctrl-C or a cancelled CI job: stop the Schemathesis run under way, then the system.
let stopping = false;
let running: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    running?.kill('SIGTERM');
  });
}

async function runSchemathesis(st: string, baseUrl: string, role: string, token: string, phases: string): Promise<RoleResult> {
  const started = Date.now();
  const dir = path.join(reportRoot, role);
  const args = [
    '--config-file',
    path.join(appRoot, 'scripts', 'schemathesis.toml'),
    'run',
    `${baseUrl}/openapi.json`,
    '--phases',
    phases,
    '--url',
    baseUrl,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '8',
    '--seed',
    process.env.SCHEMATHESIS_SEED ?? '15',
    '--workers',
    '2',
    '--request-timeout',
    '30',
    '--generation-database',
    'none',
    '--report',
    'junit,ndjson',
    '--report-dir',
    dir,
    '--no-color',
  ];
  let output = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    // In the report folder: Schemathesis keeps what `st replay` needs in .schemathesis/ of its working directory.
    const child = spawn(st, args, { cwd: reportRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    const log = fs.createWriteStream(path.join(reportRoot, `${role}.txt`));
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        log.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('close', (status) => log.end(() => resolve(status ?? 1)));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  // From Schemathesis' summary: "Tested: 61" (of "Selected: 61/61"), "2881 generated, 2 found 3 unique failures".
  const selected = /Selected:\s+(\d+\/\d+)/.exec(output)?.[1] ?? '?';
  const tested = /Tested:\s+(\d+)/.exec(output)?.[1] ?? '?';
  const cases = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
  const failures = Number(/(\d+) unique failures?/.exec(output)?.[1] ?? 0) + Number(/(\d+) errors?\b/.exec(/=+ (.*) in [\d.]+s =+/.exec(output)?.[1] ?? '')?.[1] ?? 0);
  const toolCrash = exitCode !== 0 && /Runtime Error/.test(output) && !/unique failures?/.test(output);
  const result = { role, phases, operations: `${tested} of ${selected.split('/')[1] ?? '?'}`, cases, failures, exitCode, seconds, toolCrash };
  console.log(`${role}: ${result.operations} operations, ${cases} cases, ${failures} failures, exit ${exitCode}, ${seconds} s (${path.relative(process.cwd(), path.join(reportRoot, `${role}.txt`))})`);
  if (exitCode !== 0) console.log(output.slice(output.indexOf('FAILURES') >= 0 ? output.indexOf('FAILURES') - 40 : Math.max(0, output.length - 6000)));
  return result;
}

function printSummary(results: RoleResult[], ms: number): void {
  const rows = [['role', 'phases', 'operations', 'cases', 'failures', 'exit', 'seconds'], ...results.map((r) => [r.role, r.phases, r.operations, String(r.cases), String(r.failures), String(r.exitCode), String(r.seconds)])];
  rows.push(['total', '', '', String(results.reduce((sum, r) => sum + r.cases, 0)), String(results.reduce((sum, r) => sum + r.failures, 0)), '', String(Math.round(ms / 1000))]);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  console.log('\nSchemathesis over /openapi.json (checks: ' + CHECKS.join(', ') + ')');
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => (column <= 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
    if (index === 0 || index === rows.length - 2) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
