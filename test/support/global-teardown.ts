import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __devServer?: { stop(): Promise<void> } }).__devServer;
  await server?.stop();
  await (globalThis as { __mailStandIn?: { close(): Promise<void> } }).__mailStandIn?.close();
  if (process.env.FIELDFLOW_TEST_DIR) fs.rmSync(process.env.FIELDFLOW_TEST_DIR, { recursive: true, force: true });
}
