/**
 * Invoices: the list (filter by status, contract, customer) and bulk confirm of drafts (each
 * invoice succeeds or fails on its own, R64). Invoice runs have their own page.
 */
import { useState } from 'react';
import { Badge } from '../components/Badge';
import { BulkOutcome } from '../components/BulkOutcome';
import { ConfirmAction, InvoiceImpact } from '../components/ConfirmDialog';
import { Link } from '../components/Link';
import { Money } from '../components/Money';
import { ProblemSummary } from '../components/FormErrors';
import { post, type BulkResult } from '../lib/api';
import { useKeysetList } from '../lib/keyset-list';
import { formatDate } from '../lib/dates';
import type { Invoice } from '../lib/model';
import { ContractFilter, CustomerFilter } from '../components/SearchCombobox';

function InvoiceTable({
  invoices,
  selected,
  onToggle,
  notes = {},
}: {
  invoices: Invoice[];
  selected?: Set<string>;
  onToggle?: (id: string) => void;
  notes?: Record<string, string>;
}) {
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            {onToggle && <th aria-label="Select" />}
            <th>Number</th>
            <th>Status</th>
            <th>Date</th>
            <th>Contract</th>
            <th>Customer</th>
            <th className="right">Subtotal</th>
            <th className="right">Retainers</th>
            <th className="right">Total</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((inv) => (
            <tr
              key={inv.id}
              data-invoice-id={inv.id}
              className={notes[inv.id] ? 'has-error' : undefined}
            >
              {onToggle && (
                <td>
                  {inv.status === 'Draft' && (
                    <input
                      type="checkbox"
                      aria-label={`Select invoice ${inv.id}`}
                      checked={selected?.has(inv.id) ?? false}
                      onChange={() => onToggle(inv.id)}
                    />
                  )}
                </td>
              )}
              <td>
                {inv.id.startsWith('preview') ? (
                  '(preview)'
                ) : (
                  <Link href={`/invoices/${inv.id}`}>{inv.number ?? `Draft #${inv.id}`}</Link>
                )}
                {inv.correctsInvoiceId && <span className="muted"> · correction</span>}
              </td>
              <td>
                <Badge value={inv.status} />
                {notes[inv.id] && (
                  <div className="row-note error" role="alert">
                    {notes[inv.id]}
                  </div>
                )}
              </td>
              <td>{formatDate(inv.invoiceDate)}</td>
              <td>{inv.contractName ?? `#${inv.contractId}`}</td>
              <td>{inv.customerName ?? `#${inv.customerId}`}</td>
              <td className="right">
                <Money value={inv.subtotal} currency={inv.currency} />
              </td>
              <td className="right">
                <Money value={inv.retainerApplied} currency={inv.currency} />
              </td>
              <td className="right">
                <Money value={inv.total} currency={inv.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {invoices.length === 0 && <p className="empty">No invoices.</p>}
    </div>
  );
}

export function InvoicesPage() {
  const [status, setStatus] = useState('');
  const [contractId, setContractId] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<BulkResult[] | null>(null);
  const {
    items: invoices,
    problem,
    reload,
    more,
  } = useKeysetList<Invoice>('/invoices', { status, contractId, customerId, limit: 100 });

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const confirmSelected = async () => {
    const ids = [...selected];
    const { results } = await post<{ results: BulkResult[] }>('/invoices/confirm', { ids });
    const failed: Record<string, string> = {};
    for (const r of results) if (!r.ok) failed[r.id] = r.message ?? r.code ?? 'failed';
    setNotes(failed);
    setSelected(new Set(Object.keys(failed)));
    // The list is reloaded before the outcome shows, so no row still reads Draft beside it.
    await reload();
    setOutcome(results);
  };

  return (
    <div className="page">
      <h1>Invoices</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Status
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            <option value="Draft">Draft</option>
            <option value="Confirmed">Confirmed</option>
          </select>
        </label>
        <ContractFilter value={contractId} onChange={setContractId} />
        <CustomerFilter value={customerId} onChange={setCustomerId} />
      </form>
      {selected.size > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span>
            <strong>{selected.size}</strong> selected
          </span>
          <ConfirmAction
            need="admin"
            label="Confirm selected"
            title={`Confirm ${selected.size} invoice${selected.size === 1 ? '' : 's'}?`}
            confirmLabel={`Yes, confirm ${selected.size} invoice${selected.size === 1 ? '' : 's'}`}
            onConfirm={confirmSelected}
          >
            <InvoiceImpact invoices={invoices.filter((i) => selected.has(i.id))} />
          </ConfirmAction>
          <button type="button" className="secondary" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      )}
      <ProblemSummary problem={problem} fields={[]} />
      {outcome && <BulkOutcome verb="Confirmed" results={outcome} />}
      <InvoiceTable invoices={invoices} selected={selected} onToggle={toggle} notes={notes} />
      {more && (
        <button type="button" className="secondary load-more" onClick={() => void more()}>
          Load more
        </button>
      )}
      <p>
        <Link href="/invoice-runs">Invoice runs: preview and run a date’s invoices →</Link>
      </p>
    </div>
  );
}
