// The design tool (Pylon): the interface, its HTTP client, its stand-in and the
// activities. `openDesignTool` picks what a process uses from configuration.
import path from 'node:path';
import type { Config } from '../../runtime/config';
import type { Logger } from '../../runtime/logger';
import { createDesignToolClient, unconfiguredDesignTool } from './client';
import { createDesignToolStandIn, type DesignToolStandIn } from './stand-in';
import type { DesignTool } from './tool';

export * from './tool';
export { createDesignActivities, DesignFailure, type DesignActivities } from './activities';
export { createDesignToolClient, unconfiguredDesignTool } from './client';
export { createDesignToolStandIn, type DesignToolStandIn } from './stand-in';

/** The key the client and the embedded stand-in share when DESIGN_TOOL_API_KEY is unset. */
export const STAND_IN_API_KEY = 'fieldflow-dev-design-key';

export interface OpenDesignTool {
  tool: DesignTool;
  /** The tool's base URL: DESIGN_TOOL_URL, or the stand-in's (its page is at `/`). */
  url: string;
  /** Only when DESIGN_TOOL_URL is unset. Its webhooks go nowhere until `standIn.webhookUrl` is set. */
  standIn?: DesignToolStandIn;
  close(): Promise<void>;
}

/** A process's design tool: a client of DESIGN_TOOL_URL, or the stand-in on DESIGN_STAND_IN_PORT with a client of it. */
export async function openDesignTool(config: Config, { host, logger, webhookUrl }: { host?: string; logger?: Logger; webhookUrl?: string } = {}): Promise<OpenDesignTool> {
  if (config.designToolUrl) {
    const tool = createDesignToolClient({ baseUrl: config.designToolUrl, apiKey: config.designToolApiKey! });
    return { tool, url: config.designToolUrl, close: async () => undefined };
  }
  const apiKey = config.designToolApiKey ?? STAND_IN_API_KEY;
  const standIn = await createDesignToolStandIn({
    webhookSecret: config.webhookSecrets.design[0],
    ...(webhookUrl ? { webhookUrl } : {}),
    port: config.designStandInPort,
    host: host ?? '127.0.0.1',
    apiKey,
    // npm start keeps the linked projects across restarts, like its workflows.
    ...(config.embedded ? { stateFile: path.join(config.dataDir, 'design-stand-in.json') } : {}),
    ...(logger ? { logger } : {}),
  });
  return { tool: createDesignToolClient({ baseUrl: standIn.url, apiKey }), url: standIn.url, standIn, close: () => standIn.close() };
}

/** For a process with no stand-in (the production worker): a client of DESIGN_TOOL_URL, else a tool that asks for it. */
export function designToolFromConfig(config: Config): DesignTool {
  return config.designToolUrl ? createDesignToolClient({ baseUrl: config.designToolUrl, apiKey: config.designToolApiKey! }) : unconfiguredDesignTool();
}
