/**
 * Backlog ageing (spec §5 `GET /reports/backlog-ageing`): how many days ago an unbilled item
 * was dated, in the report's five buckets. Pure: the SQL that sums the buckets is built from
 * these bounds (src/repositories/ageing.ts), so the database and this function cannot
 * disagree on where 30 days ends.
 */

/** Each bucket's label and its last day of age; the last bucket is open-ended. */
export const AGEING_BUCKETS = [
  { label: '0-30', maxDays: 30 },
  { label: '31-60', maxDays: 60 },
  { label: '61-90', maxDays: 90 },
  { label: '91-180', maxDays: 180 },
  // "180+" is more than 180 days: 180 itself is the last day of "91-180".
  { label: '180+', maxDays: null },
] as const;

export type AgeingBucket = (typeof AGEING_BUCKETS)[number]['label'];

export const AGEING_BUCKET_LABELS: readonly AgeingBucket[] = AGEING_BUCKETS.map((b) => b.label);

/**
 * The bucket of an item `ageDays` old, or null for an item dated after the report's date
 * (not yet due: the report leaves it out).
 */
export function ageingBucket(ageDays: number): AgeingBucket | null {
  if (!Number.isInteger(ageDays)) throw new RangeError(`age must be whole days: ${ageDays}`);
  if (ageDays < 0) return null;
  for (const bucket of AGEING_BUCKETS) {
    if (bucket.maxDays === null || ageDays <= bucket.maxDays) return bucket.label;
  }
  return null;
}
