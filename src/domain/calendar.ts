/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), in UTC so no time zone shifts a day.
 */
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

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
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return toIso(new Date(Date.UTC(year, month, Math.min(d, lastDay))));
}
