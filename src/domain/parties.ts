/**
 * R70, R71: the parties of an invoice — the seller's profile and a customer's billing
 * profile — and the checks a finance user expects of them. Pure: the country list and the
 * IBAN check digits come from well-kept libraries (i18n-iso-countries, ibantools).
 */
import countries from 'i18n-iso-countries';
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import type {
  BankAccount,
  ElectronicAddress,
  Party,
  PostalAddress,
  SellerParty,
} from './invoice-document.js';

/** R70: the seller profile as the API shows and takes it (`PUT` replaces all of it). */
export interface SellerProfile {
  legalName: string;
  address: PostalAddress;
  vatId: string | null;
  companyId: string | null;
  email: string | null;
  phone: string | null;
  electronicAddress: ElectronicAddress | null;
  bank: BankAccount | null;
  paymentInstructions: string | null;
  defaultPaymentTermsDays: number;
  defaultTaxCodeId: string | null;
  invoiceFooter: string | null;
}

/** R71: a customer's billing profile, flat fields of the customer; every one optional. */
export interface CustomerBillingProfile {
  legalName: string | null;
  address: PostalAddress | null;
  vatId: string | null;
  companyId: string | null;
  invoiceEmail: string | null;
  buyerReference: string | null;
  paymentTermsDays: number | null;
  taxCodeId: string | null;
  electronicAddress: ElectronicAddress | null;
}

/** ISO 3166-1 alpha-2, upper case as documents print it ("DE", not "de"). */
export const isCountryCode = (code: string): boolean =>
  /^[A-Z]{2}$/.test(code) && countries.isValid(code);

/** An IBAN as stored: upper case, no spaces ("DE89 3704 …" → "DE89370400440532013000"). */
export const normalizeIban = (iban: string): string =>
  electronicFormatIBAN(iban) ?? iban.replace(/\s+/g, '').toUpperCase();

/** R70: country, length and the mod-97 check digits. */
export const isIban = (iban: string): boolean => isValidIBAN(normalizeIban(iban));

export const isBic = (bic: string): boolean => isValidBIC(bic.trim().toUpperCase());

/**
 * A VAT identifier's shape: a two-letter prefix (the country, or EL for Greece, XI for
 * Northern Ireland) and 2–13 letters or digits. Whether the number exists is the tax
 * office's to say (VIES), not ours.
 */
export const isVatIdShape = (vatId: string): boolean => /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/.test(vatId);

/** An address a mail server would take: one @, a dotted domain, no spaces. */
export const isEmail = (email: string): boolean =>
  email.length <= 254 && /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:]{2,}$/.test(email);

/**
 * The CEF Electronic Address Scheme (EAS) code list that EN 16931 requires of BT-34 and
 * BT-49 (BR-CL-25): ISO 6523 ICD codes, the 99xx national schemes, and the letter codes.
 * A test checks it against the official validation artefacts.
 */
export const EAS_CODES: ReadonlySet<string> = new Set([
  ...'0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177'.split(
    ' ',
  ),
  ...'0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205'.split(
    ' ',
  ),
  ...'0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230 0235 0240 0242'.split(
    ' ',
  ),
  ...'0244 0245 0246 0248 9910 9913 9914 9915 9918 9919 9920'.split(' '),
  ...Array.from({ length: 9953 - 9922 + 1 }, (_, i) => String(9922 + i)),
  ...'9957 9959 AN AQ AS AU EM'.split(' '),
]);

export const isEasScheme = (scheme: string): boolean => EAS_CODES.has(scheme);

/** R76: the seller as an invoice prints it; frozen on confirmation. */
export function sellerParty(p: SellerProfile): SellerParty {
  return {
    legalName: p.legalName,
    address: p.address,
    vatId: p.vatId,
    companyId: p.companyId,
    email: p.email,
    phone: p.phone,
    electronicAddress: p.electronicAddress,
    bank: p.bank,
    paymentInstructions: p.paymentInstructions,
    invoiceFooter: p.invoiceFooter,
  };
}

/**
 * Without a seller profile an invoice still has a seller block: an empty one (no name), so
 * nothing is invented; an e-invoice refuses it (R81) until the profile is set.
 */
export const NO_SELLER: SellerParty = {
  legalName: '',
  address: null,
  vatId: null,
  companyId: null,
  email: null,
  phone: null,
  electronicAddress: null,
  bank: null,
  paymentInstructions: null,
  invoiceFooter: null,
};

/** R76: the buyer as an invoice prints it: its legal name, else the customer's name. */
export function buyerParty(name: string, p: CustomerBillingProfile): Party {
  return {
    legalName: p.legalName ?? name,
    address: p.address,
    vatId: p.vatId,
    companyId: p.companyId,
    email: p.invoiceEmail,
    phone: null,
    electronicAddress: p.electronicAddress,
  };
}

const address = (a: PostalAddress | null): PostalAddress | null =>
  a && {
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    postalCode: a.postalCode,
    countrySubdivision: a.countrySubdivision ?? null,
    country: a.country,
  };

/**
 * A party read back from its frozen JSON (R76), in the shape and field order it was given:
 * the database keeps JSON objects with their keys in its own order.
 */
export function frozenParty(p: Party): Party {
  return {
    legalName: p.legalName,
    address: address(p.address),
    vatId: p.vatId,
    companyId: p.companyId,
    email: p.email,
    phone: p.phone,
    electronicAddress: p.electronicAddress && {
      scheme: p.electronicAddress.scheme,
      value: p.electronicAddress.value,
    },
  };
}

export function frozenSeller(p: SellerParty): SellerParty {
  return {
    ...frozenParty(p),
    bank: p.bank && {
      iban: p.bank.iban,
      bic: p.bank.bic ?? null,
      accountName: p.bank.accountName ?? null,
    },
    paymentInstructions: p.paymentInstructions,
    invoiceFooter: p.invoiceFooter,
  };
}
