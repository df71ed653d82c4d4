/**
 * R70, R71: the seller profile and customer billing profiles as requests take them, checked
 * as a finance user expects: ISO 3166-1 alpha-2 countries, IBAN check digits, the VAT id's
 * shape, e-mail addresses and EAS scheme codes. Each failure names its field.
 */
import { z } from 'zod';
import { MAX_PAYMENT_TERMS_DAYS } from '../domain/invoice-terms.js';
import {
  isBic,
  isCountryCode,
  isEasScheme,
  isEmail,
  isIban,
  isVatIdShape,
  normalizeIban,
} from '../domain/parties.js';
import { idRef, nonEmptyText } from './common.js';

const text = (max = 200) => nonEmptyText(max);

export const countryCode = z
  .string()
  .trim()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as DE');

export const postalAddress = z.strictObject({
  line1: text(),
  line2: text().nullish(),
  city: text(),
  postalCode: text(20),
  countrySubdivision: text().nullish(),
  country: countryCode,
});

/** Spaces are dropped and letters raised, as people type them ("de 123 456 789"). */
export const vatId = z
  .string()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .refine(isVatIdShape, 'must be a two-letter prefix and 2 to 13 letters or digits');

export const email = z.string().trim().max(254).refine(isEmail, 'must be an e-mail address');

export const electronicAddress = z.strictObject({
  scheme: z
    .string()
    .trim()
    .refine(isEasScheme, 'must be a code of the EAS code list such as 0088, 0208, 9930 or EM'),
  value: text(),
});

export const bankAccount = z.strictObject({
  iban: z
    .string()
    .refine(isIban, 'must be an IBAN with valid check digits')
    .transform(normalizeIban),
  bic: z
    .string()
    .transform((v) => v.trim().toUpperCase())
    .refine(isBic, 'must be a BIC of 8 or 11 characters')
    .nullish(),
  accountName: text().nullish(),
});

export const paymentTermsDays = z.number().int().min(0).max(MAX_PAYMENT_TERMS_DAYS);

/** R70: PUT replaces the whole profile; optional fields left out become empty. */
export const sellerProfileBody = z.strictObject({
  legalName: text(),
  address: postalAddress,
  vatId: vatId.nullish(),
  companyId: text(100).nullish(),
  email: email.nullish(),
  phone: text(50).nullish(),
  electronicAddress: electronicAddress.nullish(),
  bank: bankAccount.nullish(),
  paymentInstructions: text(1000).nullish(),
  defaultPaymentTermsDays: paymentTermsDays.default(30),
  defaultTaxCodeId: idRef.nullish(),
  invoiceFooter: text(1000).nullish(),
});
export type SellerProfileInput = z.output<typeof sellerProfileBody>;

/** R71: PATCH sets the fields given; null clears one. */
export const customerPatchBody = z.strictObject({
  name: text().optional(),
  legalName: text().nullish(),
  address: postalAddress.nullish(),
  vatId: vatId.nullish(),
  companyId: text(100).nullish(),
  invoiceEmail: email.nullish(),
  buyerReference: text().nullish(),
  paymentTermsDays: paymentTermsDays.nullish(),
  taxCodeId: idRef.nullish(),
  electronicAddress: electronicAddress.nullish(),
});
export type CustomerPatchInput = z.output<typeof customerPatchBody>;
