/** Turning stored exact values into the API's decimal strings (R2). */
import {
  currencyExponent,
  formatDecimal,
  formatUnitPrice,
  parseDecimal,
  trimUnitPrice,
  UNIT_PRICE_SCALE,
} from '../../domain/money.js';

/** Minor units (a bigint column, read as text) in the currency's digits: "1600.00". */
export function money(minor: string | bigint, currency: string): string {
  return formatDecimal(BigInt(minor), currencyExponent(currency));
}

export function moneyOrNull(minor: string | bigint | null, currency: string): string | null {
  return minor === null ? null : money(minor, currency);
}

/** What PostgreSQL writes for a `numeric(…, 6)` value: its digits, already exact. */
const STORED_UNIT_PRICE = /^-?\d+\.\d{6}$/;

export function unitPriceText(stored: string, currency: string): string {
  // Every page row shows one: the stored text is trimmed as it is, without a round trip
  // through bigint; anything else goes the long way.
  if (STORED_UNIT_PRICE.test(stored)) return trimUnitPrice(stored, currencyExponent(currency));
  const units = parseDecimal(stored, UNIT_PRICE_SCALE, 18);
  return units === null ? stored : formatUnitPrice(units, currencyExponent(currency));
}
