import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __devServer?: { stop(): Promise<void> } }).__devServer;
  await server?.stop();
  if (process.env.FIELDFLOW_TEST_DIR) fs.rmSync(process.env.FIELDFLOW_TEST_DIR, { recursive: true, force: true });
}
