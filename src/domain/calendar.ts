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
