/** Invoices with their details, applied retainers and tax, ready to present. */
import type { Kysely } from 'kysely';
import type { DB, RetainerKind } from '../db/schema.js';
import type { DetailTax } from '../domain/invoice-document.js';
import { detailTaxOf } from '../domain/invoice-tax.js';
import {
  retainerBillingTax,
  retainerDescriptions,
  taxCodesByIds,
} from '../repositories/invoice-frozen.js';
import {
  detailsOfInvoices,
  type InvoiceDetailRow,
  type InvoiceRow,
} from '../repositories/invoices.js';
import { appliedRetainersOf, type AppliedRetainer } from './invoiceRetainers.js';

export interface AppliedRetainerView extends AppliedRetainer {
  kind: RetainerKind;
  description: string;
  /** R74: the group of the retainer's own billing detail. */
  tax: DetailTax | null;
}

export interface InvoiceView {
  invoice: InvoiceRow;
  details: InvoiceDetailRow[];
  appliedRetainers: AppliedRetainerView[];
  /** R73, R76: each detail's tax by detail id; absent = no tax code. */
  detailTax: Map<string, DetailTax>;
}

/**
 * A confirmed invoice's detail is read from its frozen tax (R76); a draft's from the code
 * it names now (R73) — a code in use never changes its category, rate or reason (R72).
 */
function taxOfDetail(
  invoice: InvoiceRow,
  d: InvoiceDetailRow,
  codes: Map<string, DetailTax>,
): DetailTax | undefined {
  if (invoice.status === 'Confirmed') {
    if (d.tax_code === null || d.tax_category === null || d.tax_rate === null) return undefined;
    return detailTaxOf({
      code: d.tax_code,
      category: d.tax_category,
      rate: d.tax_rate,
      exemption_reason: d.tax_exemption_reason,
    });
  }
  return d.tax_code_id === null ? undefined : codes.get(d.tax_code_id);
}

export async function loadInvoiceViews(
  db: Kysely<DB>,
  invoices: readonly InvoiceRow[],
): Promise<InvoiceView[]> {
  const [details, applied] = await Promise.all([
    detailsOfInvoices(db, invoices),
    appliedRetainersOf(db, invoices),
  ]);
  const status = new Map(invoices.map((i) => [i.id, i.status]));
  const draftCodes = details
    .filter((d) => status.get(d.invoice_id) === 'Draft' && d.tax_code_id !== null)
    .map((d) => d.tax_code_id as string);
  const codes = new Map(
    [...(await taxCodesByIds(db, draftCodes))].map(([id, t]) => [id, detailTaxOf(t)]),
  );
  const byInvoice = new Map<string, InvoiceDetailRow[]>();
  for (const d of details) {
    const list = byInvoice.get(d.invoice_id) ?? [];
    list.push(d);
    byInvoice.set(d.invoice_id, list);
  }
  const views: InvoiceView[] = [];
  for (const invoice of invoices) {
    const mine = byInvoice.get(invoice.id) ?? [];
    const detailTax = new Map<string, DetailTax>();
    for (const d of mine) {
      const t = taxOfDetail(invoice, d, codes);
      if (t) detailTax.set(d.id, t);
    }
    const apps = applied.get(invoice.id) ?? [];
    const ids = apps.map((a) => a.retainerId);
    const [taxes, names] = await Promise.all([
      retainerBillingTax(db, invoice.contract_id, ids),
      retainerDescriptions(db, invoice.contract_id, ids),
    ]);
    views.push({
      invoice,
      details: mine,
      detailTax,
      appliedRetainers: apps.map((a) => {
        const t = taxes.get(a.retainerId);
        const named = names.get(a.retainerId);
        return {
          ...a,
          kind: named?.kind ?? 'Retainer',
          description: named?.description ?? 'Retainer',
          tax: t ? detailTaxOf(t) : null,
        };
      }),
    });
  }
  return views;
}
