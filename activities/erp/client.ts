// The real ERP over HTTP (the wire format of wire.ts). Every call has a timeout; a
// failure is either ErpUnavailable (retry later) or ErpRejected (will not heal), so the
// activity can tell Temporal which.
import { ErpRejected, ErpUnavailable, type Erp } from './erp';
import { CreateOrderBody, WireOrder } from './wire';
import { answerJson, exchange, type OutsideClientOptions, type OutsideSystem } from '../outside-system';

const ERP: OutsideSystem = { who: 'the ERP', Unavailable: ErpUnavailable, Rejected: ErpRejected };

/** What the client reads of a 2xx answer (the whole order in wire.ts's format, or less). */
const OrderReceipt = WireOrder.pick({ id: true });

export type ErpClientOptions = OutsideClientOptions;

export function createErpClient({ baseUrl, apiKey, fetch: fetchFn = fetch, timeoutMs = 10_000 }: ErpClientOptions): Erp {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    async pushOrder(order) {
      const what = 'ERP POST /v1/orders';
      const { key, ...rest } = order;
      const body = CreateOrderBody.safeParse({ externalId: key, ...rest });
      if (!body.success) throw new ErpRejected(`${what}: cannot make an order of this case (${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
      const { status, text } = await exchange(ERP, { url: `${root}/v1/orders`, method: 'POST', apiKey, body: body.data, headers: { 'idempotency-key': key }, what }, { fetch: fetchFn, timeoutMs });
      // A 2xx made the order: all we need of its answer is the order's id, so an ERP that
      // answers less (or more) than the whole order of wire.ts still gives a receipt.
      const json = answerJson(ERP, what, status, text);
      const parsed = OrderReceipt.safeParse(json);
      if (!parsed.success) throw new ErpRejected(`${what}: the answer names no order (${parsed.error.issues[0]?.message ?? 'invalid'})`, status);
      return { orderId: parsed.data.id, created: status === 201 };
    },
  };
}

/** With ERP_URL unset and no stand-in (a production worker): every push waits for configuration. */
export function unconfiguredErp(): Erp {
  return {
    async pushOrder() {
      throw new ErpUnavailable('no ERP is configured: set ERP_URL and ERP_API_KEY');
    },
  };
}
