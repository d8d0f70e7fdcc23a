// `npm run build` (after tsc): the workflow bundle the production worker loads and the
// tests replay, dist/workflow-bundle.js, with its manifest dist/workflow-bundle.json
// (the bundle's sha256 and the hash of the workflow sources it was built from).
// Usage: tsx scripts/build-workflow-bundle.ts [OUT_PATH]   (default dist/workflow-bundle.js)
import path from 'node:path';
import { buildWorkflowBundle, builtWorkflowBundlePath, manifestPathOf } from '../worker/bundle';

async function main() {
  const out = path.resolve(process.argv[2] ?? builtWorkflowBundlePath);
  const started = Date.now();
  const manifest = await buildWorkflowBundle(out);
  const rel = (file: string) => path.relative(process.cwd(), file);
  console.log(`wrote ${rel(out)} (sha256 ${manifest.sha256.slice(0, 12)}…, sources ${manifest.sourceHash.slice(0, 12)}…) and ${rel(manifestPathOf(out))} in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
