/**
 * Identifier checks an e-invoice's receiver applies (R81): the electronic address scheme
 * must be a code of the CEF Electronic Address Scheme list (BR-CL-25; Peppol accepts a
 * subset, PEPPOL-EN16931-CL008), and Peppol checks the check digits of the schemes it knows
 * (PEPPOL-COMMON-R040, R041, R043).
 */
import { isCountryCode, isEasScheme } from '../parties.js';

/** Codes of the CEF list that Peppol BIS Billing 3.0 does not route on. */
const NOT_IN_PEPPOL = new Set('0219 0220 0242 0244 0245 0246 0248 AN AQ AS AU EM'.split(' '));

const digitsOf = (s: string): number[] => [...s].map((c) => c.charCodeAt(0) - 48);

/** GS1 check digit of a GLN (scheme 0088). */
export function glnOk(value: string): boolean {
  if (!/^[0-9]{2,}$/.test(value)) return false;
  const body = digitsOf(value.slice(0, -1)).reverse();
  const sum = body.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(value.at(-1));
}

/** Belgian enterprise number (scheme 0208): 10 digits, the last two 97 − (first eight mod 97). */
export function belgianEnterpriseNumberOk(value: string): boolean {
  if (!/^[0-9]{10}$/.test(value)) return false;
  return 97 - (Number(value.slice(0, 8)) % 97) === Number(value.slice(8));
}

/** Norwegian organisation number (scheme 0192): 9 digits, mod 11 with weights 3 2 7 6 5 4 3 2. */
export function norwegianOrganisationNumberOk(value: string): boolean {
  if (!/^[0-9]{9}$/.test(value)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const d = digitsOf(value);
  const sum = weights.reduce((s, w, i) => s + w * d[i]!, 0);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === d[8];
}

const CHECKED: Record<string, { ok: (v: string) => boolean; what: string; rule: string }> = {
  '0088': { ok: glnOk, what: 'a GLN with a valid check digit', rule: 'PEPPOL-COMMON-R040' },
  '0192': {
    ok: norwegianOrganisationNumberOk,
    what: 'a Norwegian organisation number with a valid check digit',
    rule: 'PEPPOL-COMMON-R041',
  },
  '0208': {
    ok: belgianEnterpriseNumberOk,
    what: 'a Belgian enterprise number with valid check digits',
    rule: 'PEPPOL-COMMON-R043',
  },
};

/** What is wrong with an electronic address (without the business term, which the caller adds). */
export function electronicAddressErrors(scheme: string, value: string, peppol: boolean): string[] {
  if (!isEasScheme(scheme)) {
    return [`scheme ${scheme} is not a code of the Electronic Address Scheme list (BR-CL-25)`];
  }
  if (peppol && NOT_IN_PEPPOL.has(scheme)) {
    return [`scheme ${scheme} is not accepted by Peppol BIS Billing 3.0 (PEPPOL-EN16931-CL008)`];
  }
  const check = peppol ? CHECKED[scheme] : undefined;
  if (check && !check.ok(value)) return [`must be ${check.what} (${check.rule})`];
  return [];
}

/**
 * Kosovo's user-assigned code: accepted as a country elsewhere in the product, but not by
 * the EN 16931 code lists (BR-CL-14, BR-CO-09).
 */
const NOT_IN_EN16931 = new Set(['XK']);

/** BR-CL-14: a country code the EN 16931 code list knows (ISO 3166-1 alpha-2). */
export function en16931CountryOk(code: string): boolean {
  return isCountryCode(code) && !NOT_IN_EN16931.has(code);
}

/** BR-CO-09: a VAT id starts with an ISO 3166-1 alpha-2 code; Greece uses EL, Northern Ireland XI. */
export function vatIdPrefixOk(vatId: string): boolean {
  const prefix = vatId.slice(0, 2);
  return prefix === 'EL' || prefix === 'XI' || en16931CountryOk(prefix);
}
