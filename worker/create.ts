// Builds the Temporal worker: the workflows (bundled from source, or a prebuilt bundle)
// and the activities, whose dependencies are handed in.
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createJobActivities } from '../activities/jobs';
import { createReadModelActivities } from '../activities/read-model';
import type { Database } from '../db';
import { workflowPreloadModules } from './bundle-options';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  database: Database;
  /** For the activities that ask Temporal about jobs. */
  temporal: Client;
  /** A bundle made once by bundleWorkflowCode (tests); otherwise bundled at start. */
  workflowBundlePath?: string;
  options?: Partial<WorkerOptions>;
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundlePath
      ? { workflowBundle: { codePath: deps.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows'), bundlerOptions: { preloadModules: workflowPreloadModules } }),
    activities: { ...createReadModelActivities({ database: deps.database }), ...createJobActivities({ temporal: deps.temporal }) },
    shutdownGraceTime: '10 seconds',
    ...deps.options,
  });
}
