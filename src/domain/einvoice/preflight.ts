/**
 * R81: what a confirmed invoice lacks to become a conforming e-invoice, found before any
 * XML is written. Each finding names the field to fill (a dotted path into the invoice,
 * its parties or its profile), the business term and the rule that needs it, so the API
 * can answer 422 EINVOICE_INCOMPLETE and nothing that would fail validation is produced.
 *
 * The rules are those of the CEN EN 16931 validation artefacts (BR-*) and, for Peppol,
 * OpenPEPPOL's BIS Billing 3.0 rules (PEPPOL-*), as they apply to what `toEn16931` writes.
 */
import type { FieldError } from '../errors.js';
import type { InvoiceDocument, Party } from '../invoice-document.js';
import type { VatCategory } from '../vocabulary.js';
import { electronicAddressErrors, en16931CountryOk, vatIdPrefixOk } from './identifiers.js';
import type { EinvoiceProfile } from './model.js';

const filled = (s: string | null | undefined): boolean => !!s && s.trim().length > 0;

/** The rule that needs the seller's VAT id (BT-31) for each category (BR-x-02). */
const SELLER_VAT_RULE: Partial<Record<VatCategory, string>> = {
  S: 'BR-S-02',
  Z: 'BR-Z-02',
  E: 'BR-E-02',
  AE: 'BR-AE-02',
  K: 'BR-IC-02',
  G: 'BR-G-02',
  L: 'BR-IG-02',
  M: 'BR-IP-02',
};

/** Categories whose breakdown needs an exemption reason (BR-x-10). */
const EXEMPTION_RULE: Partial<Record<VatCategory, string>> = {
  E: 'BR-E-10',
  AE: 'BR-AE-10',
  K: 'BR-IC-10',
  G: 'BR-G-10',
  O: 'BR-O-10',
};

function partyErrors(
  role: 'seller' | 'buyer',
  p: Party,
  terms: { name: string; address: string; country: string; rules: [string, string, string] },
): FieldError[] {
  const errors: FieldError[] = [];
  const [nameRule, addressRule, countryRule] = terms.rules;
  if (!filled(p.legalName)) {
    errors.push({ field: `${role}.legalName`, message: `${terms.name} is required (${nameRule})` });
  }
  const a = p.address;
  if (!a) {
    errors.push({
      field: `${role}.address`,
      message: `${terms.address} is required (${addressRule})`,
    });
  }
  if (!a || !filled(a.country)) {
    errors.push({
      field: `${role}.address.country`,
      message: `${terms.country} is required (${countryRule})`,
    });
  } else if (!en16931CountryOk(a.country.trim())) {
    errors.push({
      field: `${role}.address.country`,
      message: `${terms.country} ${a.country} is not on the EN 16931 country code list (BR-CL-14)`,
    });
  }
  return errors;
}

