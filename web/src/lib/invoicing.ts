/**
 * Issue 15's shapes as the UI reads them (spec §5, R70–R78): the seller profile, customer
 * billing profiles, tax codes, an invoice's tax and terms; and the invoice document (PDF),
 * fetched with the bearer token (a plain link would carry none).
 */
import { ApiError, getToken } from './api';
import type { Invoice, InvoiceDetail } from './model';

export interface PostalAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  countrySubdivision?: string | null;
  country: string;
}

export interface ElectronicAddress {
  scheme: string;
  value: string;
}

export interface SellerProfile {
  legalName: string;
  address: PostalAddress;
  vatId?: string | null;
  companyId?: string | null;
  email?: string | null;
  phone?: string | null;
  electronicAddress?: ElectronicAddress | null;
  bank?: { iban: string; bic?: string | null; accountName?: string | null } | null;
  paymentInstructions?: string | null;
  defaultPaymentTermsDays: number;
  defaultTaxCodeId?: string | null;
  invoiceFooter?: string | null;
}

export interface CustomerProfile {
  id: string;
  name: string;
  legalName?: string | null;
  address?: PostalAddress | null;
  vatId?: string | null;
  companyId?: string | null;
  invoiceEmail?: string | null;
  buyerReference?: string | null;
  paymentTermsDays?: number | null;
  taxCodeId?: string | null;
  electronicAddress?: ElectronicAddress | null;
}

export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;

export const CATEGORY_NAMES: Record<string, string> = {
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

export interface TaxCode {
  id: string;
  code: string;
  name: string;
  category: string;
  rate: string;
  exemptionReason: string | null;
  inUse: boolean;
}

export interface TaxBreakdownLine {
  category: string;
  rate: string;
  taxableAmount: string;
  taxAmount: string;
  exemptionReason?: string | null;
}

export interface TaxedDetail extends InvoiceDetail {
  description?: string | null;
  resource?: string | null;
  role?: string | null;
  taxCode?: string | null;
  taxCodeId?: string | null;
  taxCategory?: string | null;
  taxRate?: string | null;
  reason?: string | null;
}

/** An invoice with R73–R77's fields (absent on a server without them). */
export interface TaxedInvoice extends Omit<Invoice, 'lines'> {
  lines: {
    contractLineId: string | null;
    contractLineName?: string | null;
    amount: string;
    details: TaxedDetail[];
  }[];
  dueDate?: string | null;
  purchaseOrder?: string | null;
  buyerReference?: string | null;
  note?: string | null;
  taxBreakdown?: TaxBreakdownLine[];
  taxTotal?: string;
  totalWithTax?: string;
  seller?: { legalName: string } | null;
  buyer?: { legalName: string } | null;
}

/** Text of an optional field for an input; empty for none. */
export const text = (value: string | number | null | undefined): string =>
  value === null || value === undefined ? '' : String(value);

/** An input's text as an optional body field: trimmed, or absent when empty. */
export const optional = (value: string): string | undefined => value.trim() || undefined;

/** R78: the invoice's PDF (a draft's is a pro forma). */
export async function fetchInvoiceDocument(invoiceId: string): Promise<Blob> {
  const token = getToken();
  const res = await fetch(`/api/v1/invoices/${encodeURIComponent(invoiceId)}/document`, {
    headers: {
      accept: 'application/pdf, application/problem+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, p.code ?? 'ERROR', p.detail ?? res.statusText);
  }
  return res.blob();
}

/** Saves a blob under `filename` through the browser's download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
