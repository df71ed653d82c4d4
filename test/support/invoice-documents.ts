/**
 * Hand-built `InvoiceDocument`s for the e-invoice tests (R80–R82): a German seller with a
 * Belgian buyer, in EUR, with one T&M line. Each test changes what its rule is about.
 * Amounts in minor units, quantities in hundredths, unit prices at 6 decimals, rates in
 * hundredths of a percent.
 */
import type {
  AppliedRetainer,
  DetailTax,
  DocumentDetail,
  InvoiceDocument,
  Party,
  SellerParty,
} from '../../src/domain/invoice-document.js';
import { taxTotals } from '../../src/domain/tax-totals.js';

export const S19: DetailTax = { code: 'S19', category: 'S', rate: 1900n, exemptionReason: null };
export const S7: DetailTax = { code: 'S7', category: 'S', rate: 700n, exemptionReason: null };
export const Z0: DetailTax = { code: 'Z', category: 'Z', rate: 0n, exemptionReason: null };
export const EX: DetailTax = {
  code: 'EX',
  category: 'E',
  rate: 0n,
  exemptionReason: 'Exempt under Article 132 VAT Directive',
};
export const RC: DetailTax = {
  code: 'RC',
  category: 'AE',
  rate: 0n,
  exemptionReason: 'Reverse charge',
};

export function seller(over: Partial<SellerParty> = {}): SellerParty {
  return {
    legalName: 'Muster Consulting GmbH',
    address: {
      line1: 'Hauptstraße 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    vatId: 'DE123456789',
    companyId: 'HRB 12345',
    email: 'billing@muster.example',
    phone: '+49 30 123456',
    electronicAddress: { scheme: '9930', value: 'DE123456789' },
    bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountName: 'Muster' },
    paymentInstructions: null,
    invoiceFooter: null,
    ...over,
  };
}

export function buyer(over: Partial<Party> = {}): Party {
  return {
    legalName: 'Client SA',
    address: { line1: 'Rue de la Loi 16', city: 'Bruxelles', postalCode: '1000', country: 'BE' },
    vatId: 'BE0123456749',
    companyId: '0123456749',
    email: 'ap@client.example',
    phone: null,
    electronicAddress: { scheme: '0208', value: '0123456749' },
    ...over,
  };
}

let detailSeq = 0;
export function detail(over: Partial<DocumentDetail> = {}): DocumentDetail {
  detailSeq += 1;
  return {
    id: `d${detailSeq}`,
    sourceType: 'Actual',
    transactionClass: 'Time',
    date: '2026-01-15',
    description: 'Consulting',
    resource: 'Ada',
    role: 'Architect',
    quantity: 8_00n,
    unitPrice: 200_000000n,
    amount: 1600_00n,
    billingType: 'Chargeable',
    tax: S19,
    ...over,
  };
}

export function retainer(over: Partial<AppliedRetainer> = {}): AppliedRetainer {
  return { retainerId: 'r1', description: 'Retainer Q1', amount: 400_00n, tax: S19, ...over };
}

/**
 * A confirmed invoice whose totals and R74 breakdown are computed from its details and
 * retainers with the product's own pure functions (so a fixture is always consistent).
 */
export function invoiceDocument(
  over: Partial<InvoiceDocument> & {
    details?: DocumentDetail[];
    retainers?: AppliedRetainer[];
  } = {},
): InvoiceDocument {
  const { details = [detail()], retainers = [], ...rest } = over;
  const chargeable = details.filter((d) => d.billingType === 'Chargeable');
  const subtotal = chargeable.reduce((s, d) => s + d.amount, 0n);
  const retainerApplied = retainers.reduce((s, r) => s + r.amount, 0n);
  const t = taxTotals(
    chargeable.map((d) => ({ amount: d.amount, taxGroup: d.tax })),
    retainers.map((r) => ({ amount: r.amount, taxGroup: r.tax })),
  );
  return {
    id: '42',
    kind: 'Invoice',
    number: 'INV-000042',
    correctsNumber: null,
    correctsInvoiceDate: null,
    currency: 'EUR',
    currencyExponent: 2,
    invoiceDate: '2026-01-31',
    dueDate: '2026-03-02',
    paymentTermsDays: 30,
    purchaseOrder: 'PO-7',
    buyerReference: 'REF-1',
    note: null,
    contract: { id: '7', name: 'Platform' },
    seller: seller(),
    buyer: buyer(),
    lines: [{ contractLineId: '1', name: 'Consulting', amount: subtotal, details }],
    appliedRetainers: retainers,
    subtotal,
    retainerApplied,
    total: subtotal - retainerApplied,
    taxBreakdown: t.taxBreakdown,
    taxTotal: t.taxTotal,
    totalWithTax: t.totalWithTax,
    confirmedAt: '2026-01-31T10:00:00.000Z',
    ...rest,
  };
}
