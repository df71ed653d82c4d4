/**
 * PostgreSQL takes at most 65,535 parameters in one statement; a multi-row insert of many
 * wide rows must be cut into statements below that. Keeping well under it also keeps each
 * statement's plan small.
 */
const MAX_PARAMETERS = 30_000;

/** Splits `rows` into slices whose parameter count stays under the limit. */
export function parameterBatches<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const width = Math.max(1, ...rows.slice(0, 50).map((r) => Object.keys(r).length));
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const batches: T[][] = [];
  for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
  return batches;
}
