// The ERP's HTTP API, as the client sends it and the stand-in answers it. JSON bodies;
// every `/v1` call carries `Authorization: Bearer <api key>`.
//
//   POST /v1/orders   Idempotency-Key: <key>   {externalId, caseNumber, title?, customer,
//                                              site, closedAt?, currency, lines, totalCents}
//                     -> 201 order; 200 with the same order when the key was seen before
//   GET  /v1/orders/:id -> order
//
// Errors answer {error: {code, message}} with a 4xx or 5xx status.
import { z } from 'zod';

const cents = z.number().int().nonnegative();

export const WireOrderLine = z.object({
  articleNumber: z.string().min(1).max(100),
  name: z.string().min(1).max(500),
  quantity: z.number().positive(),
  unit: z.string().min(1).max(20),
  unitPriceCents: cents,
  amountCents: cents,
});

export const CreateOrderBody = z.object({
  externalId: z.string().min(1).max(200),
  caseNumber: z.string().min(1).max(200),
  title: z.string().max(500).optional(),
  customer: z.object({ id: z.string().min(1), name: z.string().min(1).max(500) }),
  site: z.object({ id: z.string().min(1), address: z.string().min(1).max(1000) }),
  closedAt: z.string().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  lines: z.array(WireOrderLine).max(1000),
  totalCents: cents,
});
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

export const WireOrder = CreateOrderBody.extend({
  id: z.string().min(1),
  idempotencyKey: z.string().min(1),
  receivedAt: z.string(),
});
export type WireOrder = z.infer<typeof WireOrder>;
