/** The global audit trail, newest first, filtered by record type, record, action, actor, contract. */
import { useCallback, useEffect, useState } from 'react';
import { AuditTable, type AuditEvent } from '../components/AuditTrail';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { SearchCombobox } from '../components/SearchCombobox';
import { get, type Page } from '../lib/api';

const TYPES = [
  'Contract',
  'ContractCustomer',
  'ContractLine',
  'LineCustomer',
  'Entry',
  'Actual',
  'MilestoneSplit',
  'Retainer',
  'Invoice',
  'ApiToken',
];

export function AuditPage() {
  const [entityType, setEntityType] = useState('');
  const [entityId, setEntityId] = useState('');
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [contractId, setContractId] = useState('');
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const load = useCallback(
    async (after: string | null = null) => {
      try {
        setProblem(null);
        const page = await get<Page<AuditEvent>>('/audit-events', {
          entityType,
          entityId: entityId.trim(),
          action: action.trim(),
          actor: actor.trim(),
          contractId,
          order: 'desc',
          limit: 100,
          cursor: after,
        });
        setEvents((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setProblem(FormProblem.from(e));
      }
    },
    [entityType, entityId, action, actor, contractId],
  );
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="page">
      <h1>Audit trail</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Record type
          <select value={entityType} onChange={(e) => setEntityType(e.target.value)}>
            <option value="">All</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Record id
          <input value={entityId} onChange={(e) => setEntityId(e.target.value)} />
        </label>
        <label>
          Action
          <input value={action} onChange={(e) => setAction(e.target.value)} />
        </label>
        <label>
          Who
          <input
            value={actor}
            placeholder="token:12 or admin-token"
            onChange={(e) => setActor(e.target.value)}
          />
        </label>
        <SearchCombobox
          kind="contracts"
          label="Contract"
          name="contractId"
          placeholder="All contracts"
          value={contractId}
          onChange={setContractId}
        />
      </form>
      <ProblemSummary problem={problem} fields={[]} />
      <AuditTable events={events} showEntity />
      {cursor && (
        <button type="button" className="secondary load-more" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </div>
  );
}
