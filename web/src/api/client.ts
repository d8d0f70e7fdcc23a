// A typed fetch client over the public HTTP contract. Every request asks for JSON (the
// API serves the console's page to requests that prefer HTML), carries the bearer token,
// and turns problem+json answers into ApiError.
import type { FieldError, Problem } from './types';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  form?: FormData;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface Api {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  del<T>(path: string, options?: RequestOptions): Promise<T>;
  upload<T>(path: string, file: File | Blob, name?: string): Promise<T>;
  blob(path: string): Promise<Blob>;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return { title: body.title ?? response.statusText, status: response.status, detail: body.detail, errors: body.errors, type: body.type };
    } catch {
      // fall through
    }
  }
  return { title: response.statusText || 'Request failed', status: response.status };
}

/**
 * `token()` is read on every request; `onUnauthorized` runs on any 401 so the console
 * can send the person back to sign-in when their token has expired.
 */
export function createApi(token: () => string | undefined, onUnauthorized: () => void): Api {
  async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const current = token();
    if (current) headers.Authorization = `Bearer ${current}`;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await fetch(withQuery(path, options.query), { method, headers, body, signal: options.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError({ title: 'No connection', status: 0, detail: 'The server did not answer. Check the connection and try again.' });
    }
    if (response.status === 401 && current) onUnauthorized();
    if (!response.ok) throw new ApiError(await problemOf(response));
    return response;
  }

  return {
    async get<T>(path: string, options?: RequestOptions) {
      return (await (await send('GET', path, options)).json()) as T;
    },
    async post<T>(path: string, body?: unknown, options?: RequestOptions) {
      return (await (await send('POST', path, { ...options, body: body ?? {} })).json()) as T;
    },
    async put<T>(path: string, body: unknown, options?: RequestOptions) {
      return (await (await send('PUT', path, { ...options, body })).json()) as T;
    },
    async patch<T>(path: string, body: unknown, options?: RequestOptions) {
      return (await (await send('PATCH', path, { ...options, body })).json()) as T;
    },
    async del<T>(path: string, options?: RequestOptions) {
      // A delete usually answers 204 with no body.
      const response = await send('DELETE', path, options);
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
    async upload<T>(path: string, file: File | Blob, name?: string) {
      const form = new FormData();
      form.append('file', file, name ?? (file instanceof File ? file.name : 'upload'));
      return (await (await send('POST', path, { form })).json()) as T;
    },
    async blob(path: string) {
      return (await send('GET', path)).blob();
    },
  };
}

export const newIdempotencyKey = (): string =>
  typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
