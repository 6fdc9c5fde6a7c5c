import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { setApiKey } from '../../api';
import { checkKey } from '../../session/session';
import { ErrorState } from '../../ui';

/** Only same-site paths: `next` comes from the URL, which anyone can write. */
const safeNext = (next: string | null): string =>
  next && next.startsWith('/') && !next.startsWith('//') ? next : '/jobs';

/** Sign in with an API key: checked against the API, then kept in this tab's sessionStorage only. */
export default function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await checkKey(key.trim());
      setApiKey(key.trim());
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>Transcode Flow</h1>
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <p className="muted">
          Use an API key (<code>tfk_…</code>; <code>npm run key</code> prints the local admin key). It is kept for this
          browser tab only.
        </p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error !== null && <ErrorState error={error} title="This key was refused" />}
      </form>
    </main>
  );
}
