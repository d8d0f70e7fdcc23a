// The design/quote tool (Pylon in the seeds) as Fieldflow sees it: a linked project per
// sales project, its proposals, and an archive when the sales project is cancelled.
// `client.ts` speaks the wire format of `wire.ts` to the real tool, `stand-in.ts` answers
// it locally (npm start, tests); the activities (`activities.ts`) turn the errors below
// into Temporal retry decisions.
import { OutsideRejected, OutsideUnavailable } from '../outside-system';

export type ProposalStatus = 'draft' | 'sent' | 'signed' | 'declined';

/** `amount` in the currency's minor units (cents): 1_250_000 is 12,500.00. */
export interface Money {
  amount: number;
  currency: string;
}

export interface DesignProposal {
  id: string;
  title: string;
  status: ProposalStatus;
  price: Money;
  /** ISO 8601. */
  updatedAt: string;
}

export interface CreateDesignProject {
  /** The Fieldflow project id; the tool keeps it as the linked project's external id. */
  projectId: string;
  customerName: string;
  siteAddress: string;
}

export interface DesignProjectLink {
  designProjectId: string;
  /** Where a person opens the project in the tool. */
  url: string;
}

export interface DesignTool {
  /** Idempotent per `projectId`: asking again answers the project made the first time. */
  createProject(input: CreateDesignProject): Promise<DesignProjectLink>;
  listProposals(designProjectId: string): Promise<DesignProposal[]>;
  /** Idempotent: archiving again, or a project the tool no longer knows, is done. */
  archiveProject(designProjectId: string): Promise<void>;
}

/** What the tool tells `POST /events/design` (signed with Standard Webhooks). */
export type DesignEventType = 'proposal.sent' | 'proposal.signed' | 'deposit.paid';
export interface DesignEvent {
  type: DesignEventType;
  /** The Fieldflow project id the design project was created for. */
  projectId: string;
  designProjectId: string;
  proposalId: string;
  /** Minor units: the proposal's price when signed, the deposit when paid. */
  amount?: number;
}

/** The call may work later: a 5xx (but 501), 408, 425 or 429, no connection, no answer in time. */
export class DesignToolUnavailable extends OutsideUnavailable {}

/** The tool refused the call (another 4xx) or answered something we cannot read: it will not heal by itself. */
export class DesignToolRejected extends OutsideRejected {}

export type DesignToolError = DesignToolUnavailable | DesignToolRejected;
