/** API tokens (admin): create one (its secret shown once), list them, revoke one. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ConfirmAction } from '../components/ConfirmDialog';
import { FieldMessage, FormProblem, ProblemSummary } from '../components/FormErrors';
import { del, get, post, type Page } from '../lib/api';
import { formatDate } from '../lib/dates';
import { useAllowance } from '../lib/me';

interface Token {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  revokedAt: string | null;
}

const ROLES = ['viewer', 'biller', 'approver', 'admin'];

export function TokensPage() {
  const allowance = useAllowance('admin');
  const [tokens, setTokens] = useState<Token[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState('biller');
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const load = useCallback(async () => {
    try {
      setTokens((await get<Page<Token>>('/tokens')).items);
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  }, []);
  useEffect(() => {
    if (allowance.allowed) void load();
  }, [allowance.allowed, load]);

  if (!allowance.allowed) {
    return (
      <div className="page">
        <h1>API tokens</h1>
        <p role="status">{allowance.reason}</p>
      </div>
    );
  }
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const created = await post<{ name: string; token: string }>('/tokens', { name, role });
      setSecret({ name: created.name, token: created.token });
      setName('');
      await load();
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  return (
    <div className="page">
      <h1>API tokens</h1>
      <form className="card" onSubmit={create} aria-labelledby="new-token">
        <h2 id="new-token">New token</h2>
        <ProblemSummary problem={problem} fields={['name', 'role']} />
        <div className="row">
          <label>
            Token name
            <input name="tokenName" value={name} onChange={(e) => setName(e.target.value)} />
            <FieldMessage problem={problem} field="name" />
          </label>
          <label>
            Role
            <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Create token</button>
        </div>
      </form>
      {secret && (
        <section className="card" aria-label="New token secret" role="alert">
          <p>
            Token “{secret.name}” created. Copy it now: it is shown only this once and stored only
            as a hash.
          </p>
          <p className="secret" data-testid="token-secret">
            {secret.token}
          </p>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            I have copied it
          </button>
        </section>
      )}
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created</th>
              <th>Status</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-token-id={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{formatDate(t.createdAt.slice(0, 10))}</td>
                <td>
                  {t.revokedAt ? `Revoked ${formatDate(t.revokedAt.slice(0, 10))}` : 'Active'}
                </td>
                <td>
                  {!t.revokedAt && (
                    <ConfirmAction
                      need="admin"
                      secondary
                      danger
                      label={`Revoke ${t.name}`}
                      title={`Revoke the token “${t.name}”?`}
                      confirmLabel="Yes, revoke it"
                      onConfirm={async () => {
                        await del(`/tokens/${t.id}`);
                        await load();
                      }}
                    >
                      <p>Whoever uses this token is refused from now on. This cannot be undone.</p>
                    </ConfirmAction>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {tokens.length === 0 && <p className="empty">No tokens yet.</p>}
      </div>
    </div>
  );
}
