// What the console knows of a sales project's design: the linked design project and its
// proposals. The API keeps them in the staff timeline (the "Linked design project" line,
// the latest "Synced … proposals" line's data, and the proposal events after it), so they
// are read from there, oldest entry first.
import type { TimelineEntry } from '../api/types';

export interface ProposalView {
  id: string;
  status: string;
  price?: { amount: number; currency: string };
}

export interface SalesDesign {
  designProjectId?: string;
  designUrl?: string;
  /** Undefined until the design tool has been synced or a proposal event arrived. */
  proposals?: ProposalView[];
  acceptedProposalId?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function asPrice(value: unknown): ProposalView['price'] {
  if (!value || typeof value !== 'object') return undefined;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  return typeof amount === 'number' && typeof currency === 'string' ? { amount, currency } : undefined;
}

export function salesDesignOf(entries: TimelineEntry[]): SalesDesign {
  const design: SalesDesign = {};
  const sorted = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  const mark = (id: string | undefined, status: string) => {
    if (!id) return;
    design.proposals ??= [];
    const found = design.proposals.find((proposal) => proposal.id === id);
    if (found) found.status = status;
    else design.proposals.push({ id, status });
  };
  for (const entry of sorted) {
    const data = entry.data ?? {};
    if (entry.summary.startsWith('Linked design project')) {
      design.designProjectId = str(data.designProjectId) ?? entry.summary.split(' ').at(-1);
      design.designUrl = str(data.url);
    } else if (/^Synced \d+ proposals? /.test(entry.summary) && Array.isArray(data.proposals)) {
      design.proposals = (data.proposals as unknown[])
        .filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string')
        .map((item) => ({ id: item.id as string, status: str(item.status) ?? 'draft', ...(asPrice(item.price) ? { price: asPrice(item.price) } : {}) }));
    } else if (entry.summary === 'Proposal sent to the customer') {
      mark(str(data.proposalId), 'sent');
    } else if (entry.summary === 'Proposal signed by the customer') {
      mark(str(data.proposalId), 'signed');
      design.acceptedProposalId = str(data.proposalId) ?? design.acceptedProposalId;
    }
  }
  return design;
}

/** Minor units (cents) as money in the console's locale: 990000 AUD → "$9,900.00". */
export function formatMoney(price: { amount: number; currency: string }): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: price.currency }).format(price.amount / 100);
  } catch {
    return `${(price.amount / 100).toFixed(2)} ${price.currency}`;
  }
}
