import type { InvoiceView } from '../../commands/readInvoices.js';
import { invoiceTaxTotals } from '../../domain/invoice-tax.js';
import { invoiceTotals } from '../../domain/invoice-totals.js';
import { formatRate } from '../../domain/tax-codes.js';
import type { Party, SellerParty } from '../../domain/invoice-document.js';
import { frozenParty, frozenSeller } from '../../domain/parties.js';
import { money, unitPriceText } from '../../views/presenters/money.js';

const RETAINER_LINE = 'retainers';

/**
 * An invoice as the API shows it (spec §5): lines of details, applied retainers, totals
 * (R61), terms and references (R75), tax (R73, R74), work detail (R77, R91), and once
 * confirmed the frozen parties (R76).
 */
export function presentInvoice({ invoice, details, appliedRetainers, detailTax }: InvoiceView) {
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
  const tax = invoiceTaxTotals(
    details.map((d) => ({
      amount: BigInt(d.amount),
      billingType: d.billing_type,
      tax: detailTax.get(d.id) ?? null,
    })),
    appliedRetainers,
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
    // R75
    dueDate: invoice.due_date,
    paymentTermsDays: invoice.payment_terms_days,
    purchaseOrder: invoice.purchase_order,
    buyerReference: invoice.buyer_reference,
    note: invoice.note,
    lines: lineKeys.map((key) => ({
      contractLineId: key === RETAINER_LINE ? null : key,
      amount: money(totals.lines.get(key) ?? 0n, currency),
      details: details
        .filter((d) => (d.contract_line_id ?? RETAINER_LINE) === key)
        .map((d) => {
          const t = detailTax.get(d.id);
          return {
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
            // R77, R91
            description: d.description,
            resource: d.resource,
            role: d.role,
            category: d.category,
            reason: d.reason,
            // R73, R75
            taxCodeId: d.tax_code_id,
            taxCode: t?.code ?? null,
            taxCategory: t?.category ?? null,
            taxRate: t ? formatRate(t.rate) : null,
          };
        }),
    })),
    appliedRetainers: appliedRetainers.map((r) => ({
      retainerId: r.retainerId,
      amount: money(r.amount, currency),
      // R74: the tax group the application is assigned to, when its retainer had a code.
      ...(r.tax ? { taxCategory: r.tax.category, taxRate: formatRate(r.tax.rate) } : {}),
    })),
    subtotal: money(totals.subtotal, currency),
    retainerApplied: money(totals.retainerApplied, currency),
    total: money(totals.total, currency),
    // R74
    taxBreakdown: tax.taxBreakdown.map((g) => ({
      category: g.category,
      rate: formatRate(g.rate),
      taxableAmount: money(g.taxableAmount, currency),
      taxAmount: money(g.taxAmount, currency),
      ...(g.exemptionReason === undefined ? {} : { exemptionReason: g.exemptionReason }),
    })),
    taxTotal: money(tax.taxTotal, currency),
    totalWithTax: money(tax.totalWithTax, currency),
    // R76: the party data frozen at confirmation.
    ...(invoice.status === 'Confirmed'
      ? {
          seller: invoice.seller ? frozenSeller(invoice.seller as SellerParty) : null,
          buyer: invoice.buyer ? frozenParty(invoice.buyer as Party) : null,
        }
      : {}),
  };
}
