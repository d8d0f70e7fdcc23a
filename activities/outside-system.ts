// What every adapter to an outside system (the design tool, the ERP) shares: the two ways a
// call fails, which decide whether its activity retries, and the client's options.

/** The call may work later: a 5xx (but 501), 408, 425 or 429, no connection, no answer in time. */
export class OutsideUnavailable extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // The subclass's name (DesignToolUnavailable, ErpUnavailable): the activity's failure type.
    this.name = new.target.name;
  }
}

/** The system refused the call (another 4xx) or answered something we cannot read: it will not heal by itself. */
export class OutsideRejected extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Statuses a later attempt may get past: rate limits, timeouts, the server's own trouble. */
export const retryLater = (status: number) => (status >= 500 && status !== 501) || status === 408 || status === 425 || status === 429;

export interface OutsideClientOptions {
  baseUrl: string;
  apiKey: string;
  /** For tests; the global fetch by default. */
  fetch?: typeof fetch;
  /** Per call, from the request to the last byte of the answer. */
  timeoutMs?: number;
}

type FailureClass<T> = new (message: string, status?: number, options?: { cause?: unknown }) => T;

/** How one system's failures are named: `who` in messages ("the ERP"), and its two error classes. */
export interface OutsideSystem {
  who: string;
  Unavailable: FailureClass<OutsideUnavailable>;
  Rejected: FailureClass<OutsideRejected>;
}

/**
 * One call: the request and the whole answer under one timeout. No answer, no connection
 * or a status a later attempt may get past is the system's Unavailable; another non-2xx is
 * its Rejected (a 404 comes back when `missingIsDone`). Answers the status and the body's text.
 */
export async function exchange(
  system: OutsideSystem,
  request: { url: string; method: string; apiKey: string; body?: unknown; headers?: Record<string, string>; what: string; missingIsDone?: boolean },
  { fetch: fetchFn = fetch, timeoutMs = 10_000 }: Pick<OutsideClientOptions, 'fetch' | 'timeoutMs'>,
): Promise<{ status: number; text: string }> {
  let status: number;
  let text: string;
  try {
    const response = await fetchFn(request.url, {
      method: request.method,
      headers: { authorization: `Bearer ${request.apiKey}`, accept: 'application/json', ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
      body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text(); // under the same timeout
  } catch (err) {
    const timedOut = (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    throw new system.Unavailable(`${request.what}: ${timedOut ? `no answer within ${timeoutMs} ms` : `cannot reach ${system.who} (${causeOf(err)})`}`, undefined, { cause: err });
  }
  if (status === 404 && request.missingIsDone) return { status, text };
  if (status < 200 || status > 299) {
    const message = `${request.what}: HTTP ${status}${errorMessage(text)}`;
    throw retryLater(status) ? new system.Unavailable(message, status) : new system.Rejected(message, status);
  }
  return { status, text };
}

/** A 2xx answer's JSON, or the system's Rejected: an answer we cannot read will not heal. */
export function answerJson(system: OutsideSystem, what: string, status: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new system.Rejected(`${what}: the answer is not JSON`, status, { cause: err });
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}

/** The system's own words, short, when it sent `{error: {message}}`. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } })?.error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
