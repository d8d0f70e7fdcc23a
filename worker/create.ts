// Builds the Temporal worker: the workflows (a prebuilt bundle, see worker/bundle.ts) and
// the activities, whose dependencies are handed in.
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createDesignActivities, unconfiguredDesignTool, type DesignTool } from '../activities/design';
import { createErpActivities, unconfiguredErp, type Erp } from '../activities/erp';
import { createJobActivities } from '../activities/jobs';
import { createPlanActivities } from '../activities/plans';
import { createReadModelActivities } from '../activities/read-model';
import { createWorkOrderActivities } from '../activities/work-orders';
import type { Database } from '../db';
import type { Config } from '../runtime/config';
import type { DocumentStore } from '../runtime/document-store';
import { workflowPreloadModules } from './bundle-options';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  database: Database;
  /** For the activities that ask Temporal about jobs, and that start a maintenance plan's cases. */
  temporal: Client;
  /** What starting a case needs (a maintenance plan's run): the task queue, the policy, the update timeout, the company's zone. */
  config: Pick<Config, 'taskQueue' | 'policy' | 'updateTimeoutMs' | 'companyTimeZone'>;
  /**
   * The design tool the sales activities reach: the stand-in's client (startSystem) or
   * `designToolFromConfig(config)` (worker/main.ts). Absent, every call fails retryably
   * until DESIGN_TOOL_URL is set.
   */
  designTool?: DesignTool;
  /**
   * The ERP resolved service cases push their orders to: the stand-in's client
   * (startSystem) or `erpFromConfig(config)`. Absent, every push fails retryably until
   * ERP_URL is set. `currency` and `timeZone` shape the order (INVOICE_CURRENCY, COMPANY_TIME_ZONE).
   */
  erp?: { erp: Erp; currency: string; timeZone: string };
  /** Where the work-order PDFs go: the same store the API serves documents from. */
  documentStore: DocumentStore;
  /**
   * A bundle from worker/bundle.ts: dist/workflow-bundle.js (production worker, tests) or
   * the DATA_DIR cache (npm start). Without one, the workflows are bundled here (5 s).
   */
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
    activities: {
      ...createReadModelActivities({ database: deps.database }),
      ...createJobActivities({ temporal: deps.temporal }),
      ...createPlanActivities({ database: deps.database, temporal: deps.temporal, config: deps.config }),
      ...createWorkOrderActivities({ database: deps.database, documentStore: deps.documentStore }),
      ...createDesignActivities({ designTool: deps.designTool ?? unconfiguredDesignTool() }),
      ...createErpActivities({ database: deps.database, ...(deps.erp ?? { erp: unconfiguredErp(), currency: 'AUD', timeZone: 'UTC' }) }),
    },
    shutdownGraceTime: '10 seconds',
    ...deps.options,
  });
}
