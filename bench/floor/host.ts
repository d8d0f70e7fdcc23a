// The floor's worker in its own process: the floor workflows and their no-op
// activities on their own task queue, on the same dev server as Fieldflow's worker, with
// Fieldflow's worker options (runtime/system.ts, worker/create.ts).
import { NativeConnection, Worker } from '@temporalio/worker';
import { exposeWorkerMetrics, hostHandlers, installRuntimeLike } from '../host-common';
import { captureWorkerThreads } from '../heap';
import { serve } from '../ipc';
import { floorActivities } from './activities';
import { FLOOR_TASK_QUEUE } from './definitions';

async function main() {
  captureWorkerThreads();
  const env = process.env;
  const metricsPort = env.BENCH_METRICS_PORT ? Number(env.BENCH_METRICS_PORT) : undefined;
  exposeWorkerMetrics(metricsPort);
  installRuntimeLike(env.LOG_LEVEL || 'info');
  const connection = await NativeConnection.connect({ address: env.BENCH_TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: FLOOR_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: floorActivities,
    shutdownGraceTime: '10 seconds',
  });
  const running = worker.run();
  serve({
    ...hostHandlers(() => worker, metricsPort),
    info: () => ({
      pid: process.pid,
      taskQueue: FLOOR_TASK_QUEUE,
      maxCachedWorkflows: worker.options.maxCachedWorkflows,
      reuseV8Context: worker.options.reuseV8Context,
    }),
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      setImmediate(() => process.exit(0));
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
