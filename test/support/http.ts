// A small HTTP client for the tests and the history recorder: real requests to the real API.
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Api {
  private tokens = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async login(email: string, password = 'demo'): Promise<string> {
    const cached = this.tokens.get(email);
    if (cached) return cached;
    const answer = await this.request('POST', '/auth/login', { body: { email, password } });
    if (answer.status !== 200) throw new Error(`login ${email}: ${answer.status} ${JSON.stringify(answer.body)}`);
    this.tokens.set(email, answer.body.token);
    return answer.body.token;
  }

  /** Requests as a demo user of that role (ops@demo.test, …). */
  as(role: string) {
    const email = `${role}@demo.test`;
    const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      this.request(method, path, { body, headers: { Authorization: `Bearer ${await this.login(email)}`, ...headers } });
    return {
      get: (path: string) => send('GET', path),
      post: (path: string, body?: unknown, headers?: Record<string, string>) => send('POST', path, body, headers),
      put: (path: string, body?: unknown, headers?: Record<string, string>) => send('PUT', path, body, headers),
    };
  }

  async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string | FormData } = {}): Promise<Answer> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
    const type = response.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, body, headers: response.headers };
  }
}
