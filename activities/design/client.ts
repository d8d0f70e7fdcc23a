// The real design tool over HTTP (the wire format of wire.ts). Every call has a timeout;
// a failure is either DesignToolUnavailable (retry later) or DesignToolRejected (will not
// heal), so the activities can tell Temporal which.
import type { z } from 'zod';
import { DesignToolRejected, DesignToolUnavailable, type DesignTool } from './tool';
import { CreateProjectBody, ProposalList, WireProject } from './wire';
import { answerJson, exchange, type OutsideClientOptions, type OutsideSystem } from '../outside-system';

const DESIGN_TOOL: OutsideSystem = { who: 'the tool', Unavailable: DesignToolUnavailable, Rejected: DesignToolRejected };

export type DesignToolClientOptions = OutsideClientOptions;


export function createDesignToolClient({ baseUrl, apiKey, fetch: fetchFn = fetch, timeoutMs = 10_000 }: DesignToolClientOptions): DesignTool {
  const root = baseUrl.replace(/\/+$/, '');

  async function call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, { missingIsDone = false } = {}): Promise<z.infer<S> | undefined> {
    const what = `design tool ${method} ${path}`;
    const { status, text } = await exchange(DESIGN_TOOL, { url: root + path, method, apiKey, body, what, missingIsDone }, { fetch: fetchFn, timeoutMs });
    if (status === 404 && missingIsDone) return undefined;
    const json = answerJson(DESIGN_TOOL, what, status, text);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new DesignToolRejected(`${what}: the answer does not fit the wire format (${parsed.error.issues[0]?.message ?? 'invalid'})`, status);
    return parsed.data;
  }

  const projectPath = (designProjectId: string) => `/v1/projects/${encodeURIComponent(designProjectId)}`;

  return {
    async createProject({ projectId, customerName, siteAddress }) {
      const body = CreateProjectBody.safeParse({ externalId: projectId, customerName, siteAddress });
      if (!body.success) throw new DesignToolRejected(`design tool: cannot create a project from this input (${body.error.issues[0]?.message})`);
      const project = (await call('POST', '/v1/projects', WireProject, body.data))!;
      return { designProjectId: project.id, url: project.url };
    },
    async listProposals(designProjectId) {
      const list = (await call('GET', `${projectPath(designProjectId)}/proposals`, ProposalList))!;
      return list.items;
    },
    async archiveProject(designProjectId) {
      // A project the tool no longer knows has nothing left to archive.
      await call('POST', `${projectPath(designProjectId)}/archive`, WireProject, undefined, { missingIsDone: true });
    },
  };
}

/** With DESIGN_TOOL_URL unset and no stand-in (a production worker): every call waits for configuration. */
export function unconfiguredDesignTool(): DesignTool {
  const fail = async (): Promise<never> => {
    throw new DesignToolUnavailable('no design tool is configured: set DESIGN_TOOL_URL and DESIGN_TOOL_API_KEY');
  };
  return { createProject: fail, listProposals: fail, archiveProject: fail };
}
