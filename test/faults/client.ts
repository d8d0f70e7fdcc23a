// A client that behaves as a careful real one does while parts of the system are down:
// every POST carries an Idempotency-Key (its own, unless the caller gave one), and a
// refused connection, a cut connection or a 502/503/504 is retried with the same key
// after Retry-After (or half a second), up to a deadline. What it saw is counted.
import { randomUUID } from 'node:crypto';
import { Api, type Answer } from '../support/http';

export interface Seen {
  retries: number;
  unavailable: number;
  withoutRetryAfter: number;
  connectionErrors: number;
}

export class RetryingApi extends Api {
  readonly seen: Seen = { retries: 0, unavailable: 0, withoutRetryAfter: 0, connectionErrors: 0 };
  /** Uploads that succeeded, by project and file name: however often each was retried, one each. */
  readonly uploads = new Map<string, Map<string, number>>();

  constructor(
    baseUrl: string,
    readonly patienceMs = 180_000,
  ) {
    super(baseUrl);
  }

  private logins = new Map<string, Promise<string>>();

  /** One login per user, however many requests start at once (logins are rate limited). */
  override login(email: string, password = 'demo'): Promise<string> {
    let pending = this.logins.get(email);
    if (!pending) {
      pending = super.login(email, password);
      this.logins.set(email, pending);
      pending.catch(() => this.logins.delete(email));
    }
    return pending;
  }

  private countUpload(path: string, raw: string | FormData | undefined) {
    const projectId = /^\/projects\/([^/]+)\/documents$/.exec(path)?.[1];
    const file = raw instanceof FormData ? raw.get('file') : null;
    if (!projectId || !(file instanceof File)) return;
    const names = this.uploads.get(projectId) ?? new Map<string, number>();
    names.set(file.name, (names.get(file.name) ?? 0) + 1);
    this.uploads.set(projectId, names);
  }

  override async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string | FormData } = {}): Promise<Answer> {
    const headers = { ...options.headers };
    if (method === 'POST' && !Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key') && path !== '/auth/login') headers['Idempotency-Key'] = randomUUID();
    const deadline = Date.now() + this.patienceMs;
    for (;;) {
      let wait = 500;
      try {
        const answer = await super.request(method, path, { ...options, headers });
        if (![502, 503, 504].includes(answer.status)) {
          if (answer.status === 201) this.countUpload(path, options.raw);
          return answer;
        }
        this.seen.unavailable++;
        const retryAfter = Number(answer.headers.get('retry-after'));
        if (answer.status === 503 && !retryAfter) this.seen.withoutRetryAfter++;
        if (retryAfter > 0) wait = Math.min(retryAfter * 1000, 5000);
        if (Date.now() > deadline) return answer;
      } catch (err) {
        this.seen.connectionErrors++;
        if (Date.now() > deadline) throw err;
      }
      this.seen.retries++;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
