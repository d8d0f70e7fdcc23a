// The sales project's contract: stages, outcomes, the data only a sales project keeps,
// the design tool's proposals, and the activities the workflow asks the design tool
// through. Only types here (and re-exports of the project messages), so the API can use it.
import type { ProjectInput, ProjectResult, ProjectView } from '../projects/definitions';

export { cancelProjectUpdate, getProjectQuery, projectEventSignal } from '../projects/definitions';

export type SalesStage = 'onboarding' | 'quoting' | 'considering' | 'committing' | 'inspection' | 'installation' | 'completed' | 'cancelled';
export type SalesOutcome = 'completed' | 'cancelled';

export interface Proposal {
  id: string;
  title?: string;
  status: 'draft' | 'sent' | 'signed' | 'declined';
  price?: { amount: number; currency: string };
  updatedAt?: string;
}

export interface InstalledAsset {
  make: string;
  model: string;
  serial?: string;
}

export interface InvoiceDraft {
  proposalId?: string;
  lines: { description: string; amount: number; currency: string }[];
  total: number;
  currency: string;
  createdAt: string;
}

/** What only a sales project keeps. */
export interface SalesData {
  site?: { phases: number; nmi: string; roof: string; distributor: string };
  designProjectId?: string;
  designUrl?: string;
  proposals: Proposal[];
  acceptedProposalId?: string;
  depositPaid?: boolean;
  /** Where an `update_quote` leads: on to installation (after an inspection), or on with the close-out. */
  afterQuote?: 'installation' | 'closing';
  /** The close-out tasks still to come after the installation was approved, in order. */
  closing: string[];
  installedAssets: InstalledAsset[];
  invoice?: InvoiceDraft;
  cancelReason?: string;
}

export type SalesProjectInput = ProjectInput<SalesData>;
export type SalesProjectResult = ProjectResult;
export type SalesProjectView = ProjectView;

/** The design tool, as the workflow reaches it (activities; the adapter is in adapters/design). */
export interface DesignActivities {
  linkDesignProject(args: { projectId: string; customerId: string; siteId: string; title?: string }): Promise<{ designProjectId: string; url?: string }>;
  syncDesignProposals(args: { designProjectId: string }): Promise<Proposal[]>;
  archiveDesignProject(args: { designProjectId: string }): Promise<void>;
}

/** Events from the design tool (source `design`), as the API passes them on. */
export interface DesignEvent {
  type: 'proposal.sent' | 'proposal.signed' | 'deposit.paid';
  proposalId?: string;
  amount?: number;
}
