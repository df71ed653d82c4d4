/**
 * R82: the EN 16931 model of a confirmed invoice or correction, built once from its
 * `InvoiceDocument` (frozen data, R76). Call it only on a document that `preflight` (R81)
 * accepts: it trusts that every chargeable detail has a tax code, both parties have an
 * address and the currency has at most 2 decimals.
 */
import type {
  AppliedRetainer,
  DetailTax,
  DocumentDetail,
  InvoiceDocument,
  Party,
} from '../invoice-document.js';
import {
  extendAmount,
  formatDecimal,
  formatUnitPrice,
  PERCENT_SCALE,
  QUANTITY_SCALE,
} from '../money.js';
import {
  EN16931_SPECIFICATION,
  PEPPOL_BUSINESS_PROCESS,
  PEPPOL_SPECIFICATION,
  type EinvoiceProfile,
  type EnAllowance,
  type EnInvoice,
  type EnLine,
  type EnParty,
  type EnVat,
  type EnVatBreakdown,
} from './model.js';

/** R82: only chargeable details are invoice lines; the others add 0 (R61). */
export function chargeableDetails(doc: InvoiceDocument): DocumentDetail[] {
  return doc.lines.flatMap((l) => l.details.filter((d) => d.billingType === 'Chargeable'));
}

