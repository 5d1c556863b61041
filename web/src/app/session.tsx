/** Who is using the console: GET /auth/me on load, log-in, log-out and the forced password change. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, onUnauthorized, setCsrfToken } from '../api/client.ts';
import type { Me } from '../api/types.ts';

type Session = {
  me: Me | null;
  /** Admins and monitors with a write session may change the record; the server checks again. */
  canWrite: boolean;
  isMechanism: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  refresh(): Promise<Me>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);

  const refresh = useCallback(async () => {
    const next = await api<Me>('/auth/me');
    setCsrfToken(next.csrfToken);
    setMe(next);
    return next;
  }, []);

  useEffect(() => {
    refresh().catch(() =>
      setMe({
        role: 'public',
        userId: null,
        partyId: null,
        username: 'public',
        csrfToken: null,
        mustChangePassword: false,
        scope: 'read',
      }),
    );
    return onUnauthorized(() => void refresh());
  }, [refresh]);

  const value = useMemo<Session>(() => {
    const role = me?.role ?? 'public';
    return {
      me,
      canWrite: (role === 'admin' || role === 'monitor') && me?.scope === 'write' && !me.mustChangePassword,
      isMechanism: role === 'admin' || role === 'monitor' || role === 'analyst',
      async login(username, password) {
        const result = await api<{ csrfToken: string; mustChangePassword: boolean }>('/auth/login', {
          method: 'POST',
          body: { username, password },
        });
        setCsrfToken(result.csrfToken);
        return refresh();
      },
      async logout() {
        await api('/auth/logout', { method: 'POST' });
        setCsrfToken(null);
        await refresh();
      },
      async changePassword(currentPassword, newPassword) {
        await api('/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
        await refresh();
      },
      refresh,
    };
  }, [me, refresh]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
