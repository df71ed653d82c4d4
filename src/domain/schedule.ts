/**
 * R54: the dates of a retainer schedule, by end date or by count. The period starts
 * themselves are R43's (`periodStarts` in milestones.ts), so retainers and milestones are
 * dated by one rule.
 */
import { LAST_DATE } from './calendar.js';
import { DomainError, type FieldError } from './errors.js';
import { MAX_GENERATED, periodStarts } from './milestones.js';
import type { Frequency } from './vocabulary.js';

export interface SchedulePlan {
  startDate: string;
  frequency: Frequency;
  endDate?: string;
  count?: number;
}

/** A schedule may not create more items than this in one request (as for milestones). */
export const MAX_SCHEDULE_COUNT = MAX_GENERATED;

const FOUR_DIGIT_YEAR = /^\d{4}-/;

/**
 * Exactly one of `endDate` (inclusive) or `count` must be given. Refuses (VALIDATION_FAILED)
 * a plan with neither or both, an end before the start, a count outside 1..max, more than
 * `max` periods, or dates past the year 9999.
 */
export function scheduleDates(plan: SchedulePlan, max = MAX_SCHEDULE_COUNT): string[] {
  const errors: FieldError[] = [];
  const hasEnd = plan.endDate !== undefined;
  const hasCount = plan.count !== undefined;
  if (hasEnd === hasCount) {
    const message = hasEnd
      ? 'give either endDate or count, not both'
      : 'give either endDate or count';
    errors.push({ field: 'endDate', message }, { field: 'count', message });
  }
  if (
    plan.count !== undefined &&
    (!Number.isInteger(plan.count) || plan.count < 1 || plan.count > max)
  ) {
    errors.push({ field: 'count', message: `must be a whole number from 1 to ${max}` });
  }
  if (plan.endDate !== undefined && plan.endDate < plan.startDate) {
    errors.push({ field: 'endDate', message: 'must be on or after startDate' });
  }
  if (errors.length > 0) fail(errors);

  const wanted = plan.count ?? max + 1;
  const dates = periodStarts(
    plan.startDate,
    plan.endDate ?? LAST_DATE,
    plan.frequency,
    wanted,
  ).filter((d) => FOUR_DIGIT_YEAR.test(d));
  if (plan.count !== undefined && dates.length < plan.count) {
    fail([{ field: 'count', message: 'runs past the year 9999' }]);
  }
  if (plan.count === undefined && dates.length > max) {
    fail([
      { field: 'endDate', message: `makes more than ${max} periods; choose a nearer end date` },
    ]);
  }
  return dates;
}

function fail(errors: FieldError[]): never {
  throw new DomainError(
    'VALIDATION_FAILED',
    errors.map((e) => `${e.field} ${e.message}`).join('; '),
    errors,
  );
}
