// Who is signed in. The session (token and user) lives in localStorage so a reload keeps
// it; a 401 from any request, or the token's expiry time passing, signs the person out.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApi, type Api } from '../api/client';
import { STAFF_ROLES, type Role, type Session } from '../api/types';

const STORAGE_KEY = 'fieldflow.session';

interface AuthState {
  session: Session | undefined;
  /** Why the last session ended, when it was not the person's choice. */
  endedBecause: string | undefined;
  api: Api;
  signIn(email: string, password: string): Promise<Session>;
  signOut(reason?: string): void;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

function tokenExpiry(token: string): number | undefined {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return claims.exp ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function storedSession(): Session | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    const expiry = tokenExpiry(session.token);
    if (expiry !== undefined && expiry <= Date.now()) {
      localStorage.removeItem(STORAGE_KEY);
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [endedBecause, setEndedBecause] = useState<string>();
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const signOut = useCallback((reason?: string) => {
    localStorage.removeItem(STORAGE_KEY);
    setEndedBecause(reason);
    setSession(undefined);
  }, []);

  const api = useMemo(
    () => createApi(() => sessionRef.current?.token, () => signOut('Your session has expired. Sign in again to carry on.')),
    [signOut],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const answer = await api.post<Session>('/auth/login', { email, password });
      localStorage.setItem(STORAGE_KEY, JSON.stringify(answer));
      setEndedBecause(undefined);
      setSession(answer);
      return answer;
    },
    [api],
  );

  // Sign out when the token runs out, rather than at the next failing request.
  useEffect(() => {
    const expiry = session && tokenExpiry(session.token);
    if (!expiry) return;
    const timer = window.setTimeout(() => signOut('Your session has expired. Sign in again to carry on.'), Math.max(0, Math.min(expiry - Date.now(), 2 ** 31 - 1)));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  // Another tab signed in or out.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === STORAGE_KEY) setSession(storedSession());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const value = useMemo(() => ({ session, endedBecause, api, signIn, signOut }), [session, endedBecause, api, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

export const useApi = (): Api => useAuth().api;

/** The signed-in session; only for pages behind RequireAuth. */
export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('useSession without a session');
  return session;
}

export const isStaff = (role: Role): boolean => STAFF_ROLES.includes(role);

export const roleLabel: Record<Role, string> = {
  admin: 'Admin',
  supervisor: 'Supervisor',
  ops: 'Operations',
  installer: 'Installer',
  customer: 'Customer',
};
