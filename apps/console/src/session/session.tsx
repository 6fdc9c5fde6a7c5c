import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api, createApiClient, data, getApiKey, signInPath, type Schemas } from '../api';
import { ErrorState, LoadingState } from '../ui';

export type Session = Schemas['SessionDto'];

const SessionContext = createContext<Session | null>(null);

/** The signed-in key's tenant and scopes (inside RequireSession only). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside RequireSession');
  return session;
}

/** Checks a key before keeping it: its session, or the API's refusal (no redirect: sign-in shows it). */
export function checkKey(key: string): Promise<Session> {
  const client = createApiClient(
    () => key,
    () => undefined,
  );
  return data(client.GET('/api/v1/session'));
}

/** Pages behind sign-in: no key goes to /sign-in?next=…; a refused key too (the client does that on 401). */
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const key = getApiKey();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    data(api.GET('/api/v1/session')).then(
      (s) => !cancelled && setSession(s),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [key]);

  if (!key) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  if (error) return <ErrorState error={error} title="Could not check your API key" />;
  if (!session) return <LoadingState label="Checking your API key…" />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
