/**
 * The EN 16931 semantic model (R80–R82): an invoice named by the standard's business terms
 * (BT-n) and groups (BG-n), independent of the syntax that carries it. It is built once from
 * an `InvoiceDocument` (`toEn16931`) and written as UBL 2.1 or UN/CEFACT CII D16B by the
 * writers in `src/einvoice`, so both syntaxes always say the same thing.
 *
 * Amounts, quantities and rates are decimal strings, already exact: they come from bigint
 * minor units (R1) formatted with the currency's digits, which R81 limits to 2 (BR-DEC-*).
 */
import type { VatCategory } from '../vocabulary.js';

export const EINVOICE_SYNTAXES = ['ubl', 'cii'] as const;
export type EinvoiceSyntax = (typeof EINVOICE_SYNTAXES)[number];

export const EINVOICE_PROFILES = ['en16931', 'peppol'] as const;
export type EinvoiceProfile = (typeof EINVOICE_PROFILES)[number];

/** BT-24 of a plain EN 16931 invoice. */
export const EN16931_SPECIFICATION = 'urn:cen.eu:en16931:2017';
/** BT-24 of Peppol BIS Billing 3.0 (PEPPOL-EN16931-R004). */
export const PEPPOL_SPECIFICATION =
  'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
/** BT-23 of Peppol BIS Billing 3.0, process P1 billing (PEPPOL-EN16931-R001, R007). */
export const PEPPOL_BUSINESS_PROCESS = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** UNCL1001: BT-3. */
export type InvoiceTypeCode = '380' | '381';

/** UN/ECE Recommendation 20: hours for time, "one" for everything else (R82). */
export type UnitCode = 'HUR' | 'C62';

export interface EnVat {
  /** BT-151 / BT-95 / BT-118. */
  category: VatCategory;
  /** BT-152 / BT-96 / BT-119; null for category O, which states no rate (BR-O-05, BR-O-06). */
  rate: string | null;
}

export interface EnAddress {
  /** BT-35 / BT-50. */
  line1: string;
  /** BT-36 / BT-51. */
  line2: string | null;
  /** BT-37 / BT-52. */
  city: string;
  /** BT-38 / BT-53. */
  postCode: string;
  /** BT-39 / BT-54. */
  subdivision: string | null;
  /** BT-40 / BT-55. */
  country: string;
}

export interface EnParty {
  /** BT-27 / BT-44. */
  name: string;
  /** BG-5 / BG-8. */
  address: EnAddress;
  /** BT-31 / BT-48. */
  vatId: string | null;
  /** BT-30 / BT-47. */
  legalRegistrationId: string | null;
  /** BT-34 / BT-49 with its scheme (BR-62, BR-63). */
  electronicAddress: { scheme: string; value: string } | null;
  /** BT-42 / BT-57. */
  phone: string | null;
  /** BT-43 / BT-58. */
  email: string | null;
}

export interface EnLine {
  /** BT-126. */
  id: string;
  /** BT-153: the detail's description (R82). */
  name: string;
  /** BT-129. */
  quantity: string;
  /** BT-130. */
  unitCode: UnitCode;
  /** BT-131. */
  netAmount: string;
  /** BT-146, never negative (BR-27). */
  price: string;
  /** BT-149: set only when the price is stated for the whole quantity (see `linePrice`). */
  baseQuantity: string | null;
  /** BG-26: the detail's date. */
  period: { start: string; end: string };
  vat: EnVat;
}

/** BG-20: an applied retainer (R82). */
export interface EnAllowance {
  /** BT-92. */
  amount: string;
  /** BT-97. */
  reason: string;
  vat: EnVat;
}

/** BG-23: one line of R74's breakdown. */
export interface EnVatBreakdown {
  /** BT-116. */
  taxableAmount: string;
  /** BT-117. */
  taxAmount: string;
  vat: EnVat;
  /** BT-120. */
  exemptionReason: string | null;
}

/** BG-22. */
export interface EnTotals {
  /** BT-106. */
  lineNet: string;
  /** BT-107; null when there is no allowance. */
  allowances: string | null;
  /** BT-109. */
  taxExclusive: string;
  /** BT-110. */
  taxTotal: string;
  /** BT-112. */
  taxInclusive: string;
  /** BT-115. */
  payable: string;
}

/** BG-16 with BG-17: credit transfer to the seller's account (R82). */
export interface EnPaymentMeans {
  /** BT-81: 58 = SEPA credit transfer. */
  code: '58';
  /** BT-83: the invoice number, as the PDF asks (R78). */
  remittanceInformation: string;
  /** BT-84. */
  iban: string;
  /** BT-85. */
  accountName: string | null;
  /** BT-86. */
  bic: string | null;
}

export interface EnInvoice {
  /** BT-24. */
  specificationId: string;
  /** BT-23; only Peppol states it. */
  businessProcess: string | null;
  /** BT-1. */
  number: string;
  /** BT-2. */
  issueDate: string;
  /** BT-3. */
  typeCode: InvoiceTypeCode;
  /** BT-5. */
  currency: string;
  /** BT-9. */
  dueDate: string;
  /** BT-10. */
  buyerReference: string | null;
  /** BT-13. */
  purchaseOrder: string | null;
  /** BT-22. */
  note: string | null;
  /** BT-20. */
  paymentTerms: string;
  /** BG-3: BT-25 and BT-26, the invoice a credit note corrects. */
  precedingInvoice: { number: string; issueDate: string | null } | null;
  /** BG-14: the first and last date of the lines. */
  invoicingPeriod: { start: string; end: string };
  /** BG-4. */
  seller: EnParty;
  /** BG-7. */
  buyer: EnParty;
  /** BT-80: stated for an intra-community supply (BR-IC-12). */
  deliverToCountry: string | null;
  paymentMeans: EnPaymentMeans | null;
  allowances: EnAllowance[];
  vatBreakdown: EnVatBreakdown[];
  totals: EnTotals;
  lines: EnLine[];
}
