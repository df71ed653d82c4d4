/**
 * The invoice document (R70–R78) read from the database: the one `InvoiceDocument` the PDF
 * (R78) and the e-invoice (R80–R82) are rendered from.
 *
 * A confirmed invoice is read only from what confirmation froze on it (R76): the parties,
 * the contract's and lines' names, each detail's tax code, category, rate and exemption
 * reason, and the terms and references stored when the draft was made (R75). So a later
 * change to a profile, a tax code or a name never alters its document. A draft (a pro
 * forma) is read from the profiles and names as they are now.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { loadInvoiceViews, type InvoiceView } from '../commands/readInvoices.js';
import type {
  DocumentDetail,
  DocumentLine,
  InvoiceDocument,
  Party,
  SellerParty,
} from '../domain/invoice-document.js';
import { invoiceTaxTotals } from '../domain/invoice-tax.js';
import { invoiceTotals } from '../domain/invoice-totals.js';
import {
  currencyExponent,
  parseDecimal,
  storedQuantity,
  UNIT_PRICE_SCALE,
} from '../domain/money.js';
import {
  buyerParty,
  frozenParty,
  frozenSeller,
  NO_SELLER,
  sellerParty,
} from '../domain/parties.js';
import { findCustomer } from '../repositories/customers.js';
import { currentNames, retainerDescriptions } from '../repositories/invoice-frozen.js';
import { findInvoice, findInvoiceContractId, type InvoiceRow } from '../repositories/invoices.js';
import { findSellerProfile } from '../repositories/seller-profile.js';

/** The line of retainer and advance details (R61: no contract line). */
export const RETAINER_LINE_NAME = 'Retainers and advances';

/** The invoice's document, or undefined when no invoice has that id. */
export async function loadInvoiceDocument(
  db: Kysely<DB>,
  invoiceId: string,
): Promise<InvoiceDocument | undefined> {
  const contractId = await findInvoiceContractId(db, invoiceId);
  if (!contractId) return undefined;
  const invoice = await findInvoice(db, contractId, invoiceId);
  if (!invoice) return undefined;
  const [view] = await loadInvoiceViews(db, [invoice]);
  if (!view) return undefined;
  const [parties, names, corrected, retainers] = await Promise.all([
    partiesOf(db, invoice),
    namesOf(db, invoice),
    invoice.corrects_invoice_id
      ? findInvoice(db, contractId, invoice.corrects_invoice_id)
      : Promise.resolve(undefined),
    retainerDescriptions(
      db,
      contractId,
      view.details.filter((d) => d.source_type === 'Retainer').map((d) => d.source_id),
    ),
  ]);
  return buildDocument(view, {
    ...parties,
    ...names,
    corrected: corrected ?? null,
    retainerKinds: new Map([...retainers].map(([id, r]) => [id, r.kind])),
  });
}

async function partiesOf(
  db: Kysely<DB>,
  invoice: InvoiceRow,
): Promise<{ seller: SellerParty; buyer: Party }> {
  if (invoice.status === 'Confirmed' && invoice.buyer) {
    // R76: only what was frozen; an installation without a seller profile froze none.
    const seller = invoice.seller as SellerParty | null;
    return {
      seller: seller ? frozenSeller(seller) : NO_SELLER,
      buyer: frozenParty(invoice.buyer as Party),
    };
  }
  const [seller, customer] = await Promise.all([
    findSellerProfile(db),
    findCustomer(db, invoice.customer_id),
  ]);
  if (!customer) throw new Error(`customer ${invoice.customer_id} vanished`);
  return {
    seller: seller ? sellerParty(seller) : NO_SELLER,
    buyer: buyerParty(customer.name, customer.profile),
  };
}

async function namesOf(
  db: Kysely<DB>,
  invoice: InvoiceRow,
): Promise<{ contractName: string; lineNames: Record<string, string> }> {
  if (invoice.status === 'Confirmed' && invoice.contract_name !== null && invoice.line_names) {
    return { contractName: invoice.contract_name, lineNames: invoice.line_names };
  }
  return currentNames(db, invoice.contract_id);
}

