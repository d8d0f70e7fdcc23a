// What must hold after a fault, for one project: it finished, the read model says what the
// workflows say, and nothing happened twice (tasks, timeline entries, documents).
import { Client, Connection } from '@temporalio/client';
import { expectReadModelMatchesWorkflow } from '../support/consistency';
import type { Flow } from '../support/flows';
import type { Api } from '../support/http';

export async function temporalClient(address: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection }), close: () => connection.close() };
}

async function all<T>(api: Api, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await api.as('admin').get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * Entries that occur more than once (same kind, summary and data; times aside), and
 * documents more often than the client uploaded them (`uploads`: by name; one otherwise).
 */
export async function duplicates(api: Api, projectId: string, uploads: Map<string, number> = new Map()): Promise<string[]> {
  const found: string[] = [];
  const tasks = await all<{ id: string; type: string; jobId?: string; status: string }>(api, `/tasks?projectId=${projectId}`);
  const byTask = new Map<string, number>();
  for (const task of tasks) byTask.set(task.id, (byTask.get(task.id) ?? 0) + 1);
  for (const [id, count] of byTask) if (count > 1) found.push(`task ${id} listed ${count} times`);
  const timeline = await all<{ kind: string; summary: string; data?: unknown; jobId?: string }>(api, `/projects/${projectId}/timeline`);
  const entries = new Map<string, number>();
  for (const item of timeline) {
    const key = JSON.stringify([item.kind, item.summary, item.jobId ?? null, item.data ?? null]);
    entries.set(key, (entries.get(key) ?? 0) + 1);
  }
  for (const [key, count] of entries) if (count > 1) found.push(`timeline entry ${key} ${count} times`);
  const completed = new Map<string, number>();
  for (const item of timeline as { kind: string; summary: string; data?: { taskId?: string } }[]) {
    if (item.kind === 'task' && item.data?.taskId && / completed$/.test(item.summary)) completed.set(item.data.taskId, (completed.get(item.data.taskId) ?? 0) + 1);
  }
  for (const [taskId, count] of completed) if (count > 1) found.push(`task ${taskId} completed ${count} times`);
  const documents = await api.as('admin').get(`/projects/${projectId}/documents`);
  if (documents.status === 200) {
    const names = new Map<string, number>();
    for (const doc of documents.body.items ?? documents.body) names.set(doc.name ?? doc.fileName ?? doc.id, (names.get(doc.name ?? doc.fileName ?? doc.id) ?? 0) + 1);
    for (const [name, count] of names) if (count > Math.max(1, uploads.get(name) ?? 0)) found.push(`document ${name} ${count} times (uploaded ${uploads.get(name) ?? 0})`);
  }
  return found;
}

/** Polls until the read model equals the workflows (it may be behind for a moment after a fault). */
export async function readModelCatchesUp(flow: Flow, temporal: Client, within = 60_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    try {
      await expectReadModelMatchesWorkflow(flow, temporal);
      return Date.now() - start;
    } catch (err) {
      if (Date.now() - start > within) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
