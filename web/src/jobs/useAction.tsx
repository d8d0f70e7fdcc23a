// One change on the job at a time, each with its own Idempotency-Key: the key is kept while
// the same change is retried after a lost answer (no connection, a 5xx), so the server
// applies it once; a new change, or one the server answered, gets a fresh key.
import { useCallback, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import { plainMessage } from '../tasks/errors';

/** An API error as a person reads it: the server's messages, not its codes. */
export function plainError(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 0) return 'Not saved: the server did not answer. Check the connection and try again.';
  if (err.status >= 500) return 'Not saved: something went wrong on the server. Try again in a moment.';
  if (err.fieldErrors.length) return err.fieldErrors.map((error) => plainMessage(error.message)).join('. ');
  if (err.status === 403) return 'This job is not yours to change.';
  return plainMessage(err.message);
}

export interface Action {
  /** Which change is under way (its name), if any. */
  busy: string | undefined;
  error: { name: string; message: string } | undefined;
  run: <T>(name: string, body: unknown, send: (key: string) => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<{ name: string; message: string }>();
  const keys = useRef(new Map<string, { body: string; key: string }>());

  const run = useCallback(async <T,>(name: string, body: unknown, send: (key: string) => Promise<T>): Promise<T | undefined> => {
    const signature = JSON.stringify(body ?? null);
    let entry = keys.current.get(name);
    if (!entry || entry.body !== signature) {
      entry = { body: signature, key: newIdempotencyKey() };
      keys.current.set(name, entry);
    }
    setBusy(name);
    setError(undefined);
    try {
      const answer = await send(entry.key);
      keys.current.delete(name);
      return answer;
    } catch (err) {
      const lost = err instanceof ApiError && (err.status === 0 || err.status >= 500);
      if (!lost) keys.current.delete(name);
      setError({ name, message: plainError(err) });
      return undefined;
    } finally {
      setBusy(undefined);
    }
  }, []);

  return { busy, error, run, clear: useCallback(() => setError(undefined), []) };
}

/** The error of this change, shown next to its button. */
export function ActionError({ action, name }: { action: Action; name: string | RegExp }) {
  const error = action.error;
  if (!error || !(typeof name === 'string' ? error.name === name : name.test(error.name))) return null;
  return (
    <p className="field-error" role="alert">
      {error.message}
    </p>
  );
}
