/**
 * R75: an invoice's terms and references: due date, purchase order, buyer reference, note.
 * On a draft they (and the invoice date) can be edited; once confirmed they are frozen (R76).
 */
import { useState, type FormEvent } from 'react';
import { patch } from '../lib/api';
import { formatDate } from '../lib/dates';
import { text, type TaxedInvoice } from '../lib/invoicing';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';

const FIELDS = ['invoiceDate', 'purchaseOrder', 'buyerReference', 'note'] as const;
type Field = (typeof FIELDS)[number];

const LABELS: Record<Field, string> = {
  invoiceDate: 'Invoice date',
  purchaseOrder: 'Purchase order',
  buyerReference: 'Buyer reference',
  note: 'Note',
};

export function InvoiceParticulars({
  invoice,
  onChange,
}: {
  invoice: TaxedInvoice;
  onChange: (invoice: TaxedInvoice) => void;
}) {
  const [editing, setEditing] = useState(false);
  const initial = (): Record<Field, string> => ({
    invoiceDate: invoice.invoiceDate,
    purchaseOrder: text(invoice.purchaseOrder),
    buyerReference: text(invoice.buyerReference),
    note: text(invoice.note),
  });
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const draftInvoice = invoice.status === 'Draft';

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const before = initial();
    const body: Record<string, string | null> = {};
    for (const f of FIELDS) {
      if (draft[f] === before[f]) continue;
      body[f] = f === 'invoiceDate' ? draft[f].trim() : draft[f].trim() || null;
    }
    try {
      onChange(await patch<TaxedInvoice>(`/invoices/${invoice.id}`, body));
      setEditing(false);
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };

  return (
    <section aria-label="Terms and references">
      <dl className="facts">
        <div>
          <dt>Due date</dt>
          <dd data-testid="invoice-due-date">{formatDate(invoice.dueDate) || '—'}</dd>
        </div>
        <div>
          <dt>Purchase order</dt>
          <dd>{invoice.purchaseOrder || '—'}</dd>
        </div>
        <div>
          <dt>Buyer reference</dt>
          <dd>{invoice.buyerReference || '—'}</dd>
        </div>
        {invoice.note && (
          <div>
            <dt>Note</dt>
            <dd>{invoice.note}</dd>
          </div>
        )}
        {invoice.seller && (
          <div>
            <dt>Seller</dt>
            <dd>{invoice.seller.legalName}</dd>
          </div>
        )}
        {invoice.buyer && (
          <div>
            <dt>Bill to</dt>
            <dd>{invoice.buyer.legalName}</dd>
          </div>
        )}
      </dl>
      {draftInvoice && !editing && (
        <button
          type="button"
          className="secondary"
          onClick={() => (setDraft(initial()), setEditing(true))}
        >
          Edit terms and references
        </button>
      )}
      {draftInvoice && editing && (
        <form className="card" onSubmit={save} aria-label="Edit terms and references">
          <ProblemSummary problem={problem} fields={[...FIELDS]} />
          <div className="row">
            {FIELDS.map((f) => (
              <label key={f}>
                {LABELS[f]}
                <input
                  name={f}
                  type={f === 'invoiceDate' ? 'date' : 'text'}
                  size={f === 'note' ? 40 : undefined}
                  value={draft[f]}
                  onChange={(e) => setDraft((d) => ({ ...d, [f]: e.target.value }))}
                />
                <FieldMessage problem={problem} field={f} />
              </label>
            ))}
          </div>
          <button type="submit">Save terms</button>{' '}
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
