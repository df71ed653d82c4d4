/**
 * R73, R74 on one invoice: its details' tax as the totals need it. Pure; the detail's tax
 * is the code fixed on the draft (R73), or on a confirmed invoice the one frozen there (R76).
 */
import { countsInTotal } from './invoice-totals.js';
import type { DetailTax } from './invoice-document.js';
import { storedRate } from './tax-codes.js';
import { taxTotals, type TaxGroup, type TaxTotals } from './tax-totals.js';
import type { BillingType, VatCategory } from './vocabulary.js';

export interface StoredTaxText {
  code: string;
  category: VatCategory;
  /** numeric(5,2) text. */
  rate: string;
  exemption_reason: string | null;
}

export const detailTaxOf = (t: StoredTaxText): DetailTax => ({
  code: t.code,
  category: t.category,
  rate: storedRate(t.rate),
  exemptionReason: t.exemption_reason,
});

const groupOf = (t: DetailTax | null): TaxGroup | null =>
  t ? { category: t.category, rate: t.rate, exemptionReason: t.exemptionReason } : null;

/**
 * R74: an invoice's tax breakdown and totals. Only chargeable details count (R61); each
 * retainer application is in the group of its retainer's own billing detail.
 */
export function invoiceTaxTotals(
  details: readonly { amount: bigint; billingType: BillingType; tax: DetailTax | null }[],
  applications: readonly { amount: bigint; tax: DetailTax | null }[],
): TaxTotals {
  return taxTotals(
    details
      .filter((d) => countsInTotal(d.billingType))
      .map((d) => ({ amount: d.amount, taxGroup: groupOf(d.tax) })),
    applications.map((a) => ({ amount: a.amount, taxGroup: groupOf(a.tax) })),
  );
}
