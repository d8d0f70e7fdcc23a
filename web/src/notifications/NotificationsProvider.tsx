// The signed-in person's unread count, kept live for the whole console: the shell opens
// one change stream for it, refetches the count when a change brought notifications (or
// after a gap, when changes may have been missed), and lets pages listen to the same
// stream instead of opening another.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { NotificationPage } from '../api/oversight';
import type { ChangeNotice } from '../api/types';
import { useApi, useSession } from '../auth/session';
import { useLiveChanges, type LiveStatus } from '../live/useLiveChanges';

type Listener = (notices: ChangeNotice[]) => void;

interface NotificationsState {
  unread: number | undefined;
  /** Ask the API again (after marking some read). */
  refresh: () => Promise<void>;
  /** Set the count from an answer that carries it. */
  setUnread: (count: number) => void;
  live: LiveStatus;
  /** Follow every change the shell's stream hears; returns how to stop. */
  listen: (listener: Listener) => () => void;
}

const NotificationsContext = createContext<NotificationsState | undefined>(undefined);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { user } = useSession();
  const [unread, setUnread] = useState<number>();
  const listeners = useRef(new Set<Listener>());
  // Customers use the portal, not this console: no stream and no count for them.
  const enabled = user.role !== 'customer';

  const refresh = useCallback(async () => {
    try {
      const page = await api.get<NotificationPage>('/notifications', { query: { limit: 1 } });
      setUnread(page.unreadCount);
    } catch {
      // The count stays as it was; the next change or reconnect asks again.
    }
  }, [api]);

  useEffect(() => {
    if (enabled) void refresh();
  }, [enabled, refresh, user.id]);

  const onChange = useCallback(
    (notices: ChangeNotice[]) => {
      // No notices: back after a gap or a resync, when anything may have been missed.
      if (notices.length === 0 || notices.some((notice) => notice.notified)) void refresh();
      listeners.current.forEach((listener) => listener(notices));
    },
    [refresh],
  );
  const live = useLiveChanges({ enabled }, onChange);

  const listen = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const value = useMemo(() => ({ unread, refresh, setUnread, live, listen }), [unread, refresh, live, listen]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): NotificationsState {
  const state = useContext(NotificationsContext);
  if (!state) throw new Error('useNotifications outside NotificationsProvider');
  return state;
}

/** Calls `onChange` on every change the shell's stream hears, while the page shows. */
export function useShellChanges(onChange: Listener): LiveStatus {
  const { listen, live } = useNotifications();
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => listen((notices) => handler.current(notices)), [listen]);
  return live;
}
