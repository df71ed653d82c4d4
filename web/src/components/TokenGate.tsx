/**
 * Asks once for an API token and keeps it in localStorage. The server accepts the
 * ADMIN_TOKEN it was started with, or a token made with POST /api/v1/tokens.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { get, getToken, setToken } from '../lib/api';

export function TokenGate({ children }: { children: ReactNode }) {
  const [token, setTokenState] = useState(getToken());
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const onChange = () => setTokenState(getToken());
    const onUnauthorized = () => {
      setError('The saved token was refused. Enter a valid token.');
      setToken(null);
    };
    window.addEventListener('billing-backlog-token', onChange);
    window.addEventListener('billing-backlog-unauthorized', onUnauthorized);
    return () => {
      window.removeEventListener('billing-backlog-token', onChange);
      window.removeEventListener('billing-backlog-unauthorized', onUnauthorized);
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = draft.trim();
    if (!value) return;
    setToken(value);
    try {
      await get('/customers', { limit: 1 });
      setError(null);
    } catch {
      // The unauthorised event already cleared it and set the message.
    }
  };

  if (token) return <>{children}</>;
  return (
    <main className="token-gate">
      <form onSubmit={submit} aria-labelledby="token-title">
        <h1 id="token-title">Billing backlog</h1>
        <p>
          Enter your API token. An administrator starts the server with <code>ADMIN_TOKEN</code>{' '}
          set, or creates a token for you with <code>POST /api/v1/tokens</code>.
        </p>
        <label>
          API token
          <input
            name="token"
            type="password"
            autoComplete="off"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            autoFocus
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
