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
