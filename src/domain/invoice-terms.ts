/**
 * R73 and R75: what a draft takes from the contract, the customer and the seller when it is
 * made — its payment terms, due date and references — and which tax code each detail gets.
 * Pure: the commands load the profiles and store the answers.
 */
import { addDays } from './calendar.js';

/** The longest payment term accepted anywhere (ten years): more is a typing error. */
export const MAX_PAYMENT_TERMS_DAYS = 3650;

/** R70: the seller's default when nobody says otherwise. */
export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

export interface TermsSources {
  contract: { paymentTermsDays: number | null };
  customer: { paymentTermsDays: number | null };
  /** null: no seller profile yet, so R70's default of 30 days. */
  seller: { defaultPaymentTermsDays: number } | null;
}

/** R75: the contract's terms, else the customer's, else the seller's default (0 = on receipt). */
export function paymentTermsDays(s: TermsSources): number {
  return (
    s.contract.paymentTermsDays ??
    s.customer.paymentTermsDays ??
    s.seller?.defaultPaymentTermsDays ??
    DEFAULT_PAYMENT_TERMS_DAYS
  );
}

/** R75: due = invoice date + payment terms. */
export const dueDate = (invoiceDate: string, termsDays: number): string =>
  addDays(invoiceDate, termsDays);

export interface ReferenceSources {
  contract: { purchaseOrder: string | null; buyerReference: string | null };
  customer: { buyerReference: string | null };
}

/** R75: the purchase order is the contract's; the buyer reference the contract's, else the customer's. */
export function invoiceReferences(s: ReferenceSources): {
  purchaseOrder: string | null;
  buyerReference: string | null;
} {
  return {
    purchaseOrder: s.contract.purchaseOrder,
    buyerReference: s.contract.buyerReference ?? s.customer.buyerReference,
  };
}

export interface TaxCodeSources {
  /** The customer's override (reverse charge, say). */
  customerOverride: string | null;
  /** The retainer's code for a retainer detail, the contract line's for any other. */
  itemCode: string | null;
  sellerDefault: string | null;
}

/** R73: the customer's override, else the item's (retainer's or line's) code, else the seller's default. */
export function detailTaxCodeId(s: TaxCodeSources): string | null {
  return s.customerOverride ?? s.itemCode ?? s.sellerDefault;
}

/** R75: a draft's invoice date may not be before any of its details' dates. */
export function invoiceDateTooEarly(
  invoiceDate: string,
  detailDates: readonly string[],
): string | null {
  const latest = detailDates.reduce<string | null>((m, d) => (m === null || d > m ? d : m), null);
  return latest !== null && invoiceDate < latest ? latest : null;
}
