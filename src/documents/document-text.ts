/**
 * How the invoice document (R78) writes amounts, quantities, rates and parties. Everything is
 * formatted from bigint units by string arithmetic (R1): a float never touches an amount, so
 * the printed figure is exactly the stored one, in the currency's own number of decimals.
 */
import { formatDecimal, formatUnitPrice, PERCENT_SCALE, QUANTITY_SCALE } from '../domain/money.js';
import type {
  DocumentDetail,
  InvoiceDocument,
  Party,
  PostalAddress,
} from '../domain/invoice-document.js';
import type { VatCategory } from '../domain/vocabulary.js';

/** Symbols printed before an amount; other currencies print their ISO code. */
const CURRENCY_SYMBOLS: Record<string, string> = { EUR: '€', GBP: '£', USD: '$', JPY: '¥' };

/** Thousands separated by commas: "1,234,567.89". */
function grouped(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [int = '', frac] = (negative ? decimal.slice(1) : decimal).split('.');
  const withCommas = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${withCommas}${frac === undefined ? '' : `.${frac}`}`;
}

/** An amount in minor units as a plain figure for a table column: "1,234.50". */
export function formatAmount(units: bigint, exponent: number): string {
  return grouped(formatDecimal(units, exponent));
}

/** An amount with its currency, for totals: "€ 1,234.50", "CHF 80.00". */
export function formatMoney(units: bigint, currency: string, exponent: number): string {
  return `${CURRENCY_SYMBOLS[currency] ?? currency} ${formatAmount(units, exponent)}`;
}

/** Quantities are hundredths; whole quantities print without decimals ("8", "7.50"). */
export function formatQuantity(quantity: bigint): string {
  const text = formatDecimal(quantity, QUANTITY_SCALE);
  return grouped(text.endsWith('.00') ? text.slice(0, -3) : text);
}

export function formatPrice(unitPrice: bigint, exponent: number): string {
  return grouped(formatUnitPrice(unitPrice, exponent));
}

/** Rates are hundredths of a percent: 1900n → "19%", 750n → "7.5%". */
export function formatRate(rate: bigint): string {
  const text = formatDecimal(rate, PERCENT_SCALE).replace(/\.?0+$/, '');
  return `${text || '0'}%`;
}

const CATEGORY_NAMES: Record<VatCategory, string> = {
  S: 'Standard rate',
  Z: 'Zero rated',
  E: 'Exempt',
  AE: 'Reverse charge',
  K: 'Intra-community supply',
  G: 'Export outside the EU',
  O: 'Outside the scope of VAT',
  L: 'Canary Islands IGIC',
  M: 'Ceuta and Melilla IPSI',
};

export const categoryName = (category: VatCategory): string =>
  `${CATEGORY_NAMES[category]} (${category})`;

/** IBANs print in groups of four, as banks print them. */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

export function addressLines(address: PostalAddress | null): string[] {
  if (!address) return [];
  const city = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [
    address.line1,
    address.line2 ?? '',
    address.countrySubdivision ? `${city}, ${address.countrySubdivision}` : city,
    address.country,
  ].filter((line) => line !== '');
}

/** The lines of a party block under its name. */
export function partyLines(party: Party): string[] {
  return [
    ...addressLines(party.address),
    party.vatId ? `VAT ID ${party.vatId}` : '',
    party.companyId ? `Company ID ${party.companyId}` : '',
    party.email ?? '',
    party.phone ?? '',
  ].filter((line) => line !== '');
}

export function documentTitle(document: InvoiceDocument): string {
  if (document.kind === 'ProForma') return 'Pro forma';
  if (document.kind === 'CreditNote') return 'Credit note';
  return 'Invoice';
}

/** The line under the title: why a pro forma is not an invoice, which invoice a credit note corrects. */
export function documentSubtitle(document: InvoiceDocument): string | null {
  if (document.kind === 'ProForma') return 'Not a valid invoice: a preview of a draft';
  if (document.kind === 'CreditNote') {
    const corrected = document.correctsNumber ?? 'an earlier invoice';
    return document.correctsInvoiceDate
      ? `Corrects invoice ${corrected} of ${document.correctsInvoiceDate}`
      : `Corrects invoice ${corrected}`;
  }
  return null;
}

export function paymentTerms(days: number): string {
  return days === 0 ? 'due on receipt' : `${days} days`;
}

/** What the details table prints in a detail's description cell (R77, R78). */
export function detailDescription(detail: DocumentDetail): string {
  const who = [detail.resource, detail.role].filter(Boolean).join(' · ');
  const notCharged =
    detail.billingType === 'Chargeable'
      ? ''
      : `${detail.billingType === 'Complimentary' ? 'Complimentary' : 'Non-chargeable'}: not charged`;
  return [detail.description, who, notCharged].filter((part) => part !== '').join('\n');
}
