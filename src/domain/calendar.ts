/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), in UTC so no time zone shifts a day.
 *
 * Dates are built with `setUTCFullYear`, never `Date.UTC(y, …)`: JavaScript maps a year
 * 0–99 given to `Date.UTC` to 1900–1999, which silently shifted schedules by centuries.
 */

/** Spec §2: every date in the API and CSV lies in this range (PostgreSQL's `date` is wider). */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '9999-12-31';
export const DATE_RANGE_MESSAGE = `must be a real calendar date from ${FIRST_DATE} to ${LAST_DATE}`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utc(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d;
}

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

/** A `YYYY-MM-DD` text naming a day that exists (no 2026-02-30). */
export function isCalendarDate(iso: string): boolean {
  const m = ISO_DATE.exec(iso);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = utc(year, month - 1, day);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** §2: a real calendar date from 1900-01-01 to 9999-12-31. */
export function isDateInRange(iso: string): boolean {
  return isCalendarDate(iso) && iso >= FIRST_DATE && iso <= LAST_DATE;
}

export function addDays(iso: string, days: number): string {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return toIso(d);
}

export const previousDay = (iso: string) => addDays(iso, -1);

/**
 * The same day of the month `months` later; a day that does not exist in the target month
 * falls on its last day (Jan 31 + 1 month → Feb 28, or Feb 29 in a leap year).
 */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const lastDay = utc(year, month + 1, 0).getUTCDate();
  return toIso(utc(year, month, Math.min(d, lastDay)));
}

/** The first day of the month of `iso`. */
export const monthOf = (iso: string) => `${iso.slice(0, 7)}-01`;

/** A range of whole months, by their first days; an end left out is open. */
export interface MonthRange {
  from?: string;
  to?: string;
}

/** An inclusive range of days; an end left out is open. */
export interface DayRange {
  from?: string;
  to?: string;
}

/**
 * An inclusive date range (either end open) as the whole months it covers and the days at
 * its ends that fill no whole month. Sums kept per month answer the months; only the days
 * need their rows read (the T&M view's totals, src/repositories/backlog.ts).
 */
export function splitIntoWholeMonths(
  from?: string,
  to?: string,
): { months?: MonthRange; days: DayRange[] } {
  // The first whole month starts on `from` or on the first of the next month; the last
  // whole month ends on `to` or is the month before that of `to`.
  const firstMonth =
    from === undefined ? undefined : from.endsWith('-01') ? from : nextMonthOf(from);
  const toEndsMonth = to === undefined || to === LAST_DATE || addDays(to, 1).endsWith('-01');
  const lastMonth =
    to === undefined ? undefined : toEndsMonth ? monthOf(to) : addMonths(monthOf(to), -1);
  if (
    firstMonth === null ||
    (firstMonth !== undefined && lastMonth !== undefined && firstMonth > lastMonth)
  ) {
    return { days: [{ ...(from ? { from } : {}), ...(to ? { to } : {}) }] };
  }
  const days: DayRange[] = [];
  if (from !== undefined && firstMonth !== undefined && from < firstMonth) {
    days.push({ from, to: previousDay(firstMonth) });
  }
  if (to !== undefined && !toEndsMonth) days.push({ from: monthOf(to), to });
  return {
    months: {
      ...(firstMonth !== undefined ? { from: firstMonth } : {}),
      ...(lastMonth !== undefined ? { to: lastMonth } : {}),
    },
    days,
  };
}

/** The first of the month after `iso`'s; null after December 9999 (no such date here). */
function nextMonthOf(iso: string): string | null {
  return iso.startsWith('9999-12') ? null : addMonths(monthOf(iso), 1);
}
