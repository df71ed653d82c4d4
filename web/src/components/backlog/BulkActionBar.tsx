/**
 * The bulk-action bar of a backlog view: how many rows are selected and their sum, the
 * view's actions (for the roles that may take them), and adding the selected ready items to
 * an existing draft invoice of their contract (R69).
 */
import { useState } from 'react';
import { get, post, type BulkResult, type Page } from '../../lib/api';
import type { Invoice } from '../../lib/model';
import { ACTION_LABELS, nameOf, type BacklogRow, type BulkAction } from '../../pages/backlog-views';
import { GatedButton } from '../Gated';
import { Money } from '../Money';

export interface AddToDraft {
  rows: BacklogRow[];
  onDone: (invoice: Invoice, results: BulkResult[]) => Promise<void>;
}

function AddToDraftControl({ rows, onDone }: AddToDraft) {
  const contracts = [...new Set(rows.map((r) => r.contractId).filter(Boolean))] as string[];
  const [drafts, setDrafts] = useState<Invoice[] | null>(null);
  const [draftId, setDraftId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (contracts.length !== 1) return null;
  const contractId = contracts[0]!;
  const contractName = nameOf(rows.find((r) => r.contractName)?.contractName, contractId);
  const open = async () => {
    setProblem(null);
    const page = await get<Page<Invoice>>('/invoices', { status: 'Draft', contractId, limit: 100 });
    setDrafts(page.items.filter((i) => !i.correctsInvoiceId));
    setDraftId(page.items[0]?.id ?? '');
  };
  const add = async () => {
    try {
      const res = await post<{ results: BulkResult[]; invoice: Invoice }>(
        `/invoices/${draftId}/items`,
        { itemIds: rows.map((r) => r.id) },
      );
      setDrafts(null);
      await onDone(res.invoice, res.results);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  if (drafts === null) {
    return (
      <GatedButton need="bill" className="secondary" onClick={() => void open()}>
        Add to a draft…
      </GatedButton>
    );
  }
  if (drafts.length === 0) {
    return <span role="status">No draft invoice of {contractName} to add to.</span>;
  }
  return (
    <span className="edit-form">
      <label>
        Draft invoice
        <select value={draftId} onChange={(e) => setDraftId(e.target.value)}>
          {drafts.map((d) => (
            <option key={d.id} value={d.id}>
              Draft #{d.id} · {nameOf(d.customerName, d.customerId)}
            </option>
          ))}
        </select>
      </label>
      <GatedButton need="bill" onClick={() => void add()}>
        Add to draft
      </GatedButton>
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}

export function BulkActionBar({
  count,
  sum,
  currencies,
  actions,
  busy,
  onAction,
  onClear,
  addToDraft,
}: {
  count: number;
  sum: string | null;
  currencies: Set<string | undefined>;
  actions: BulkAction[];
  busy: boolean;
  onAction: (action: BulkAction) => void;
  onClear: () => void;
  addToDraft?: AddToDraft;
}) {
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
      <span>
        <strong>{count}</strong> selected
        {sum && currencies.size === 1 && (
          <>
            {' · '}
            <Money value={sum} currency={[...currencies][0]} />
          </>
        )}
      </span>
      {actions.map((a) => (
        <GatedButton key={a} need="bill" disabled={busy} onClick={() => onAction(a)}>
          {ACTION_LABELS[a]}
        </GatedButton>
      ))}
      {addToDraft && <AddToDraftControl {...addToDraft} />}
      <button type="button" className="secondary" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
