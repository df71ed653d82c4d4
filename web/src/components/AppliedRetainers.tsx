/**
 * The retainers and advances applied to an invoice (R52). On a draft (not a correction) each
 * applied amount can be changed: lowered, set to 0 to take the retainer off, or raised up to
 * what the retainer can still give; the API decides (RETAINER_OVER_AVAILABLE) and its errors
 * show next to the amount. The customer's other available retainers are listed with 0 applied
 * so one taken off can be applied again. Amounts stay decimal strings (R1); "free for this
 * invoice" is an exact decimal sum, never a float.
 */
import { useEffect, useState } from 'react';
import { getAll, patch } from '../lib/api';
import { formatDate } from '../lib/dates';
import { sumDecimals } from '../lib/decimal';
import type { Invoice, Retainer } from '../lib/model';
import { FieldMessage, FormProblem } from './FormErrors';
import { Money } from './Money';

/** What the retainer can give this invoice: available − reserved on drafts + applied here (R53). */
function freeForInvoice(retainer: Retainer, appliedHere: string): string {
  return sumDecimals([retainer.availableAmount, `-${retainer.reservedAmount}`, appliedHere]);
}

function RetainerRow({
  invoice,
  retainerId,
  retainer,
  applied,
  editable,
  onChange,
}: {
  invoice: Invoice;
  retainerId: string;
  retainer: Retainer | undefined;
  applied: string;
  editable: boolean;
  onChange: (invoice: Invoice) => void;
}) {
  const [amount, setAmount] = useState(applied);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = amount.trim() !== applied;
  const inputId = `retainer-amount-${retainerId}`;
  const errorId = `${inputId}-error`;
  const save = async () => {
    if (!dirty || busy) return;
    setProblem(null);
    setBusy(true);
    try {
      // R52: the API refuses raising above what is available (RETAINER_OVER_AVAILABLE) and
      // anything that is not an amount of 0 or more; nothing changes then.
      onChange(
        await patch<Invoice>(`/invoices/${invoice.id}/retainers/${retainerId}`, {
          amount: amount.trim(),
        }),
      );
    } catch (e) {
      setProblem(FormProblem.from(e));
    } finally {
      setBusy(false);
    }
  };
  const label = retainer
    ? `${retainer.kind} #${retainerId} of ${formatDate(retainer.date)}`
    : `Retainer #${retainerId}`;
  const fieldErrors = problem?.for('amount') ?? [];
  return (
    <tr data-retainer-id={retainerId} className={problem ? 'has-error' : undefined}>
      <td>{label}</td>
      <td className="right">
        {retainer ? <Money value={retainer.amount} currency={invoice.currency} /> : '—'}
      </td>
      <td className="right">
        {retainer ? <Money value={retainer.availableAmount} currency={invoice.currency} /> : '—'}
      </td>
      {editable && (
        <td className="right" data-testid="retainer-free">
          {retainer ? (
            <Money value={freeForInvoice(retainer, applied)} currency={invoice.currency} />
          ) : (
            '—'
          )}
        </td>
      )}
      <td className="right" data-testid="retainer-applied">
        {editable ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label className="sr-only" htmlFor={inputId}>
              Amount applied from {label}
            </label>
            <input
              id={inputId}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              size={10}
              value={amount}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? errorId : undefined}
              onChange={(e) => setAmount(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setAmount(applied);
                  setProblem(null);
                }
              }}
            />{' '}
            <button type="submit" disabled={!dirty || busy}>
              Apply
            </button>
            {problem && (
              <div id={errorId}>
                {fieldErrors.length > 0 ? (
                  <FieldMessage problem={problem} field="amount" />
                ) : (
                  <span className="field-error" role="alert">
                    {problem.detail}
                  </span>
                )}
              </div>
            )}
          </form>
        ) : (
          <Money value={applied} currency={invoice.currency} />
        )}
      </td>
    </tr>
  );
}

export function AppliedRetainers({
  invoice,
  onChange,
}: {
  invoice: Invoice;
  onChange: (invoice: Invoice) => void;
}) {
  // R52: a correction never draws retainers, a confirmed invoice is never edited (R63).
  const editable = invoice.status === 'Draft' && !invoice.correctsInvoiceId;
  const [retainers, setRetainers] = useState<Retainer[]>([]);
  // The customer's available retainers, read again whenever the applied amounts change (their
  // reserved amounts change with them).
  useEffect(() => {
    if (!editable && invoice.appliedRetainers.length === 0) return;
    let live = true;
    getAll<Retainer>('/backlog/available-retainers-and-advances', {
      contractId: invoice.contractId,
      customerId: invoice.customerId,
    })
      .then((rows) => {
        if (live) setRetainers(rows);
      })
      .catch(() => {
        // Without the view the rows show the applied amounts only.
      });
    return () => {
      live = false;
    };
  }, [
    editable,
    invoice.contractId,
    invoice.customerId,
    invoice.retainerApplied,
    invoice.appliedRetainers.length,
  ]);

  const byId = new Map(retainers.map((r) => [r.id, r]));
  const applied = new Map(invoice.appliedRetainers.map((a) => [a.retainerId, a.amount]));
  const rows = [
    ...invoice.appliedRetainers.map((a) => a.retainerId),
    ...(editable ? retainers.map((r) => r.id).filter((id) => !applied.has(id)) : []),
  ];
  if (rows.length === 0) return null;
  return (
    <section className="card" aria-labelledby="applied-retainers-heading">
      <h3 id="applied-retainers-heading">Retainers and advances applied</h3>
      {editable && (
        <p className="muted">
          Lower an amount, or raise it up to what the retainer is free to give this invoice
          (available, less what other drafts reserve); 0 takes it off. Enter applies, Escape undoes.
        </p>
      )}
      <div className="table-wrap">
        <table className="grid compact">
          <thead>
            <tr>
              <th>Retainer</th>
              <th className="right">Amount</th>
              <th className="right">Available</th>
              {editable && <th className="right">Free for this invoice</th>}
              <th className="right">Applied here</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((id) => {
              const amount = applied.get(id) ?? '0';
              return (
                <RetainerRow
                  key={`${id}-${amount}`}
                  invoice={invoice}
                  retainerId={id}
                  retainer={byId.get(id)}
                  applied={amount}
                  editable={editable}
                  onChange={onChange}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
