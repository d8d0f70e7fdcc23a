// One Server-Sent Events stream per page: GET /stream (optionally for one project),
// opened with a short-lived ticket from POST /stream/tickets (never the bearer token in
// a URL); when the ticket expires the server says `expired` and we open a new one. On
// each `change` the page refetches what it shows, debounced so a burst of changes costs
// one refetch; a `resync` (the server's database listener reconnected) refetches too.
// EventSource reconnects by itself after a dropped connection; when the
// server refuses it (the token expired), the stream closes and we ask /auth/me, which
// signs the person out on a 401, or else reconnect a little later.
import { useEffect, useRef, useState } from 'react';
import type { ChangeNotice } from '../api/types';
import { useAuth } from '../auth/session';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

const DEBOUNCE_MS = 150;
const RETRY_MS = 3000;

export function useLiveChanges(options: { projectId?: string; enabled?: boolean }, onChange: (notices: ChangeNotice[]) => void): LiveStatus {
  const { session, api } = useAuth();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onChange);
  handler.current = onChange;
  const token = session?.token;
  const { projectId, enabled = true } = options;

  useEffect(() => {
    if (!token || !enabled) return;
    let source: EventSource | undefined;
    let retry: number | undefined;
    let debounce: number | undefined;
    let pending: ChangeNotice[] = [];
    let stopped = false;
    let everOpen = false;

    const flush = () => {
      const notices = pending;
      pending = [];
      handler.current(notices);
    };

    const connect = async () => {
      let ticket: string;
      try {
        ({ ticket } = await api.post<{ ticket: string }>('/stream/tickets'));
      } catch {
        // A 401 signs out through the API client; anything else: try again shortly.
        if (!stopped) retry = window.setTimeout(connect, RETRY_MS);
        return;
      }
      if (stopped) return;
      const params = new URLSearchParams({ ticket });
      if (projectId) params.set('projectId', projectId);
      source = new EventSource(`/stream?${params}`);
      source.addEventListener('expired', () => {
        source?.close();
        if (!stopped) void connect();
      });
      source.onopen = () => {
        setStatus('live');
        // Back after a gap: whatever changed meanwhile was missed, so refetch once.
        if (everOpen) flush();
        everOpen = true;
      };
      // The server's LISTEN session was lost and is back: changes may have been missed
      // without the stream dropping, so refetch once.
      source.addEventListener('resync', () => {
        window.clearTimeout(debounce);
        debounce = window.setTimeout(flush, DEBOUNCE_MS);
      });
      source.addEventListener('change', (event) => {
        try {
          pending.push(JSON.parse((event as MessageEvent<string>).data) as ChangeNotice);
        } catch {
          return;
        }
        window.clearTimeout(debounce);
        debounce = window.setTimeout(flush, DEBOUNCE_MS);
      });
      source.onerror = () => {
        setStatus('reconnecting');
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        // Refused rather than dropped: a 401 here signs out through the API client.
        void api.get('/auth/me').then(
          () => {
            if (!stopped) retry = window.setTimeout(connect, RETRY_MS);
          },
          () => {
            if (!stopped) retry = window.setTimeout(connect, RETRY_MS);
          },
        );
      };
    };

    void connect();
    return () => {
      stopped = true;
      source?.close();
      window.clearTimeout(retry);
      window.clearTimeout(debounce);
    };
  }, [token, projectId, enabled, api]);

  return status;
}