/** R81: every missing or unusable field, in a stable order; empty when the invoice can be sent. */
export function preflight(doc: InvoiceDocument, profile: EinvoiceProfile): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });

  // BR-DEC-*: EN 16931 amounts have at most 2 decimals; KWD's fils cannot be stated.
  if (doc.currencyExponent > 2) {
    add(
      'currency',
      `BT-5 ${doc.currency} has ${doc.currencyExponent} decimals; EN 16931 amounts have at most 2 (BR-DEC-01 and following)`,
    );
  }

  errors.push(
    ...partyErrors('seller', doc.seller, {
      name: 'BT-27',
      address: 'BG-5',
      country: 'BT-40',
      rules: ['BR-06', 'BR-08', 'BR-09'],
    }),
    ...partyErrors('buyer', doc.buyer, {
      name: 'BT-44',
      address: 'BG-8',
      country: 'BT-55',
      rules: ['BR-07', 'BR-10', 'BR-11'],
    }),
  );

  // Every category the invoice uses, and which detail or retainer uses it.
  const categories = new Set<VatCategory>();
  let chargeable = 0;
  doc.lines.forEach((line, li) =>
    line.details.forEach((d, di) => {
      if (d.billingType !== 'Chargeable') return;
      chargeable += 1;
      if (d.tax) categories.add(d.tax.category);
      else
        add(
          `lines.${li}.details.${di}.taxCode`,
          `BT-151 is required: detail "${d.description}" has no tax code (BR-CO-04)`,
        );
    }),
  );
  if (chargeable === 0) add('lines', 'BG-25: at least one chargeable detail is required (BR-16)');
  doc.appliedRetainers.forEach((r, i) => {
    if (r.amount === 0n) return;
    if (r.tax) categories.add(r.tax.category);
    else
      add(
        `appliedRetainers.${i}.taxCode`,
        `BT-95 is required: the retainer applied had no tax code (BR-32)`,
      );
  });

  const sellerVat = filled(doc.seller.vatId);
  for (const category of categories) {
    const rule = SELLER_VAT_RULE[category];
    if (rule && !sellerVat) {
      add('seller.vatId', `BT-31 is required for VAT category ${category} (${rule})`);
    }
  }
  if (categories.has('AE') && !filled(doc.buyer.vatId) && !filled(doc.buyer.companyId)) {
    add('buyer.vatId', 'BT-48 or BT-47 is required for VAT category AE (BR-AE-02)');
  }
  if (categories.has('K') && !filled(doc.buyer.vatId)) {
    add('buyer.vatId', 'BT-48 is required for VAT category K (BR-IC-02)');
  }
  if (categories.has('O')) {
    if (categories.size > 1) {
      add(
        'taxBreakdown',
        `VAT category O cannot be combined with ${[...categories].filter((c) => c !== 'O').join(', ')} on one invoice (BR-O-11)`,
      );
    }
    // BR-O-02 leaves the VAT ids out, so the seller is identified by its registration id.
    if (!filled(doc.seller.companyId)) {
      add('seller.companyId', 'BT-30 is required for VAT category O (BR-CO-26)');
    }
  } else if (!sellerVat && !filled(doc.seller.companyId)) {
    add('seller.companyId', 'BT-30 or BT-31 is required to identify the seller (BR-CO-26)');
  }
  doc.taxBreakdown.forEach((b, i) => {
    const rule = EXEMPTION_RULE[b.category];
    if (rule && !filled(b.exemptionReason)) {
      add(
        `taxBreakdown.${i}.exemptionReason`,
        `BT-120 is required for VAT category ${b.category} (${rule})`,
      );
    }
  });

  // BR-CO-09: a VAT id starts with its country's ISO 3166-1 code (Greece: EL). Category O
  // leaves VAT ids out (BR-O-02), so they are not checked there.
  if (!categories.has('O')) {
    for (const role of ['seller', 'buyer'] as const) {
      const id = doc[role].vatId;
      if (filled(id) && !vatIdPrefixOk(id!.trim())) {
        add(
          `${role}.vatId`,
          `${role === 'seller' ? 'BT-31' : 'BT-48'} must start with an ISO 3166-1 country code (BR-CO-09)`,
        );
      }
    }
  }

  const peppol = profile === 'peppol';
  for (const role of ['seller', 'buyer'] as const) {
    const term = role === 'seller' ? 'BT-34' : 'BT-49';
    const ea = doc[role].electronicAddress;
    if (ea && filled(ea.value)) {
      for (const message of electronicAddressErrors(ea.scheme.trim(), ea.value.trim(), peppol)) {
        add(`${role}.electronicAddress`, `${term} ${message}`);
      }
    } else if (peppol) {
      add(
        `${role}.electronicAddress`,
        `${term} is required by Peppol BIS Billing 3.0 (${role === 'seller' ? 'PEPPOL-EN16931-R020' : 'PEPPOL-EN16931-R010'})`,
      );
    }
  }
  if (peppol && !filled(doc.buyerReference) && !filled(doc.purchaseOrder)) {
    add(
      'buyerReference',
      'BT-10 or BT-13 (purchase order) is required by Peppol BIS Billing 3.0 (PEPPOL-EN16931-R003)',
    );
  }
  return errors;
}
