/**
 * The approver's queue (R16): submitted entries, filtered by contract and dates; approve in
 * bulk or one at a time with a billable quantity (R11), reject with a reason (R16), and
 * cancel an approval (R13) from the approved list.
 */
import { useEffect, useState } from 'react';
import { BulkOutcome, type BulkSummary } from '../components/BulkOutcome';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { GatedButton } from '../components/Gated';
import { Money } from '../components/Money';
import { post, type BulkResult } from '../lib/api';
import { useKeysetList } from '../lib/keyset-list';
import { formatDate } from '../lib/dates';
import { formatDecimal } from '../lib/decimal';
import { ContractFilter } from '../components/SearchCombobox';
import { nameOf } from './backlog-views';

interface Entry {
  id: string;
  contractId: string;
  contractLineId: string;
  transactionClass: string;
  date: string;
  quantity: string;
  unitPrice: string;
  resource: string | null;
  role: string | null;
  description: string | null;
  status: string;
  billableQuantity?: string | null;
  /** Sent by the server beside the ids (no page loads every contract). */
  contractName?: string;
  contractLineName?: string;
  currency?: string;
}

type Queue = 'Submitted' | 'Approved';

function EntryActions({
  entry,
  onDone,
}: {
  entry: Entry;
  onDone: (message: string) => Promise<void>;
}) {
  const [mode, setMode] = useState<'none' | 'approve' | 'reject'>('none');
  const [billable, setBillable] = useState(entry.quantity);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const act = async (fn: () => Promise<string>) => {
    setProblem(null);
    try {
      await onDone(await fn());
      setMode('none');
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  const who = `entry of ${formatDate(entry.date)}${entry.resource ? ` by ${entry.resource}` : ''}`;
  if (entry.status === 'Approved') {
    return (
      <>
        <GatedButton
          need="approve"
          className="secondary"
          aria-label={`Cancel approval of ${who}`}
          onClick={() =>
            void act(async () => {
              await post(`/entries/${entry.id}/cancel-approval`);
              return `Approval of the ${who} cancelled; its actuals were reversed.`;
            })
          }
        >
          Cancel approval
        </GatedButton>
        <ProblemSummary problem={problem} fields={[]} />
      </>
    );
  }
  return (
    <div className="entry-actions">
      {mode === 'none' && (
        <>
          <GatedButton
            need="approve"
            aria-label={`Approve ${who} with a billable quantity`}
            onClick={() => setMode('approve')}
          >
            Approve…
          </GatedButton>
          <GatedButton
            need="approve"
            className="secondary"
            aria-label={`Reject ${who}`}
            onClick={() => setMode('reject')}
          >
            Reject…
          </GatedButton>
        </>
      )}
      {mode === 'approve' && (
        <form
          className="edit-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await post(`/entries/${entry.id}/approve`, { billableQuantity: billable });
              return `Approved the ${who} with ${billable} billable.`;
            });
          }}
        >
          <label>
            Billable quantity
            <input
              inputMode="decimal"
              value={billable}
              onChange={(e) => setBillable(e.target.value)}
            />
          </label>
          <button type="submit">Approve</button>
          <button type="button" className="secondary" onClick={() => setMode('none')}>
            Cancel
          </button>
        </form>
      )}
      {mode === 'reject' && (
        <form
          className="edit-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await post(`/entries/${entry.id}/reject`, { reason });
              return `Rejected the ${who}.`;
            });
          }}
        >
          <label>
            Reason for rejecting
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          </label>
          <button type="submit">Reject</button>
          <button type="button" className="secondary" onClick={() => setMode('none')}>
            Cancel
          </button>
        </form>
      )}
      <ProblemSummary problem={problem} fields={[]} />
    </div>
  );
}

