/** The global audit trail, newest first, filtered by record type, record, action, actor, contract. */
import { useState } from 'react';
import { AuditTable, type AuditEvent } from '../components/AuditTrail';
import { ProblemSummary } from '../components/FormErrors';
import { ContractFilter } from '../components/SearchCombobox';
import { useKeysetList } from '../lib/keyset-list';

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
  const {
    items: events,
    problem,
    more,
  } = useKeysetList<AuditEvent>('/audit-events', {
    entityType,
    entityId: entityId.trim(),
    action: action.trim(),
    actor: actor.trim(),
    contractId,
    order: 'desc',
    limit: 100,
  });
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
        <ContractFilter value={contractId} onChange={setContractId} />
      </form>
      <ProblemSummary problem={problem} fields={[]} />
      <AuditTable events={events} showEntity />
      {more && (
        <button type="button" className="secondary load-more" onClick={() => void more()}>
          Load more
        </button>
      )}
    </div>
  );
}
