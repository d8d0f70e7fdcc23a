// The rescue of a workflow task the server scheduled but never handed to a worker
// (runtime/workflow-task-rescue.ts), against the real Temporal server of the test run: a
// workflow on a task queue nobody polls keeps its first task scheduled, which is what a lost
// task looks like from outside.
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { refreshRequest, workflowTaskRescue } from '../runtime/workflow-task-rescue';

let connection: Connection;
let client: Client;
const warnings: unknown[] = [];
const logger = { warn: (obj: unknown) => void warnings.push(obj), error: (obj: unknown) => void warnings.push(obj) };

beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  client = new Client({ connection });
});
afterAll(() => connection?.close());

test('the admin request is the protobuf the server expects: execution (2) holding workflow_id (1) and run_id (2), then namespace_id (3)', () => {
  expect([...refreshRequest('ns', 'wf', 'run')]).toEqual([0x12, 9, 0x0a, 2, 0x77, 0x66, 0x12, 3, 0x72, 0x75, 0x6e, 0x1a, 2, 0x6e, 0x73]);
});

test('a task scheduled longer than the limit is re-issued through the admin service; a fresh one is left alone, and none twice within the limit', async () => {
  const rescue = workflowTaskRescue({ connection, namespace: 'default', stuckAfterMs: 1500, logger });
  const workflowId = `rescue-${randomUUID()}`;
  const handle = await client.workflow.start('nobodyRunsThis', { taskQueue: `nobody-polls-${randomUUID()}`, workflowId });
  try {
    expect(await rescue.check(workflowId)).toBe(false); // scheduled a moment ago
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await rescue.check(workflowId)).toBe(true); // RefreshWorkflowTasks accepted by the server
    expect(warnings).toEqual([expect.objectContaining({ workflowId, runId: handle.firstExecutionRunId })]);
    expect(await rescue.check(workflowId)).toBe(false); // not again within the limit
    const description = await handle.describe();
    expect(description.raw.pendingWorkflowTask?.state).toBe(1); // still scheduled: nobody polls, nothing broke
  } finally {
    await handle.terminate('test over');
  }
});

test('an update that times out makes the interceptor look at its workflow', async () => {
  const rescue = workflowTaskRescue({ connection, namespace: 'default', stuckAfterMs: 500, logger });
  const intercepted = new Client({ connection, interceptors: { workflow: [rescue.interceptor] } });
  const workflowId = `rescue-${randomUUID()}`;
  const handle = await intercepted.workflow.start('nobodyRunsThis', { taskQueue: `nobody-polls-${randomUUID()}`, workflowId });
  warnings.length = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, 700));
    const update = connection.withDeadline(Date.now() + 1000, () => handle.executeUpdate('anything', { args: [] }));
    await expect(update).rejects.toBeInstanceOf(WorkflowUpdateRPCTimeoutOrCancelledError);
    const deadline = Date.now() + 5000;
    while (!warnings.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warnings).toEqual([expect.objectContaining({ workflowId })]);
  } finally {
    await handle.terminate('test over');
  }
});
