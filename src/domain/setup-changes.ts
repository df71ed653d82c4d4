/**
 * Changes to a contract's setup (R90) as pure values: which fields a PATCH changes, with
 * their old and new values for the audit, and the rules a change must keep (R44, the split
 * freeze). The commands load the rows, call these and write what they answer.
 */
import { DomainError, type FieldError } from './errors.js';

/** One audited field change; values are the API's text (null: no value, e.g. no limit). */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** A change only when the value differs; an unchanged field leaves no audit event. */
export function fieldChange(
  field: string,
  from: string | null,
  to: string | null,
): FieldChange | null {
  return from === to ? null : { field, from, to };
}

export function collectChanges(changes: readonly (FieldChange | null)[]): FieldChange[] {
  return changes.filter((c): c is FieldChange => c !== null);
}

/** R44: a line's contracted amount may not fall below the sum of its milestones. */
export function checkContractedAmount(
  contracted: bigint | null,
  milestonesTotal: bigint,
  formatted: (units: bigint) => string,
): FieldError | null {
  const floor = milestonesTotal;
  if (contracted === null) {
    return floor > 0n
      ? {
          field: 'contractedAmount',
          message: `cannot be removed: the line's milestones sum to ${formatted(floor)}`,
        }
      : null;
  }
  if (contracted < floor) {
    return {
      field: 'contractedAmount',
      message: `must be at least ${formatted(floor)}, what the line's milestones sum to`,
    };
  }
  return null;
}

/**
 * R90: split percentages and the rounding customer shape every amount already allocated on
 * the line, so they change only while nothing has been: no actual and no milestone.
 */
export function checkSplitChangeAllowed(line: {
  hasActuals: boolean;
  hasMilestones: boolean;
}): void {
  if (!line.hasActuals && !line.hasMilestones) return;
  const what = [line.hasActuals && 'actuals', line.hasMilestones && 'milestones']
    .filter(Boolean)
    .join(' and ');
  throw new DomainError(
    'CONFLICT',
    `the line already has ${what}; its split percentages and rounding customer can no longer change`,
    [{ field: 'customers', message: `cannot change once the line has ${what}` }],
  );
}

/**
 * A split change names the line's customers exactly, each once: a PATCH re-divides the
 * line among the customers it has, it does not add or remove any (R90 names percentages
 * and the rounding customer only).
 */
export function checkSameCustomers(
  current: readonly string[],
  given: readonly string[],
  field: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(current);
  given.forEach((id, i) => {
    if (!known.has(id)) {
      errors.push({ field: `${field}.${i}.customerId`, message: `is not a customer of this line` });
    }
  });
  const named = new Set(given);
  const missing = current.filter((id) => !named.has(id));
  if (missing.length > 0) {
    errors.push({
      field,
      message: `must name every customer of the line (missing ${missing.join(', ')})`,
    });
  }
  return errors;
}

/** Schedule dates as audit text: `run/cutoff` pairs in run-date order. */
export function scheduleText(schedule: readonly { runDate: string; cutoffDate: string }[]): string {
  return [...schedule]
    .sort((a, b) => (a.runDate < b.runDate ? -1 : a.runDate > b.runDate ? 1 : 0))
    .map((s) => `${s.runDate}/${s.cutoffDate}`)
    .join(',');
}

/** Splits as audit text: `customerId:percent` with a `*` on the rounding customer. */
export function splitText(
  splits: readonly { customerId: string; percent: string; isRounding: boolean }[],
): string {
  return splits.map((s) => `${s.customerId}:${s.percent}${s.isRounding ? '*' : ''}`).join(',');
}

export function failIfAny(errors: readonly FieldError[]): void {
  if (errors.length === 0) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    errors.map((e) => `${e.field} ${e.message}`).join('; '),
    [...errors],
  );
}
