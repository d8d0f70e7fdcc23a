// The invoice draft of a project: materials at the price recorded on the protocol,
// labour minutes at the configured hourly rate, tax at the configured rate.
//
// Money is exact until it is shown: every amount is a BigInt count of 1/60,000 of a
// cent (a quantity has at most three decimals, labour is minutes of an hourly rate),
// and each printed figure is rounded half-up to the cent exactly once, from its exact
// value. The total is the printed subtotal plus the printed tax, so the page adds up.

/** What the draft reads from a job's protocol (the fields it needs, nothing more). */
export interface ProtocolLines {
  materials?: { articleNumber?: string; name: string; quantity: number; unit: string; unitPriceCents: number }[];
  work?: { description: string; technicianId?: string; minutes: number }[];
}

export interface InvoiceRates {
  currency: string;
  /** Labour, in cents per hour. */
  labourCentsPerHour: number;
  /** Tax in basis points (2500 = 25 %). */
  taxBasisPoints: number;
}

export interface InvoiceLine {
  kind: 'material' | 'labour' | 'proposal';
  description: string;
  jobId?: string;
  articleNumber?: string;
  /** Units (materials), hours (labour, minutes / 60 rounded to 0.01 for display), 1 (proposal). */
  quantity: number;
  unit: string;
  unitPriceCents: number;
  /** The line's amount rounded to the cent (shown; the subtotal comes from the exact amounts). */
  amountCents: number;
}

export interface InvoiceDraft {
  projectId: string;
  currency: string;
  lines: InvoiceLine[];
  subtotalCents: number;
  taxBasisPoints: number;
  taxCents: number;
  totalCents: number;
  /** How it was made, for the reader. */
  basis: 'protocol' | 'proposal';
}

/** One cent is this many units of the exact amounts. */
const UNIT = 60_000n;

const roundToCents = (exact: bigint, per: bigint = UNIT): number => {
  // Half-up (away from zero for the positive amounts an invoice has).
  const negative = exact < 0n;
  const magnitude = negative ? -exact : exact;
  const cents = (magnitude * 2n + per) / (per * 2n);
  return Number(negative ? -cents : cents);
};

/** A quantity with at most three decimals, as thousandths. */
export function thousandths(quantity: number): bigint {
  const scaled = Math.round(quantity * 1000);
  if (!Number.isFinite(quantity) || Math.abs(quantity * 1000 - scaled) > 1e-6) {
    throw new RangeError(`quantity ${quantity} has more than three decimals`);
  }
  return BigInt(scaled);
}

interface ExactLine {
  line: Omit<InvoiceLine, 'amountCents'>;
  exact: bigint;
}

function material(jobId: string | undefined, m: NonNullable<ProtocolLines['materials']>[number]): ExactLine {
  // thousandths × cents × 60 = (1/60,000 cent) units
  const exact = thousandths(m.quantity) * BigInt(m.unitPriceCents) * 60n;
  return {
    line: {
      kind: 'material',
      description: m.name,
      ...(jobId ? { jobId } : {}),
      ...(m.articleNumber ? { articleNumber: m.articleNumber } : {}),
      quantity: m.quantity,
      unit: m.unit,
      unitPriceCents: m.unitPriceCents,
    },
    exact,
  };
}

function labour(jobId: string | undefined, w: NonNullable<ProtocolLines['work']>[number], rates: InvoiceRates): ExactLine {
  // minutes × cents/hour / 60 cents = minutes × cents/hour × 1,000 units
  const exact = BigInt(w.minutes) * BigInt(rates.labourCentsPerHour) * 1000n;
  return {
    line: {
      kind: 'labour',
      description: w.description,
      ...(jobId ? { jobId } : {}),
      quantity: Math.round((w.minutes / 60) * 100) / 100,
      unit: 'h',
      unitPriceCents: rates.labourCentsPerHour,
    },
    exact,
  };
}

function total(projectId: string, lines: ExactLine[], rates: InvoiceRates, basis: InvoiceDraft['basis']): InvoiceDraft {
  const subtotalExact = lines.reduce((sum, l) => sum + l.exact, 0n);
  const subtotalCents = roundToCents(subtotalExact);
  // subtotal × bp / 10,000: exact in units of 1/(60,000 × 10,000) cent.
  const taxCents = roundToCents(subtotalExact * BigInt(rates.taxBasisPoints), UNIT * 10_000n);
  return {
    projectId,
    currency: rates.currency,
    lines: lines.map(({ line, exact }) => ({ ...line, amountCents: roundToCents(exact) })),
    subtotalCents,
    taxBasisPoints: rates.taxBasisPoints,
    taxCents,
    totalCents: subtotalCents + taxCents,
    basis,
  };
}

/** A service project's draft: every job's protocol, materials first, then labour. */
export function invoiceFromProtocols(projectId: string, protocols: { jobId?: string; protocol: ProtocolLines }[], rates: InvoiceRates): InvoiceDraft {
  const lines: ExactLine[] = [];
  for (const { jobId, protocol } of protocols) for (const m of protocol.materials ?? []) lines.push(material(jobId, m));
  for (const { jobId, protocol } of protocols) for (const w of protocol.work ?? []) lines.push(labour(jobId, w, rates));
  return total(projectId, lines, rates, 'protocol');
}

/**
 * A sales project's draft starts from the accepted proposal, whose price includes tax
 * (as the design tool quotes it): the proposal is one line, and the tax is the share of
 * it the rate implies.
 */
export function invoiceFromProposal(
  projectId: string,
  proposal: { id?: string; title: string; amountCents: number; currency: string },
  rates: InvoiceRates,
): InvoiceDraft {
  const totalCents = proposal.amountCents;
  // net = gross × 10,000 / (10,000 + bp), rounded once.
  const net = roundToCents(BigInt(totalCents) * 10_000n * UNIT, UNIT * BigInt(10_000 + rates.taxBasisPoints));
  return {
    projectId,
    currency: proposal.currency,
    lines: [{ kind: 'proposal', description: proposal.title, quantity: 1, unit: 'system', unitPriceCents: net, amountCents: net }],
    subtotalCents: net,
    taxBasisPoints: rates.taxBasisPoints,
    taxCents: totalCents - net,
    totalCents,
    basis: 'proposal',
  };
}

/** "650.00" per hour → cents; "25" or "12.5" percent → basis points. Configuration errors are thrown. */
export function parseMoney(text: string, name: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new Error(`${name} must be an amount with at most two decimals, such as 650.00, not "${text}"`);
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function parsePercent(text: string, name: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) > 100) throw new Error(`${name} must be a percentage between 0 and 100 with at most two decimals, not "${text}"`);
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
