/**
 * Invoice documents (src/domain/invoice-document.ts) built by hand for the renderer's tests,
 * and the PDF text extractor the tests read them back with (pdf.js: no system package).
 */
import { PassThrough } from 'node:stream';
import type {
  DocumentDetail,
  InvoiceDocument,
  SellerParty,
  Party,
} from '../../src/domain/invoice-document.js';
import { writeInvoicePdf, type RenderOptions } from '../../src/documents/invoice-pdf.js';

export const SELLER: SellerParty = {
  legalName: 'Müller & Søn Beratung GmbH',
  address: {
    line1: 'Königstraße 12',
    line2: null,
    city: 'Stuttgart',
    postalCode: '70173',
    countrySubdivision: null,
    country: 'DE',
  },
  vatId: 'DE123456789',
  companyId: 'HRB 98765',
  email: 'billing@mueller-soen.example',
  phone: '+49 711 555 0100',
  electronicAddress: { scheme: 'EM', value: 'billing@mueller-soen.example' },
  bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountName: 'Müller & Søn' },
  paymentInstructions: 'Please pay by bank transfer quoting the payment reference.',
  invoiceFooter: 'Müller & Søn Beratung GmbH · Registered in Stuttgart HRB 98765',
};

export const BUYER: Party = {
  legalName: 'Café Crème SARL',
  address: {
    line1: '5 rue de l’Église',
    line2: 'Bâtiment B',
    city: 'Lyon',
    postalCode: '69002',
    countrySubdivision: null,
    country: 'FR',
  },
  vatId: 'FR40303265045',
  companyId: null,
  email: 'compta@cafe-creme.example',
  phone: null,
  electronicAddress: null,
};

const S19 = { code: 'VAT19', category: 'S' as const, rate: 1900n, exemptionReason: null };
const AE = {
  code: 'RC',
  category: 'AE' as const,
  rate: 0n,
  exemptionReason: 'Reverse charge: VAT due by the recipient (Art. 196 VAT Directive)',
};

export function detail(n: number, over: Partial<DocumentDetail> = {}): DocumentDetail {
  return {
    id: `d-${n}`,
    sourceType: 'Actual',
    transactionClass: 'Time',
    date: '2026-11-02',
    description: `Workshop preparation ${n}`,
    resource: 'Élodie Martin',
    role: 'Senior consultant',
    quantity: 750n,
    unitPrice: 120_000_000n,
    amount: 900_00n,
    billingType: 'Chargeable',
    tax: S19,
    ...over,
  };
}

/** A small confirmed invoice: two contract lines, a reverse-charge detail, a retainer. */
export function sampleDocument(over: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    id: 'inv-1',
    kind: 'Invoice',
    number: 'INV-000042',
    correctsNumber: null,
    correctsInvoiceDate: null,
    currency: 'EUR',
    currencyExponent: 2,
    invoiceDate: '2026-11-30',
    dueDate: '2026-12-30',
    paymentTermsDays: 30,
    purchaseOrder: 'PO-7781',
    buyerReference: 'BR-Lyon-12',
    note: 'Thank you for your business.',
    contract: { id: 'c-1', name: 'Digital strategy 2026' },
    seller: SELLER,
    buyer: BUYER,
    lines: [
      {
        contractLineId: 'l-1',
        name: 'Consulting (T&M)',
        amount: 1_800_00n,
        details: [
          detail(1),
          detail(2, { description: 'Stakeholder interviews, Zürich' }),
          detail(3, {
            description: 'Travel time (goodwill)',
            billingType: 'Complimentary',
            amount: 240_00n,
            quantity: 200n,
          }),
        ],
      },
      {
        contractLineId: 'l-2',
        name: 'Licences',
        amount: 500_00n,
        details: [
          detail(4, {
            transactionClass: 'Fee',
            description: 'Analytics licence, reverse charge',
            resource: null,
            role: null,
            quantity: 100n,
            unitPrice: 500_000_000n,
            amount: 500_00n,
            tax: AE,
          }),
        ],
      },
    ],
    appliedRetainers: [
      { retainerId: 'r-1', description: 'Advance October', amount: 300_00n, tax: S19 },
    ],
    subtotal: 2_300_00n,
    retainerApplied: 300_00n,
    total: 2_000_00n,
    taxBreakdown: [
      { category: 'S', rate: 1900n, taxableAmount: 1_500_00n, taxAmount: 285_00n },
      {
        category: 'AE',
        rate: 0n,
        taxableAmount: 500_00n,
        taxAmount: 0n,
        exemptionReason: AE.exemptionReason,
      },
    ],
    taxTotal: 285_00n,
    totalWithTax: 2_285_00n,
    confirmedAt: '2026-11-30T10:15:00.000Z',
    ...over,
  };
}

/** A confirmed invoice of `count` details on one contract line. */
export function longDocument(count: number): InvoiceDocument {
  const details: DocumentDetail[] = [];
  for (let i = 1; i <= count; i += 1)
    details.push(detail(i, { description: `Task ${i} of ${count}` }));
  const subtotal = 900_00n * BigInt(count);
  const tax = (subtotal * 19n) / 100n;
  return sampleDocument({
    lines: [{ contractLineId: 'l-1', name: 'Consulting (T&M)', amount: subtotal, details }],
    appliedRetainers: [],
    subtotal,
    retainerApplied: 0n,
    total: subtotal,
    taxBreakdown: [{ category: 'S', rate: 1900n, taxableAmount: subtotal, taxAmount: tax }],
    taxTotal: tax,
    totalWithTax: subtotal + tax,
  });
}

export async function renderPdf(
  document: InvoiceDocument,
  options: RenderOptions = {},
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeInvoicePdf(document, out, options);
  return Buffer.concat(chunks);
}

/** The text of each page, as a PDF reader extracts it (items joined by spaces). */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const loaded = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= loaded.numPages; n += 1) {
    const page = await loaded.getPage(n);
    const content = await page.getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .filter((s) => s !== '')
        .join(' '),
    );
    page.cleanup();
  }
  await loaded.destroy();
  return pages;
}
