// The real ERP over HTTP (the wire format of wire.ts). Every call has a timeout; a
// failure is either ErpUnavailable (retry later) or ErpRejected (will not heal), so the
// activity can tell Temporal which.
import { ErpRejected, ErpUnavailable, type Erp } from './erp';
import { CreateOrderBody, WireOrder } from './wire';

export interface ErpClientOptions {
  baseUrl: string;
  apiKey: string;
  /** For tests; the global fetch by default. */
  fetch?: typeof fetch;
  /** Per call, from the request to the last byte of the answer. */
  timeoutMs?: number;
}

/** Statuses a later attempt may get past: rate limits, timeouts, the server's own trouble. */
const retryLater = (status: number) => (status >= 500 && status !== 501) || status === 408 || status === 425 || status === 429;

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
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new ErpRejected(`${what}: the answer is not JSON`, status, { cause: err });
      }
      const parsed = WireOrder.safeParse(json);
      if (!parsed.success) throw new ErpRejected(`${what}: the answer does not fit the wire format (${parsed.error.issues[0]?.message ?? 'invalid'})`, status);
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
