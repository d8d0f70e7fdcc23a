// The workflow bundle: the webpack build of workflows/ that a worker runs. One builder for
// every user, so they all run the same code:
// - `npm run build` writes dist/workflow-bundle.js and its manifest; the production worker
//   (worker/main.ts) loads that file and never bundles, and the tests (and so CI's replay)
//   use it while the workflow sources are unchanged;
// - `npm start` keeps one bundle per source hash in DATA_DIR/workflow-bundle/ and builds
//   only when the sources changed (webpack takes about 5 s here).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { appRoot } from '../runtime/config';
import { workflowPreloadModules } from './bundle-options';

/** The folder the bundle is built from: workflows/ (sources) or dist/workflows/ (compiled). */
export const workflowsDir = path.dirname(require.resolve('../workflows'));
const bundleOptionsFile = require.resolve('./bundle-options');

/** Where `npm run build` writes the bundle; the production worker's default. */
export const builtWorkflowBundlePath = path.join(appRoot, 'dist', 'workflow-bundle.js');

export interface BundleManifest {
  /** sha256 of the bundle file. */
  sha256: string;
  /** workflowSourceHash() of the sources it was built from. */
  sourceHash: string;
  temporalWorkflowVersion: string;
  builtAt: string;
}

export const manifestPathOf = (bundlePath: string) => bundlePath.replace(/\.js$/, '') + '.json';
const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

function packageVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * sha256 over the sorted relative paths and contents of every file under workflows/,
 * worker/bundle-options, and the versions of @temporalio/workflow and zod (both end up in
 * the bundle). Equal hashes mean an equal bundle. A few milliseconds.
 */
export function workflowSourceHash(): string {
  const root = path.dirname(workflowsDir);
  const files = [...filesUnder(workflowsDir), bundleOptionsFile]
    .map((file) => ({ file, name: path.relative(root, file).split(path.sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = crypto.createHash('sha256');
  for (const { file, name } of files) hash.update(`${name}\0`).update(fs.readFileSync(file)).update('\0');
  hash.update(`@temporalio/workflow@${packageVersion('@temporalio/workflow')}\0zod@${packageVersion('zod')}`);
  return hash.digest('hex');
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * Bundles the workflows (webpack) and writes the bundle to `outPath` with its manifest
 * beside it (`<name>.json`), each through a temporary file and a rename, so a reader never
 * sees half a file.
 */
export async function buildWorkflowBundle(outPath: string, sourceHash = workflowSourceHash()): Promise<BundleManifest> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    preloadModules: workflowPreloadModules,
    logger: quietLogger,
  });
  const manifest: BundleManifest = {
    sha256: sha256(code),
    sourceHash,
    temporalWorkflowVersion: packageVersion('@temporalio/workflow'),
    builtAt: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  writeAtomically(outPath, code);
  writeAtomically(manifestPathOf(outPath), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function writeAtomically(file: string, data: string): void {
  const temporary = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/** The manifest of a bundle, when both exist and the bundle is the file the manifest names. */
export function readBundleManifest(bundlePath: string): BundleManifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPathOf(bundlePath), 'utf8')) as BundleManifest;
    return manifest.sha256 === sha256(fs.readFileSync(bundlePath)) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle at `bundlePath` when it was built from exactly these sources, else undefined. */
export function currentBundle(bundlePath: string, sourceHash = workflowSourceHash()): BundleManifest | undefined {
  const manifest = readBundleManifest(bundlePath);
  return manifest?.sourceHash === sourceHash ? manifest : undefined;
}

/**
 * For `npm start`: the path of a bundle of today's sources, from DATA_DIR/workflow-bundle/
 * <sourceHash>.js. When it is missing, the build's dist/workflow-bundle.js is copied there
 * if it is current, else one is built. Older bundles there are removed but the newest few.
 */
export async function cachedWorkflowBundle(
  dataDir: string,
  logger: { info(message: string): void },
): Promise<string> {
  const sourceHash = workflowSourceHash();
  const dir = path.join(dataDir, 'workflow-bundle');
  const cached = path.join(dir, `${sourceHash}.js`);
  if (currentBundle(cached, sourceHash)) return cached;
  fs.mkdirSync(dir, { recursive: true });
  if (currentBundle(builtWorkflowBundlePath, sourceHash)) {
    fs.copyFileSync(manifestPathOf(builtWorkflowBundlePath), `${manifestPathOf(cached)}.tmp`);
    fs.copyFileSync(builtWorkflowBundlePath, `${cached}.tmp`);
    fs.renameSync(`${cached}.tmp`, cached);
    fs.renameSync(`${manifestPathOf(cached)}.tmp`, manifestPathOf(cached));
    logger.info('workflow bundle: copied dist/workflow-bundle.js (the sources are unchanged since npm run build)');
  } else {
    const started = Date.now();
    logger.info('workflow bundle: the workflow sources changed, bundling them');
    await buildWorkflowBundle(cached, sourceHash);
    logger.info(`workflow bundle: built in ${Date.now() - started} ms`);
  }
  pruneBundles(dir, 3);
  return cached;
}

function pruneBundles(dir: string, keep: number): void {
  const bundles = fs
    .readdirSync(dir)
    .filter((name) => /^[0-9a-f]{64}\.js$/.test(name))
    .map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of bundles.slice(keep)) {
    fs.rmSync(path.join(dir, name), { force: true });
    fs.rmSync(path.join(dir, name.replace(/\.js$/, '.json')), { force: true });
  }
}

/**
 * The production worker's bundle: WORKFLOW_BUNDLE_PATH, else dist/workflow-bundle.js.
 * Throws a message that says what to do when it is missing.
 */
export function productionWorkflowBundle(env: Record<string, string | undefined> = process.env): { path: string; manifest?: BundleManifest } {
  const bundlePath = path.resolve(env.WORKFLOW_BUNDLE_PATH || builtWorkflowBundlePath);
  if (!fs.existsSync(bundlePath)) {
    throw new Error(
      `no workflow bundle at ${bundlePath}. The worker runs the bundle that \`npm run build\` writes ` +
        `(dist/workflow-bundle.js, the one the tests replay) and never bundles at start: run npm run build, ` +
        `or set WORKFLOW_BUNDLE_PATH to a bundle made by scripts/build-workflow-bundle.ts.`,
    );
  }
  const manifest = readBundleManifest(bundlePath);
  return manifest ? { path: bundlePath, manifest } : { path: bundlePath };
}
