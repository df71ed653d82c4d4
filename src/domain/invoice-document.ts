/**
 * The invoice as a customer receives it (R70–R78): everything the PDF document (R78) and the
 * EN 16931 e-invoice (R80–R82) print, in one pure shape. A confirmed invoice's document is
 * built only from the data frozen at confirmation (R76), so later profile or tax-code changes
 * never alter it; a draft's is built from the current profiles (a pro forma).
 *
 * Amounts are bigint minor units of `currency` (R1); quantities bigint hundredths
 * (QUANTITY_SCALE); rates bigint hundredths of a percent (19.00 % = 1900n), as in
 * `tax-totals.ts`. Dates are ISO `YYYY-MM-DD` strings.
 */
import type { TaxBreakdownLine } from './tax-totals.js';
import type { BillingType, SourceType, TransactionClass, VatCategory } from './vocabulary.js';

export interface PostalAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  countrySubdivision?: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** An EN 16931 electronic address (BT-34 / BT-49): an EAS scheme code and its value. */
export interface ElectronicAddress {
  scheme: string;
  value: string;
}

export interface BankAccount {
  iban: string;
  bic?: string | null;
  accountName?: string | null;
}

/** A party as printed: the seller's profile (R70) or the buyer's billing profile (R71). */
export interface Party {
  /** The legal name; for a buyer without one, the customer's name. */
  legalName: string;
  address: PostalAddress | null;
  vatId: string | null;
  companyId: string | null;
  email: string | null;
  phone: string | null;
  electronicAddress: ElectronicAddress | null;
}

export interface SellerParty extends Party {
  bank: BankAccount | null;
  paymentInstructions: string | null;
  invoiceFooter: string | null;
}

/** A detail's tax as fixed on the draft (R73) and frozen on confirmation (R76). */
export interface DetailTax {
  code: string;
  category: VatCategory;
  rate: bigint;
  exemptionReason: string | null;
}

export interface DocumentDetail {
  id: string;
  sourceType: SourceType;
  transactionClass: TransactionClass | 'Milestone' | 'Retainer' | 'Advance';
  date: string;
  /** R77: the entry's description, the milestone's name, the retainer's description or kind. */
  description: string;
  resource: string | null;
  role: string | null;
  /** Hundredths; a correction's details are negative. */
  quantity: bigint;
  /** At UNIT_PRICE_SCALE (6 decimals) whatever the currency; `formatUnitPrice` prints it. */
  unitPrice: bigint;
  amount: bigint;
  /** Only Chargeable details add to the totals (R61); the others are printed as not charged. */
  billingType: BillingType;
  /** null: no tax code, no tax (R73). */
  tax: DetailTax | null;
}

export interface DocumentLine {
  contractLineId: string | null;
  name: string;
  amount: bigint;
  details: DocumentDetail[];
}

export interface AppliedRetainer {
  retainerId: string;
  description: string;
  amount: bigint;
  /** R74: the group of the tax code the retainer's own billing detail had. */
  tax: DetailTax | null;
}

export type DocumentKind = 'Invoice' | 'CreditNote' | 'ProForma';

export interface InvoiceDocument {
  id: string;
  kind: DocumentKind;
  /** null for a draft (no number is taken before confirmation). */
  number: string | null;
  /** The number of the invoice a credit note corrects (BT-25). */
  correctsNumber: string | null;
  correctsInvoiceDate: string | null;
  currency: string;
  /** The currency's minor-unit exponent (EUR 2, JPY 0). */
  currencyExponent: number;
  invoiceDate: string;
  dueDate: string;
  paymentTermsDays: number;
  purchaseOrder: string | null;
  buyerReference: string | null;
  note: string | null;
  contract: { id: string; name: string };
  seller: SellerParty;
  buyer: Party;
  lines: DocumentLine[];
  appliedRetainers: AppliedRetainer[];
  /** R61: chargeable details. */
  subtotal: bigint;
  retainerApplied: bigint;
  /** R61: subtotal − retainerApplied. */
  total: bigint;
  /** R74. */
  taxBreakdown: TaxBreakdownLine[];
  taxTotal: bigint;
  /** The amount due. */
  totalWithTax: bigint;
  /** When it was confirmed (ISO timestamp); null for a draft. Fixes the PDF's creation date. */
  confirmedAt: string | null;
}
