import type { InvoiceView } from '../../commands/readInvoices.js';
import { invoiceTotals } from '../../domain/invoice-totals.js';
import { money, unitPriceText } from '../../views/presenters/money.js';

const RETAINER_LINE = 'retainers';

/** An invoice as the API shows it (spec §5): lines of details, applied retainers, totals (R61). */
export function presentInvoice({ invoice, details, appliedRetainers }: InvoiceView) {
  const currency = invoice.currency;
  const applied = appliedRetainers.reduce((sum, r) => sum + r.amount, 0n);
  const totals = invoiceTotals(
    details.map((d) => ({
      lineKey: d.contract_line_id ?? RETAINER_LINE,
      amount: BigInt(d.amount),
      billingType: d.billing_type,
    })),
    applied,
  );
  // One line per contract line, in line id order; the retainer line (null) last.
  const lineKeys = [...totals.lines.keys()].sort((a, b) =>
    a === RETAINER_LINE ? 1 : b === RETAINER_LINE ? -1 : Number(BigInt(a) - BigInt(b)),
  );
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    contractId: invoice.contract_id,
    customerId: invoice.customer_id,
    currency,
    invoiceDate: invoice.invoice_date,
    ...(invoice.corrects_invoice_id ? { correctsInvoiceId: invoice.corrects_invoice_id } : {}),
    createdAt: invoice.created_at.toISOString(),
    confirmedAt: invoice.confirmed_at ? invoice.confirmed_at.toISOString() : null,
    lines: lineKeys.map((key) => ({
      contractLineId: key === RETAINER_LINE ? null : key,
      amount: money(totals.lines.get(key) ?? 0n, currency),
      details: details
        .filter((d) => (d.contract_line_id ?? RETAINER_LINE) === key)
        .map((d) => ({
          id: d.id,
          sourceType: d.source_type,
          sourceId: d.source_id,
          kind: d.kind,
          ...(d.corrects_detail_id ? { correctsDetailId: d.corrects_detail_id } : {}),
          transactionClass: d.transaction_class,
          date: d.date,
          originalQuantity: d.original_quantity,
          quantity: d.quantity,
          unitPrice: unitPriceText(d.unit_price, currency),
          originalAmount: money(d.original_amount, currency),
          amount: money(d.amount, currency),
          billingType: d.billing_type,
        })),
    })),
    appliedRetainers: appliedRetainers.map((r) => ({
      retainerId: r.retainerId,
      amount: money(r.amount, currency),
    })),
    subtotal: money(totals.subtotal, currency),
    retainerApplied: money(totals.retainerApplied, currency),
    total: money(totals.total, currency),
  };
}