export function ApprovalsPage() {
  const [queue, setQueue] = useState<Queue>('Submitted');
  const [contractId, setContractId] = useState('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkSummary | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const {
    items: entries,
    setItems: setEntries,
    problem,
    reload,
    more,
  } = useKeysetList<Entry>('/entries', {
    status: queue,
    contractId,
    dateFrom,
    dateTo,
    limit: 200,
  });
  // Another queue or other filters: what was picked is no longer on screen.
  useEffect(() => setSelected(new Set()), [queue, contractId, dateFrom, dateTo]);

  // An entry that was acted on leaves the queue in the same render that reports the outcome,
  // so its buttons are never on screen beside a message saying it is done (the reload follows).
  const leaveQueue = (ids: string[]) => {
    const gone = new Set(ids);
    setEntries((prev) => prev.filter((e) => !gone.has(e.id)));
  };
  const byId = new Map(entries.map((e) => [e.id, e]));
  const label = (id: string) => {
    const e = byId.get(id);
    return e ? `${formatDate(e.date)} ${e.resource ?? ''} ${e.quantity}`.trim() : `#${id}`;
  };
  const approveSelected = async () => {
    const ids = [...selected];
    const { results } = await post<{ results: BulkResult[] }>('/entries/approve', { ids });
    leaveQueue(results.filter((r) => r.ok).map((r) => r.id));
    setOutcome({ verb: 'Approved', results, label });
    setMessage(null);
    setSelected(new Set(results.filter((r) => !r.ok).map((r) => r.id)));
    await reload();
  };
  const allSelected = entries.length > 0 && entries.every((e) => selected.has(e.id));

  return (
    <div className="page">
      <h1>Approvals</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Show
          <select value={queue} onChange={(e) => setQueue(e.target.value as Queue)}>
            <option value="Submitted">Awaiting approval</option>
            <option value="Approved">Approved (to cancel an approval)</option>
          </select>
        </label>
        <ContractFilter value={contractId} onChange={setContractId} />
        <label>
          From
          <input type="date" value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={dateTo} onChange={(e) => setDateTo(e.target.value)} />
        </label>
      </form>
      <ProblemSummary problem={problem} fields={[]} />
      {queue === 'Submitted' && selected.size > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span>
            <strong>{selected.size}</strong> selected
          </span>
          <GatedButton need="approve" onClick={() => void approveSelected()}>
            Approve selected
          </GatedButton>
          <button type="button" className="secondary" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      )}
      {outcome && <BulkOutcome {...outcome} />}
      {message && (
        <p className="message" role="status">
          {message}
        </p>
      )}
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              {queue === 'Submitted' && (
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select all entries"
                    checked={allSelected}
                    onChange={() =>
                      setSelected(allSelected ? new Set() : new Set(entries.map((e) => e.id)))
                    }
                  />
                </th>
              )}
              <th>Date</th>
              <th>Contract</th>
              <th>Line</th>
              <th>Class</th>
              <th>Resource</th>
              <th>Description</th>
              <th className="right">Quantity</th>
              <th className="right">Unit price</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const currency = e.currency;
              return (
                <tr key={e.id} data-entry-id={e.id}>
                  {queue === 'Submitted' && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select entry of ${formatDate(e.date)}${e.description ? ` (${e.description})` : ''}`}
                        checked={selected.has(e.id)}
                        onChange={() =>
                          setSelected((s) => {
                            const next = new Set(s);
                            if (next.has(e.id)) next.delete(e.id);
                            else next.add(e.id);
                            return next;
                          })
                        }
                      />
                    </td>
                  )}
                  <td>{formatDate(e.date)}</td>
                  <td>{nameOf(e.contractName, e.contractId)}</td>
                  <td>{nameOf(e.contractLineName, e.contractLineId)}</td>
                  <td>{e.transactionClass}</td>
                  <td>{e.resource ?? ''}</td>
                  <td>{e.description ?? ''}</td>
                  <td className="right num">{formatDecimal(e.quantity)}</td>
                  <td className="right">
                    <Money value={e.unitPrice} currency={currency} />
                  </td>
                  <td>
                    <EntryActions
                      entry={e}
                      onDone={async (text) => {
                        leaveQueue([e.id]);
                        setMessage(text);
                        setOutcome(null);
                        await reload();
                      }}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {entries.length === 0 && (
          <p className="empty">
            {queue === 'Submitted'
              ? 'No entries are waiting for approval.'
              : 'No approved entries.'}
          </p>
        )}
      </div>
      {more && (
        <button type="button" className="secondary load-more" onClick={() => void more()}>
          Load more
        </button>
      )}
    </div>
  );
}
