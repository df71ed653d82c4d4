/**
 * R80, R81: the e-invoice of one stored invoice, for the API and the CLI alike. A draft has
 * none (INVALID_TRANSITION); an incomplete invoice is EINVOICE_INCOMPLETE with the findings.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { EinvoiceProfile, EinvoiceSyntax } from '../domain/einvoice/model.js';
import { DomainError, invalidTransition, notFound } from '../domain/errors.js';
import { loadInvoiceDocument } from '../views/invoice-document.js';
import { writeEinvoice, type EinvoiceOutcome } from './write.js';

export interface EinvoiceFile {
  number: string;
  xml: string;
}

/** The outcome for a confirmed invoice; throws NOT_FOUND or INVALID_TRANSITION otherwise. */
export async function einvoiceOf(
  db: Kysely<DB>,
  invoiceId: string,
  syntax: EinvoiceSyntax,
  profile: EinvoiceProfile,
): Promise<EinvoiceOutcome & { number: string }> {
  const doc = await loadInvoiceDocument(db, invoiceId);
  if (!doc) throw notFound('invoice', invoiceId);
  if (doc.kind === 'ProForma' || doc.number === null) {
    throw invalidTransition(
      `invoice ${invoiceId} is a draft: only a confirmed invoice has an e-invoice (R80)`,
    );
  }
  return { ...writeEinvoice(doc, syntax, profile), number: doc.number };
}

/** The XML, or EINVOICE_INCOMPLETE naming every missing field (R81). */
export async function requireEinvoice(
  db: Kysely<DB>,
  invoiceId: string,
  syntax: EinvoiceSyntax,
  profile: EinvoiceProfile,
): Promise<EinvoiceFile> {
  const out = await einvoiceOf(db, invoiceId, syntax, profile);
  if (!out.ok) {
    throw new DomainError(
      'EINVOICE_INCOMPLETE',
      `invoice ${out.number} cannot be written as a conforming e-invoice: ${out.errors.length} field(s) missing or unusable`,
      out.errors,
    );
  }
  return { number: out.number, xml: out.xml };
}