interface DocumentContext {
  seller: SellerParty;
  buyer: Party;
  contractName: string;
  lineNames: Record<string, string>;
  corrected: InvoiceRow | null;
  retainerKinds: Map<string, 'Retainer' | 'Advance'>;
}

function unitPriceUnits(text: string): bigint {
  const v = parseDecimal(text, UNIT_PRICE_SCALE, 20);
  if (v === null) throw new Error(`stored unit price ${text} is not a decimal`);
  return v;
}

/** Pure assembly of the document from the loaded invoice (exported for the list readers). */
export function buildDocument(view: InvoiceView, c: DocumentContext): InvoiceDocument {
  const { invoice, details, appliedRetainers, detailTax } = view;
  const currency = invoice.currency;
  const docDetails = details.map((d): DocumentDetail & { lineKey: string | null } => ({
    lineKey: d.contract_line_id,
    id: d.id,
    sourceType: d.source_type,
    transactionClass:
      d.transaction_class ??
      (d.source_type === 'MilestoneSplit'
        ? 'Milestone'
        : (c.retainerKinds.get(d.source_id) ?? 'Retainer')),
    date: d.date,
    // R77: an actual without a description is named by its class, so no line is blank.
    description: d.description ?? d.transaction_class ?? d.source_type,
    resource: d.resource,
    role: d.role,
    quantity: storedQuantity(d.quantity),
    unitPrice: unitPriceUnits(d.unit_price),
    amount: BigInt(d.amount),
    billingType: d.billing_type,
    tax: detailTax.get(d.id) ?? null,
  }));
  const applied = appliedRetainers.reduce((s, r) => s + r.amount, 0n);
  const totals = invoiceTotals(
    docDetails.map((d) => ({
      lineKey: d.lineKey ?? '',
      amount: d.amount,
      billingType: d.billingType,
    })),
    applied,
  );
  const tax = invoiceTaxTotals(docDetails, appliedRetainers);
  // One line per contract line in line id order; the retainer line last (as the API).
  const keys = [...totals.lines.keys()].sort((a, b) =>
    a === '' ? 1 : b === '' ? -1 : Number(BigInt(a) - BigInt(b)),
  );
  const lines = keys.map((key): DocumentLine => ({
    contractLineId: key === '' ? null : key,
    name: key === '' ? RETAINER_LINE_NAME : (c.lineNames[key] ?? `Line ${key}`),
    amount: totals.lines.get(key) ?? 0n,
    details: docDetails
      .filter((d) => (d.lineKey ?? '') === key)
      .map(({ lineKey: _lineKey, ...d }) => d),
  }));
  const kind =
    invoice.status === 'Draft'
      ? 'ProForma'
      : invoice.corrects_invoice_id
        ? 'CreditNote'
        : 'Invoice';
  return {
    id: invoice.id,
    kind,
    number: invoice.number,
    correctsNumber: c.corrected?.number ?? null,
    correctsInvoiceDate: c.corrected?.invoice_date ?? null,
    currency,
    currencyExponent: currencyExponent(currency),
    invoiceDate: invoice.invoice_date,
    dueDate: invoice.due_date,
    paymentTermsDays: invoice.payment_terms_days,
    purchaseOrder: invoice.purchase_order,
    buyerReference: invoice.buyer_reference,
    note: invoice.note,
    contract: { id: invoice.contract_id, name: c.contractName },
    seller: c.seller,
    buyer: c.buyer,
    lines,
    appliedRetainers: appliedRetainers.map((r) => ({
      retainerId: r.retainerId,
      description: r.description,
      amount: r.amount,
      tax: r.tax,
    })),
    subtotal: totals.subtotal,
    retainerApplied: totals.retainerApplied,
    total: totals.total,
    taxBreakdown: tax.taxBreakdown,
    taxTotal: tax.taxTotal,
    totalWithTax: tax.totalWithTax,
    confirmedAt: invoice.confirmed_at ? invoice.confirmed_at.toISOString() : null,
  };
}
