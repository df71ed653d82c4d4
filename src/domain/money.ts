/**
 * Exact decimals (R1, R2). A decimal value is a `bigint` count of units at a known scale:
 * an amount in USD is a count of cents (scale 2), in JPY of yen (scale 0), in KWD of fils
 * (scale 3). Quantities and percentages use scale 2. Nothing here ever touches a float.
 */
import { DomainError } from './errors.js';

/** ISO 4217 minor-unit exponents. Codes not listed are not accepted. */
const CURRENCY_EXPONENTS: Record<string, number> = {
  AED: 2,
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PLN: 2,
  QAR: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
};

export const QUANTITY_SCALE = 2;

/** A quantity the database stored (numeric(16,2) text) in units of QUANTITY_SCALE. */
export function storedQuantity(text: string): bigint {
  const v = parseDecimal(text, QUANTITY_SCALE, 18);
  if (v === null) throw new Error(`stored quantity ${text} is not a decimal`);
  return v;
}
export const PERCENT_SCALE = 2;
export const UNIT_PRICE_SCALE = 6;
/** 10^15 minor units keeps every sum far inside PostgreSQL's bigint. */
export const MAX_AMOUNT_DIGITS = 15;

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

export function currencyExponent(code: string): number {
  const exp = CURRENCY_EXPONENTS[code];
  if (exp === undefined) throw new DomainError('VALIDATION_FAILED', `unknown currency ${code}`);
  return exp;
}

// Every scale and exponent of the ledger is small: the powers are made once, not per value.
const POWERS_OF_TEN = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
export const pow10 = (n: number): bigint => POWERS_OF_TEN[n] ?? 10n ** BigInt(n);

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string into units at `scale`. Returns null when the text is not a plain
 * decimal, has more fraction digits than `scale` allows, or more than `maxDigits` integer
 * digits. Trailing fraction zeros beyond the scale are accepted ("8.000" at scale 2).
 */
export function parseDecimal(text: string, scale: number, maxDigits = 15): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const [, sign, intPart = '', fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > scale) return null;
  if (intPart.replace(/^0+/, '').length > maxDigits) return null;
  const units = BigInt(intPart) * pow10(scale) + BigInt(frac.padEnd(scale, '0') || '0');
  // "-0" and "-0.00" are zero, not a negative amount.
  return sign && units !== 0n ? -units : units;
}

/** Formats units at `scale` as a decimal string with exactly `scale` fraction digits. */
export function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = pow10(scale);
  const int = abs / base;
  const frac = abs % base;
  const text = scale === 0 ? `${int}` : `${int}.${frac.toString().padStart(scale, '0')}`;
  return negative ? `-${text}` : text;
}

/** Division of integers rounded half away from zero (the accountant's round half up). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** Changes the scale of a value, rounding half up when digits are dropped. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * pow10(to - from);
  return divRoundHalfUp(units, pow10(from - to));
}

/**
 * quantity × unit price, rounded half up to the currency's minor unit.
 * quantity at QUANTITY_SCALE, unit price at UNIT_PRICE_SCALE.
 */
export function extendAmount(quantity: bigint, unitPrice: bigint, exponent: number): bigint {
  return rescale(quantity * unitPrice, QUANTITY_SCALE + UNIT_PRICE_SCALE, exponent);
}

/** Unit prices are stored at scale 6 but shown with the currency's digits unless more are needed. */
export function formatUnitPrice(units: bigint, exponent: number): string {
  return trimUnitPrice(formatDecimal(units, UNIT_PRICE_SCALE), exponent);
}

/** A unit price's exact decimal text with the currency's digits, or more where it has more. */
export function trimUnitPrice(decimal: string, exponent: number): string {
  const [int, frac = ''] = decimal.split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(exponent, '0');
  return trimmed ? `${int}.${trimmed}` : `${int}`;
}
