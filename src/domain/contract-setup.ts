/**
 * Checks and completes the customer splits of a contract or a contract line before they
 * are stored (R3, R5): default percentages, the default rounding customer, exact sums.
 */
import { DomainError, type FieldError } from './errors.js';
import { PERCENT_SCALE, formatDecimal, parseDecimal } from './money.js';
import { checkSplit, divide } from './split.js';

export interface SplitInput {
  customerId: string;
  /** Decimal text; omitted on every customer means an even split. */
  percent?: string;
  isRounding?: boolean;
  notToExceed?: string;
}

export interface PlannedSplit {
  customerId: string;
  percent: bigint;
  isRounding: boolean;
  notToExceed: bigint | null;
}

/** Parses an amount at the currency's exponent, collecting a field error if it does not fit. */
export function amountField(
  text: string | undefined,
  exponent: number,
  field: string,
  errors: FieldError[],
): bigint | null {
  if (text === undefined) return null;
  const units = parseDecimal(text, exponent, 13);
  if (units === null) {
    errors.push({ field, message: `must have at most ${exponent} decimals in this currency` });
    return null;
  }
  return units;
}

export function planSplits(
  inputs: readonly SplitInput[],
  exponent: number,
  field: string,
): PlannedSplit[] {
  const errors: FieldError[] = [];
  if (inputs.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'at least one customer is needed', [
      { field, message: 'must name at least one customer' },
    ]);
  }
  const seen = new Set<string>();
  inputs.forEach((c, i) => {
    if (seen.has(c.customerId)) {
      errors.push({ field: `${field}.${i}.customerId`, message: 'names a customer twice' });
    }
    seen.add(c.customerId);
  });
  const given = inputs.filter((c) => c.percent !== undefined).length;
  if (given !== 0 && given !== inputs.length) {
    inputs.forEach((c, i) => {
      if (c.percent === undefined) {
        errors.push({
          field: `${field}.${i}.billingSplitPercent`,
          message: 'give every customer a percentage, or none for an even split',
        });
      }
    });
  }
  // R3 defaults the rounding customer to the first (primary) one.
  const roundingGiven = inputs.some((c) => c.isRounding === true);
  const even = given === 0 ? divide(100_00n, inputs.length) : [];
  const planned = inputs.map((c, i) => ({
    customerId: c.customerId,
    percent:
      c.percent === undefined
        ? (even[i] ?? 0n)
        : (parseDecimal(c.percent, PERCENT_SCALE, 3) ?? -1n),
    isRounding: roundingGiven ? c.isRounding === true : i === 0,
    notToExceed: amountField(c.notToExceed, exponent, `${field}.${i}.notToExceed`, errors),
  }));
  for (const p of checkSplit(planned)) {
    errors.push({
      field: p.index === null ? field : `${field}.${p.index}.billingSplitPercent`,
      message:
        p.index === null && p.message.includes('sum')
          ? `${p.message} (they sum to ${formatDecimal(
              planned.reduce((s, x) => s + x.percent, 0n),
              PERCENT_SCALE,
            )})`
          : p.message,
    });
  }
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      errors.map((e) => `${e.field} ${e.message}`).join('; '),
      errors,
    );
  }
  return planned;
}
