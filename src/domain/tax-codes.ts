/**
 * R72: what makes a tax code sound, and what may change once it is in use. Pure: rates are
 * bigint hundredths of a percent (PERCENT_SCALE), so 19.00 % is 1900n.
 */
import type { FieldError } from './errors.js';
import { formatDecimal, parseDecimal, PERCENT_SCALE } from './money.js';
import type { VatCategory } from './vocabulary.js';

export interface TaxTreatment {
  category: VatCategory;
  /** Percent in hundredths (19.00 % = 1900n). */
  rate: bigint;
  exemptionReason: string | null;
}

/** A rate over 100 % is a typing error, not a VAT rate (docs/DECISIONS.md). */
export const MAX_TAX_RATE = 10_000n;

/** R72: categories whose rate must be 0. */
const ZERO_RATE: ReadonlySet<VatCategory> = new Set(['Z', 'E', 'AE', 'K', 'G', 'O']);
/** R72: categories that need an exemption reason. */
const NEEDS_REASON: ReadonlySet<VatCategory> = new Set(['E', 'AE', 'K', 'G', 'O']);

/**
 * R72's rules on a tax code's category, rate and exemption reason, each failure naming its
 * field. Categories that need no reason (S, Z, L, M) may not carry one: EN 16931 forbids an
 * exemption reason there (BR-S-10, BR-Z-10, BR-IG-10, BR-IP-10), and R81's e-invoice would
 * otherwise be refused later for a code accepted now.
 */
export function taxCodeErrors(t: TaxTreatment): FieldError[] {
  const errors: FieldError[] = [];
  if (t.rate < 0n || t.rate > MAX_TAX_RATE) {
    errors.push({ field: 'rate', message: 'must be a percent from 0 to 100' });
  } else if (t.category === 'S' && t.rate === 0n) {
    errors.push({ field: 'rate', message: 'must be greater than 0 for category S' });
  } else if (ZERO_RATE.has(t.category) && t.rate !== 0n) {
    errors.push({ field: 'rate', message: `must be 0 for category ${t.category}` });
  }
  if (NEEDS_REASON.has(t.category) && t.exemptionReason === null) {
    errors.push({
      field: 'exemptionReason',
      message: `is required for category ${t.category}`,
    });
  } else if (!NEEDS_REASON.has(t.category) && t.exemptionReason !== null) {
    errors.push({
      field: 'exemptionReason',
      message: `must be absent for category ${t.category}`,
    });
  }
  return errors;
}

/**
 * R72: the fields of a tax code in use that a change would alter (category, rate,
 * exemption reason). Empty means the change may go ahead: code and name may always change,
 * and restating the current values changes nothing.
 */
export function inUseChanges(current: TaxTreatment, next: TaxTreatment): string[] {
  const changed: string[] = [];
  if (next.category !== current.category) changed.push('category');
  if (next.rate !== current.rate) changed.push('rate');
  if (next.exemptionReason !== current.exemptionReason) changed.push('exemptionReason');
  return changed;
}

/** A rate the database stored (numeric(5,2) text) in hundredths of a percent. */
export function storedRate(text: string): bigint {
  const v = parseDecimal(text, PERCENT_SCALE, 3);
  if (v === null) throw new Error(`stored rate ${text} is not a decimal`);
  return v;
}

/** A rate as the API shows it: two decimals ("19.00"). */
export const formatRate = (rate: bigint): string => formatDecimal(rate, PERCENT_SCALE);