/** BR-O-05, BR-O-06: category O states no rate at all. */
export function enVat(tax: Pick<DetailTax, 'category' | 'rate'>): EnVat {
  return {
    category: tax.category,
    rate: tax.category === 'O' ? null : formatDecimal(tax.rate, PERCENT_SCALE),
  };
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/**
 * BT-146 and BT-149 for a line. The detail's own unit price when quantity × price gives its
 * amount (the usual case); otherwise (a split actual's share, R3, or a reduced quantity,
 * R62, rounded on its own) the price is stated for the whole quantity as base quantity, so
 * quantity × price / base quantity is the line amount exactly (PEPPOL-EN16931-R120).
 */
export function linePrice(
  quantity: bigint,
  unitPrice: bigint,
  netAmount: bigint,
  exponent: number,
): { price: string; baseQuantity: string | null } {
  if (extendAmount(quantity, unitPrice, exponent) === netAmount) {
    return { price: formatUnitPrice(unitPrice, exponent), baseQuantity: null };
  }
  return {
    price: formatDecimal(abs(netAmount), exponent),
    baseQuantity: formatDecimal(abs(quantity), QUANTITY_SCALE),
  };
}

const text = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

function enParty(p: Party, withVatId: boolean): EnParty {
  const a = p.address;
  if (!a) throw new Error('a party without address reached the e-invoice mapping (run preflight)');
  return {
    name: p.legalName.trim(),
    address: {
      line1: a.line1.trim(),
      line2: text(a.line2),
      city: a.city.trim(),
      postCode: a.postalCode.trim(),
      subdivision: text(a.countrySubdivision),
      country: a.country.trim(),
    },
    vatId: withVatId ? text(p.vatId) : null,
    legalRegistrationId: text(p.companyId),
    electronicAddress:
      p.electronicAddress && text(p.electronicAddress.value)
        ? { scheme: p.electronicAddress.scheme.trim(), value: p.electronicAddress.value.trim() }
        : null,
    phone: text(p.phone),
    email: text(p.email),
  };
}

function paymentTerms(days: number, dueDate: string): string {
  return days === 0 ? `Due on receipt (${dueDate})` : `Net ${days} days, due ${dueDate}`;
}

/** R80, R82. */
export function toEn16931(doc: InvoiceDocument, profile: EinvoiceProfile): EnInvoice {
  if (doc.kind === 'ProForma' || doc.number === null) {
    throw new Error('a draft has no e-invoice (R80)');
  }
  const exp = doc.currencyExponent;
  // R80: a correction is a credit note stating positive amounts; its details are negative.
  const sign = doc.kind === 'CreditNote' ? -1n : 1n;
  const money = (units: bigint) => formatDecimal(units, exp);

  const details = chargeableDetails(doc);
  const categories = new Set<string | undefined>([
    ...details.map((d) => d.tax?.category),
    ...doc.appliedRetainers.map((r) => r.tax?.category),
  ]);
  // BR-O-02, BR-O-03: an invoice not subject to VAT names no VAT identifier.
  const withVatIds = !categories.has('O');

  let lineNet = 0n;
  const lines = details.map((d, i): EnLine => {
    if (!d.tax) throw new Error(`detail ${d.id} has no tax code (run preflight)`);
    const quantity = sign * d.quantity;
    const amount = sign * d.amount;
    lineNet += amount;
    return {
      id: String(i + 1),
      name: text(d.description) ?? d.transactionClass,
      quantity: formatDecimal(quantity, QUANTITY_SCALE),
      unitCode: d.transactionClass === 'Time' ? 'HUR' : 'C62',
      netAmount: money(amount),
      ...linePrice(quantity, d.unitPrice, amount, exp),
      period: { start: d.date, end: d.date },
      vat: enVat(d.tax),
    };
  });

  let allowanceTotal = 0n;
  const allowances = doc.appliedRetainers
    .filter((r) => r.amount !== 0n)
    .map((r: AppliedRetainer): EnAllowance => {
      if (!r.tax) throw new Error(`retainer ${r.retainerId} has no tax group (run preflight)`);
      const amount = sign * r.amount;
      allowanceTotal += amount;
      return {
        amount: money(amount),
        reason: `Retainer applied: ${text(r.description) ?? 'retainer'}`,
        vat: enVat(r.tax),
      };
    });

  let taxTotal = 0n;
  const vatBreakdown = doc.taxBreakdown.map((b): EnVatBreakdown => {
    taxTotal += sign * b.taxAmount;
    return {
      taxableAmount: money(sign * b.taxableAmount),
      taxAmount: money(sign * b.taxAmount),
      vat: enVat(b),
      exemptionReason: text(b.exemptionReason),
    };
  });

  const dates = details.map((d) => d.date).sort();
  const taxExclusive = lineNet - allowanceTotal;
  const bank = doc.seller.bank;
  const buyer = enParty(doc.buyer, withVatIds);
  const peppol = profile === 'peppol';
  return {
    specificationId: peppol ? PEPPOL_SPECIFICATION : EN16931_SPECIFICATION,
    businessProcess: peppol ? PEPPOL_BUSINESS_PROCESS : null,
    number: doc.number,
    issueDate: doc.invoiceDate,
    typeCode: doc.kind === 'CreditNote' ? '381' : '380',
    currency: doc.currency,
    dueDate: doc.dueDate,
    buyerReference: text(doc.buyerReference),
    purchaseOrder: text(doc.purchaseOrder),
    note: text(doc.note),
    paymentTerms: paymentTerms(doc.paymentTermsDays, doc.dueDate),
    precedingInvoice:
      doc.kind === 'CreditNote' && doc.correctsNumber
        ? { number: doc.correctsNumber, issueDate: doc.correctsInvoiceDate }
        : null,
    invoicingPeriod: { start: dates[0] ?? doc.invoiceDate, end: dates.at(-1) ?? doc.invoiceDate },
    seller: enParty(doc.seller, withVatIds),
    buyer,
    // BR-IC-12: an intra-community supply names the country delivered to: the buyer's.
    deliverToCountry: categories.has('K') ? buyer.address.country : null,
    paymentMeans:
      bank && text(bank.iban)
        ? {
            code: '58',
            remittanceInformation: doc.number,
            iban: bank.iban.replace(/\s+/g, ''),
            accountName: text(bank.accountName),
            bic: text(bank.bic),
          }
        : null,
    allowances,
    vatBreakdown,
    totals: {
      lineNet: money(lineNet),
      allowances: allowances.length > 0 ? money(allowanceTotal) : null,
      taxExclusive: money(taxExclusive),
      taxTotal: money(taxTotal),
      taxInclusive: money(taxExclusive + taxTotal),
      payable: money(taxExclusive + taxTotal),
    },
    lines,
  };
}
