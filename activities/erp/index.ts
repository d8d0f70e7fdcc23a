// The ERP: the interface, its HTTP client, its stand-in and the activities. `openErp`
// picks what a process uses from configuration.
import path from 'node:path';
import type { Config } from '../../runtime/config';
import type { Logger } from '../../runtime/logger';
import { createErpClient, unconfiguredErp } from './client';
import type { Erp } from './erp';
import { createErpStandIn, type ErpStandIn } from './stand-in';

export * from './erp';
export { createErpActivities, ErpFailure, type ErpActivities } from './activities';
export { createErpClient, unconfiguredErp } from './client';
export { createErpStandIn, type ErpStandIn } from './stand-in';

/** The key the client and the embedded stand-in share when ERP_API_KEY is unset. */
export const ERP_STAND_IN_API_KEY = 'fieldflow-dev-erp-key';

export interface OpenErp {
  erp: Erp;
  /** ERP_URL, or the stand-in's (its page of received orders is at `/`). */
  url: string;
  /** Only when ERP_URL is unset. */
  standIn?: ErpStandIn;
  close(): Promise<void>;
}

/** A process's ERP: a client of ERP_URL, or the stand-in on ERP_STAND_IN_PORT with a client of it. */
export async function openErp(config: Config, { host, logger }: { host?: string; logger?: Logger } = {}): Promise<OpenErp> {
  if (config.erpUrl) return { erp: erpFromConfig(config), url: config.erpUrl, close: async () => undefined };
  const apiKey = config.erpApiKey ?? ERP_STAND_IN_API_KEY;
  const standIn = await createErpStandIn({
    port: config.erpStandInPort,
    host: host ?? '127.0.0.1',
    apiKey,
    // npm start keeps the orders across restarts, like its workflows: a push after a restart is still the same order.
    ...(config.embedded ? { stateFile: path.join(config.dataDir, 'erp-stand-in.json') } : {}),
    ...(logger ? { logger } : {}),
  });
  return { erp: createErpClient({ baseUrl: standIn.url, apiKey, timeoutMs: config.erpTimeoutMs }), url: standIn.url, standIn, close: () => standIn.close() };
}

/** For a process with no stand-in (the production worker): a client of ERP_URL, else an ERP that asks for it. */
export function erpFromConfig(config: Config): Erp {
  return config.erpUrl ? createErpClient({ baseUrl: config.erpUrl, apiKey: config.erpApiKey!, timeoutMs: config.erpTimeoutMs }) : unconfiguredErp();
}
