/**
 * Request building blocks shared by every resource. Decimals arrive as strings or JSON
 * numbers (R2) and leave validation as canonical strings; the domain parses them to exact
 * units. Nothing here does arithmetic.
 */
import { z } from 'zod';
import { BILLING_METHODS, ROLES, TRANSACTION_CLASSES } from '../domain/vocabulary.js';
import { DATE_RANGE_MESSAGE, FIRST_DATE, isDateInRange, LAST_DATE } from '../domain/calendar.js';

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * A decimal as a string or a JSON number. Numbers are taken by their shortest text
 * (0.1 → "0.1"); exponent forms (1e21) are refused rather than guessed at.
 */
export const decimal = (opts: {
  min?: 'positive' | 'nonNegative';
  scale: number;
  maxDigits?: number;
}) =>
  z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const text = typeof v === 'number' ? String(v) : v.trim();
      if (!DECIMAL_TEXT.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'must be a decimal number such as "12.50"' });
        return z.NEVER;
      }
      const [int = '', frac = ''] = text.replace(/^-/, '').split('.');
      const digits = int.replace(/^0+/, '').length;
      if (digits > (opts.maxDigits ?? 13)) {
        ctx.addIssue({ code: 'custom', message: 'is too large' });
        return z.NEVER;
      }
      if (frac.replace(/0+$/, '').length > opts.scale) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${opts.scale} decimals` });
        return z.NEVER;
      }
      const isZero = /^-?0*(\.0*)?$/.test(text);
      const negative = text.startsWith('-') && !isZero;
      if (opts.min === 'positive' && (negative || isZero)) {
        ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
        return z.NEVER;
      }
      if (opts.min === 'nonNegative' && negative) {
        ctx.addIssue({ code: 'custom', message: 'must not be negative' });
        return z.NEVER;
      }
      return isZero ? text.replace(/^-/, '') : text;
    })
    .meta({ description: 'decimal as a string (or JSON number)', example: '1600.00' });

/** Money amounts: the currency decides the final scale, so allow up to 3 decimals here. */
export const amount = (min: 'positive' | 'nonNegative' = 'nonNegative') =>
  decimal({ min, scale: 3, maxDigits: 13 });
export const quantity = (min: 'positive' | 'nonNegative' = 'positive') =>
  decimal({ min, scale: 2, maxDigits: 12 });
export const unitPrice = decimal({ min: 'nonNegative', scale: 6, maxDigits: 12 });
export const percent = decimal({ min: 'nonNegative', scale: 2, maxDigits: 3 });

/**
 * ISO calendar date, checked to exist (2026-02-30 is refused) and to lie in the range of
 * spec §2 (1900-01-01 to 9999-12-31): the error tells the range.
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, `must be a date as YYYY-MM-DD from ${FIRST_DATE} to ${LAST_DATE}`)
  .refine(isDateInRange, DATE_RANGE_MESSAGE)
  .meta({ example: '2026-03-31' });

/**
 * Ids are strings of digits in JSON. A reference in a body that is not a well-formed id is
 * a validation error; in a path it simply names nothing (404).
 */
export const idRef = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = String(v);
  if (!/^[1-9]\d{0,17}$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'must be an id' });
    return z.NEVER;
  }
  return text;
});

export const idParam = z.object({ id: z.string() });

/** Bulk bodies: a non-empty array of strings (spec §5); unknown ids are answered per item. */
export const bulkIds = z.strictObject({
  ids: z.array(z.string().max(200)).min(1, 'must name at least one id').max(100_000),
});

export const nonEmptyText = (max = 200) => z.string().trim().min(1).max(max);

export const transactionClass = z.enum(TRANSACTION_CLASSES);
export const billingMethod = z.enum(BILLING_METHODS);
export const role = z.enum(ROLES);
