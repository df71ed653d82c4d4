/** R74: an invoice's tax by (category, rate), with exemption reasons. */
import { CATEGORY_NAMES, type TaxedInvoice } from '../lib/invoicing';
import { Money } from './Money';

export function TaxBreakdownTable({ invoice }: { invoice: TaxedInvoice }) {
  // A server without R74's fields says nothing about tax: show nothing rather than "no tax".
  if (invoice.taxBreakdown === undefined) return null;
  const lines = invoice.taxBreakdown;
  return (
    <section className="card" aria-labelledby="tax-breakdown">
      <h3 id="tax-breakdown">Tax breakdown</h3>
      {lines.length === 0 ? (
        <p className="empty">No tax on this invoice (no detail has a tax code).</p>
      ) : (
        <div className="table-wrap">
          <table className="grid compact">
            <thead>
              <tr>
                <th>VAT category</th>
                <th className="right">Rate</th>
                <th className="right">Taxable amount</th>
                <th className="right">Tax</th>
                <th>Exemption reason</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((t) => (
                <tr key={`${t.category}-${t.rate}`}>
                  <td>
                    {CATEGORY_NAMES[t.category] ?? t.category} ({t.category})
                  </td>
                  <td className="right num">{t.rate} %</td>
                  <td className="right">
                    <Money value={t.taxableAmount} currency={invoice.currency} />
                  </td>
                  <td className="right">
                    <Money value={t.taxAmount} currency={invoice.currency} />
                  </td>
                  <td>{t.exemptionReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
