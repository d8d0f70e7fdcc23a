// The ERP as Fieldflow sees it: one sales order per resolved service case, made of the
// case's article registrations (its protocols' material lines). `client.ts` speaks the
// wire format of `wire.ts` to the real ERP, `stand-in.ts` answers it locally (npm start,
// tests); the activities (`activities.ts`) turn the errors below into Temporal retry
// decisions.
//
// Exactly once: every push carries an idempotency key (the project id). The ERP answers a
// key it has seen with the order it made the first time, so a push retried after a lost
// answer, a timeout or a worker crash never makes a second order.
import { OutsideRejected, OutsideUnavailable } from '../outside-system';

/** One article line of an order; money in cents. */
export interface ErpOrderLine {
  articleNumber: string;
  name: string;
  /** Up to three decimals. */
  quantity: number;
  unit: string;
  unitPriceCents: number;
  /** quantity × unit price, rounded half-up to the cent. */
  amountCents: number;
}

export interface ErpOrderRequest {
  /** The idempotency key: the Fieldflow project id (one order per case). */
  key: string;
  /** The case number people quote (the project id). */
  caseNumber: string;
  title?: string;
  customer: { id: string; name: string };
  site: { id: string; address: string };
  closedAt?: string;
  currency: string;
  lines: ErpOrderLine[];
  /** The sum of the lines' amounts. */
  totalCents: number;
}

export interface ErpOrderReceipt {
  /** The ERP's order number. */
  orderId: string;
  /** False when the ERP answered an order it had already made for this key. */
  created: boolean;
}

export interface Erp {
  /** Idempotent per `key`: pushing again answers the order made the first time. */
  pushOrder(order: ErpOrderRequest): Promise<ErpOrderReceipt>;
}

/** The call may work later: a 5xx (but 501), 408, 425 or 429, no connection, no answer in time. */
export class ErpUnavailable extends OutsideUnavailable {}

/** The ERP refused the call (another 4xx) or answered something we cannot read: it will not heal by itself. */
export class ErpRejected extends OutsideRejected {}
