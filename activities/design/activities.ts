// What a sales project asks of the design tool. A refusal that will not heal (a 4xx)
// fails the activity at once (non-retryable, type DesignToolRejected); anything a later
// attempt may get past (5xx, no connection, timeout) is retryable (DesignToolUnavailable),
// so the workflow's retry policy decides how long to keep trying. Every call is
// idempotent at the tool: linking again answers the same project, archiving again is done.
import { ApplicationFailure } from '@temporalio/common';
import { DesignToolRejected, DesignToolUnavailable, type CreateDesignProject, type DesignProjectLink, type DesignProposal, type DesignTool } from './tool';

/** The ApplicationFailure types these activities throw (workflows may match on them). */
export const DesignFailure = {
  Rejected: 'DesignToolRejected',
  Unavailable: 'DesignToolUnavailable',
} as const;

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DesignToolRejected) {
      throw ApplicationFailure.create({ message: err.message, type: DesignFailure.Rejected, nonRetryable: true, details: [{ status: err.status }], cause: err });
    }
    if (err instanceof DesignToolUnavailable) {
      throw ApplicationFailure.create({ message: err.message, type: DesignFailure.Unavailable, nonRetryable: false, details: [{ status: err.status }], cause: err });
    }
    throw err;
  }
}

export function createDesignActivities({ designTool }: { designTool: DesignTool }) {
  return {
    /** Creates (or finds again) the design project linked to a Fieldflow project. */
    async linkDesignProject(input: CreateDesignProject): Promise<DesignProjectLink> {
      return translated(() => designTool.createProject({ projectId: input.projectId, customerName: input.customerName, siteAddress: input.siteAddress }));
    },
    /** The linked project's proposals as the tool has them now. */
    async syncDesignProposals(input: { designProjectId: string }): Promise<{ proposals: DesignProposal[] }> {
      return translated(async () => ({ proposals: await designTool.listProposals(input.designProjectId) }));
    },
    /** Compensation when the sales project is cancelled; safe to repeat. */
    async archiveDesignProject(input: { designProjectId: string }): Promise<void> {
      await translated(() => designTool.archiveProject(input.designProjectId));
    },
  };
}

export type DesignActivities = ReturnType<typeof createDesignActivities>;
