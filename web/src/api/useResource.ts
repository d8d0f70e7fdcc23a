// Loads something from the API and keeps the last answer on screen while it reloads,
// so a live refresh never flashes a spinner or moves the layout.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  /** Replace the data with a fresher copy the caller already has (e.g. a completion's answer). */
  set: (data: T) => void;
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const current = useRef<AbortController | undefined>(undefined);

  const reload = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    try {
      const value = await loadRef.current(controller.signal);
      if (controller.signal.aborted) return;
      setData(value);
      setError(undefined);
    } catch (err) {
      if (controller.signal.aborted || (err as Error).name === 'AbortError') return;
      setError(err instanceof ApiError ? err : new ApiError({ title: 'Something went wrong', status: 0, detail: String(err) }));
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    void reload();
    return () => current.current?.abort();
  }, deps);

  return { data, error, loading, reload, set: setData };
}
