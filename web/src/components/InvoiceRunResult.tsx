/**
 * The result area of an invoice run (R66): the invoices a preview would create or a run
 * created, and, when there are none, why. Kept apart from the run form so a job's progress
 * view (R95) can take its place.
 */
import { Link } from './Link';
import { Money } from './Money';
import { formatDate } from '../lib/dates';
import type { Invoice } from '../lib/model';
import { nameOf } from '../pages/backlog-views';

export interface RunOutcome {
  runDate: string;
  dryRun: boolean;
  invoices: Invoice[];
  /** Why nothing would be (or was) created, in words; empty when invoices exist. */
  reasons: string[];
  /** How many were created when `invoices` lists only the first of them (a large job). */
  total?: number;
}

export function InvoiceRunResult({ outcome }: { outcome: RunOutcome }) {
  const { invoices, dryRun, runDate } = outcome;
  const total = outcome.total ?? invoices.length;
  const count = `${total} invoice${total === 1 ? '' : 's'}`;
  return (
    <section aria-label="Run result" className="run-result">
      <p role="status">
        {dryRun
          ? `Preview for ${formatDate(runDate)}: ${count} would be created. Nothing has been written.`
          : `Invoice run for ${formatDate(runDate)} created ${count}.`}
      </p>
      {invoices.length === 0 && outcome.reasons.length > 0 && (
        <div className="explain" aria-label="Why nothing">
          <p>Why:</p>
          <ul>
            {outcome.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {invoices.length < total && (
        <p className="muted">
          The first {invoices.length} are listed here; the Invoices page lists them all.
        </p>
      )}
      {invoices.length > 0 && (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th>Invoice</th>
                <th>Contract</th>
                <th>Customer</th>
                <th className="right">Total</th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((inv, i) => (
                <tr key={inv.id ?? `preview-${i}`}>
                  <td>
                    {inv.id ? (
                      <Link href={`/invoices/${inv.id}`}>{`Draft #${inv.id}`}</Link>
                    ) : (
                      '(preview)'
                    )}
                  </td>
                  <td>{nameOf(inv.contractName, inv.contractId)}</td>
                  <td>{nameOf(inv.customerName, inv.customerId)}</td>
                  <td className="right">
                    <Money value={inv.total} currency={inv.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
