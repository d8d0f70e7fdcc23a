// A workflow task the Temporal server lost. When its database goes down at the wrong moment
// (a worker's task was started, its completion could not be written), the server can come
// back with the workflow's task marked "scheduled" but never handed to a worker again: the
// workflow waits forever, and every update sent to it times out. The fault suite found this
// on Temporal server 1.29.1 with PostgreSQL (test/faults/postgres-down.test.ts).
//
// The rescue: when an update to a workflow times out, the API looks at that workflow. A task
// that has been scheduled for longer than STUCK_WORKFLOW_TASK_AFTER (workers poll; a task
// normally starts within milliseconds) is re-issued with the admin service's
// RefreshWorkflowTasks, which regenerates the workflow's tasks from its state. A second
// dispatch of a task that was not lost is harmless: the server drops the duplicate.
import type { Connection, WorkflowClientInterceptor } from '@temporalio/client';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { Logger } from 'pino';

interface UnaryClient {
  makeUnaryRequest(
    method: string,
    serialize: (value: Buffer) => Buffer,
    deserialize: (value: Buffer) => Buffer,
    argument: Buffer,
    callback: (err: Error | null, value?: Buffer) => void,
  ): unknown;
}

/** Protobuf varint. */
function varint(n: number): number[] {
  const bytes: number[] = [];
  while (n > 127) {
    bytes.push((n & 127) | 128);
    n >>>= 7;
  }
  bytes.push(n);
  return bytes;
}
const field = (number: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | 2, ...varint(value.length)]), value]);

/**
 * temporal.server.api.adminservice.v1.RefreshWorkflowTasksRequest: namespace_id = 3,
 * execution = 2 (temporal.api.common.v1.WorkflowExecution: workflow_id = 1, run_id = 2).
 */
export function refreshRequest(namespaceId: string, workflowId: string, runId: string): Buffer {
  const execution = Buffer.concat([field(1, Buffer.from(workflowId)), field(2, Buffer.from(runId))]);
  return Buffer.concat([field(2, execution), field(3, Buffer.from(namespaceId))]);
}

export interface WorkflowTaskRescue {
  /** Re-issues the workflow's tasks when its task has been scheduled too long; true when it did. */
  check(workflowId: string): Promise<boolean>;
  interceptor: WorkflowClientInterceptor;
}

export function workflowTaskRescue(options: { connection: Connection; namespace: string; stuckAfterMs: number; logger: Pick<Logger, 'warn' | 'error'> }): WorkflowTaskRescue {
  const { connection, namespace, stuckAfterMs, logger } = options;
  // The SDK keeps its gRPC client protected; the admin service shares its channel.
  const grpc = (connection as unknown as { client: UnaryClient }).client;
  let namespaceId: Promise<string> | undefined;
  const lastRescue = new Map<string, number>();

  const refresh = (id: string, workflowId: string, runId: string) =>
    new Promise<void>((resolve, reject) => {
      grpc.makeUnaryRequest(
        '/temporal.server.api.adminservice.v1.AdminService/RefreshWorkflowTasks',
        (value) => value,
        (value) => value,
        refreshRequest(id, workflowId, runId),
        (err) => (err ? reject(err) : resolve()),
      );
    });

  async function check(workflowId: string): Promise<boolean> {
    const now = Date.now();
    if (now - (lastRescue.get(workflowId) ?? 0) < stuckAfterMs) return false;
    const description = await connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } });
    const pending = description.pendingWorkflowTask;
    const runId = description.workflowExecutionInfo?.execution?.runId;
    // PENDING_WORKFLOW_TASK_STATE_SCHEDULED = 1: handed to no worker yet.
    if (!pending || pending.state !== 1 || !runId) return false;
    const scheduledMs = Number(pending.scheduledTime?.seconds ?? 0) * 1000 + Math.floor((pending.scheduledTime?.nanos ?? 0) / 1e6);
    if (!scheduledMs || now - scheduledMs < stuckAfterMs) return false;
    namespaceId ??= connection.workflowService.describeNamespace({ namespace }).then((answer) => answer.namespaceInfo!.id!);
    namespaceId.catch(() => (namespaceId = undefined));
    lastRescue.set(workflowId, now);
    if (lastRescue.size > 10_000) lastRescue.delete(lastRescue.keys().next().value!);
    await refresh(await namespaceId, workflowId, runId);
    logger.warn({ workflowId, runId, scheduledForMs: now - scheduledMs }, 'workflow task scheduled but never started: its tasks were refreshed');
    return true;
  }

  return {
    check,
    interceptor: {
      async startUpdate(input, next) {
        try {
          return await next(input);
        } catch (err) {
          if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
            void check(input.workflowExecution.workflowId).catch((rescueErr) => logger.error({ err: rescueErr, workflowId: input.workflowExecution.workflowId }, 'could not check a workflow whose update timed out'));
          }
          throw err;
        }
      },
    },
  };
}
