/**
 * R80–R82 in one call: preflight (R81), then the EN 16931 model (R82) written in the syntax
 * asked for. An incomplete invoice yields its findings and no XML.
 */
import type { FieldError } from '../domain/errors.js';
import type { InvoiceDocument } from '../domain/invoice-document.js';
import { toEn16931 } from '../domain/einvoice/mapping.js';
import type { EinvoiceProfile, EinvoiceSyntax } from '../domain/einvoice/model.js';
import { preflight } from '../domain/einvoice/preflight.js';
import { writeCii } from './cii.js';
import { writeUbl } from './ubl.js';

export type EinvoiceOutcome = { ok: true; xml: string } | { ok: false; errors: FieldError[] };

export function writeEinvoice(
  doc: InvoiceDocument,
  syntax: EinvoiceSyntax,
  profile: EinvoiceProfile,
): EinvoiceOutcome {
  const errors = preflight(doc, profile);
  if (errors.length > 0) return { ok: false, errors };
  const model = toEn16931(doc, profile);
  return { ok: true, xml: syntax === 'cii' ? writeCii(model) : writeUbl(model) };
}
