// `npm start` serves the web console from web/dist. This builds it with Vite when the
// build is missing or older than any source file under web/ (an mtime scan, so a fresh
// build costs a few milliseconds). Without Vite (a production install) it says so and
// the API runs on without the console.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { appRoot } from './config';
import type { Logger } from './logger';

const execFileAsync = promisify(execFile);

export const webRoot = path.join(appRoot, 'web');
const SKIP = new Set(['dist', 'node_modules']);

/** The newest modification time of the console's sources (everything under web/ but its build). */
function newestSource(dir: string, top = true): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || (top && SKIP.has(entry.name))) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full, false) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the console needs building, or undefined when web/dist is up to date. */
export function webBuildStale(root = webRoot): string | undefined {
  const index = path.join(root, 'dist', 'index.html');
  if (!fs.existsSync(path.join(root, 'vite.config.ts'))) return undefined; // no console sources here
  if (!fs.existsSync(index)) return 'web/dist/index.html is missing';
  const built = fs.statSync(index).mtimeMs;
  const newest = newestSource(root);
  return newest > built ? 'web/ has changed since the last build' : undefined;
}

/** Vite's command line, or undefined when Vite is not installed (a production install). */
function viteCli(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve('vite')), '..', '..', 'bin', 'vite.js');
  } catch {
    return undefined;
  }
}

/**
 * Builds the console when it is missing or stale. Vite runs as a child process: it stays
 * out of this process's memory, and works the same under tsx, node and jest's VM.
 * Never throws: the API works without the console.
 */
export async function ensureWebBuild(logger: Pick<Logger, 'info' | 'warn'>, root = webRoot): Promise<boolean> {
  const reason = webBuildStale(root);
  if (!reason) return false;
  const cli = viteCli();
  if (!cli || !fs.existsSync(cli)) {
    logger.warn(`the web console is not built (${reason}) and Vite is not installed: run npm run build:web`);
    return false;
  }
  const started = Date.now();
  logger.info(`building the web console: ${reason}`);
  try {
    await execFileAsync(process.execPath, [cli, 'build', '--config', path.join(root, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: path.dirname(root),
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
    logger.info(`web console built in ${Date.now() - started} ms`);
    return true;
  } catch (err) {
    const output = (err as { stderr?: string }).stderr ?? String(err);
    logger.warn({ err: output.slice(-4000) }, 'the web console failed to build; the API runs without it');
    return false;
  }
}
