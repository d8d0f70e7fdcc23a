// The real ERP over HTTP (the wire format of wire.ts). Every call has a timeout; a
// failure is either ErpUnavailable (retry later) or ErpRejected (will not heal), so the
// activity can tell Temporal which.
import { ErpRejected, ErpUnavailable, type Erp } from './erp';
import { CreateOrderBody, WireOrder } from './wire';
import { retryLater, type OutsideClientOptions } from '../outside-system';

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
      let status: number;
      let text: string;
      try {
        const response = await fetchFn(`${root}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body.data),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        text = await response.text(); // under the same timeout
      } catch (err) {
        const timedOut = (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
        throw new ErpUnavailable(`${what}: ${timedOut ? `no answer within ${timeoutMs} ms` : `cannot reach the ERP (${causeOf(err)})`}`, undefined, { cause: err });
      }
      if (status < 200 || status > 299) {
        const message = `${what}: HTTP ${status}${errorMessage(text)}`;
        throw retryLater(status) ? new ErpUnavailable(message, status) : new ErpRejected(message, status);
      }
      // A 2xx made the order: all we need of its answer is the order's id, so an ERP that
      // answers less (or more) than the whole order of wire.ts still gives a receipt.
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new ErpRejected(`${what}: the answer is not JSON`, status, { cause: err });
      }
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

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}

/** The ERP's own words, short, when it sent `{error: {message}}`. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } })?.error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
