/**
 * Periodic dates for schedules (R43 milestones, R54 retainers): one date per period start,
 * from a start date, until an end date (inclusive) or for a count of periods.
 */
import { addDays, addMonths } from './calendar.js';
import { DomainError, type FieldError } from './errors.js';

export type Frequency = 'weekly' | 'monthly' | 'quarterly';

export interface SchedulePlan {
  startDate: string;
  frequency: Frequency;
  endDate?: string;
  count?: number;
}

const FOUR_DIGIT_YEAR = /^\d{4}-/;

/** A schedule may not create more than this many items in one request. */
export const MAX_SCHEDULE_COUNT = 1000;

/**
 * The n-th period start. Always computed from the start date, never from the previous
 * period, so a schedule starting on the 31st falls on the last day of shorter months and
 * comes back to the 31st (Jan 31 → Feb 28 → Mar 31), R43.
 */
export function periodStart(startDate: string, frequency: Frequency, n: number): string {
  switch (frequency) {
    case 'weekly':
      return addDays(startDate, 7 * n);
    case 'monthly':
      return addMonths(startDate, n);
    case 'quarterly':
      return addMonths(startDate, 3 * n);
  }
}

/**
 * The dates of a schedule: exactly one of `endDate` (inclusive) or `count` must be given.
 * Refuses (VALIDATION_FAILED) a plan with neither or both, an end before the start, or
 * more than `max` periods.
 */
export function scheduleDates(plan: SchedulePlan, max = MAX_SCHEDULE_COUNT): string[] {
  const errors: FieldError[] = [];
  const hasEnd = plan.endDate !== undefined;
  const hasCount = plan.count !== undefined;
  if (hasEnd === hasCount) {
    const message = hasEnd ? 'give either endDate or count, not both' : 'give either endDate or count';
    errors.push({ field: 'endDate', message }, { field: 'count', message });
  }
  if (plan.count !== undefined && (!Number.isInteger(plan.count) || plan.count < 1 || plan.count > max)) {
    errors.push({ field: 'count', message: `must be a whole number from 1 to ${max}` });
  }
  if (plan.endDate !== undefined && plan.endDate < plan.startDate) {
    errors.push({ field: 'endDate', message: 'must be on or after startDate' });
  }
  if (errors.length > 0) fail(errors);

  const dates: string[] = [];
  if (plan.count !== undefined) {
    for (let n = 0; n < plan.count; n++) {
      const date = periodStart(plan.startDate, plan.frequency, n);
      if (!FOUR_DIGIT_YEAR.test(date)) fail([{ field: 'count', message: 'runs past the year 9999' }]);
      dates.push(date);
    }
    return dates;
  }
  const end = plan.endDate as string;
  for (let n = 0; ; n++) {
    const date = periodStart(plan.startDate, plan.frequency, n);
    if (date > end || !FOUR_DIGIT_YEAR.test(date)) return dates;
    if (dates.length === max) {
      fail([{ field: 'endDate', message: `makes more than ${max} periods; choose a nearer end date` }]);
    }
    dates.push(date);
  }
}

function fail(errors: FieldError[]): never {
  throw new DomainError('VALIDATION_FAILED', errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
}
