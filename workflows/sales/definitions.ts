// The sales project's contract: stages, outcomes, the data only a sales project keeps,
// the design tool's proposals, and the activities the workflow asks the design tool
// through. Only types here (and re-exports of the project messages), so the API can use it.
import type { ProjectInput, ProjectResult, ProjectView } from '../projects/definitions';
export type { DesignActivities } from '../../activities/design/activities';

export { cancelProjectUpdate, getProjectQuery, projectEventSignal } from '../projects/definitions';

export type SalesStage = 'onboarding' | 'quoting' | 'considering' | 'committing' | 'inspection' | 'installation' | 'completed' | 'cancelled';
export type SalesOutcome = 'completed' | 'cancelled';

/** A proposal as the design tool has it; amounts in minor units (cents). */
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
  customerName?: string;
  siteAddress?: string;
  site?: { phases: number; nmi: string; roof: string; distributor: string };
  designProjectId?: string;
  designUrl?: string;
  proposals: Proposal[];
  acceptedProposalId?: string;
  /** The signed proposal's price as the signing event gave it (minor units). */
  acceptedAmount?: number;
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

/** Events from the design tool (source `design`), as the API passes them on. */
export interface DesignEvent {
  type: 'proposal.sent' | 'proposal.signed' | 'deposit.paid';
  proposalId?: string;
  amount?: number;
}
