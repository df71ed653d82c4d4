/**
 * Bulk actions answer per item, in the order given (spec §5): each item succeeds or fails
 * on its own, a repeated id is answered in each of its places.
 */
import { DomainError } from '../domain/errors.js';

export interface BulkResult {
  id: string;
  ok: boolean;
  skipped?: boolean;
  status?: string;
  code?: string;
  message?: string;
}

export const succeeded = (id: string, status: string): BulkResult => ({ id, ok: true, status });
export const skipped = (id: string, status: string | null, message: string): BulkResult => ({
  id,
  ok: true,
  skipped: true,
  ...(status ? { status } : {}),
  message,
});
export const failed = (id: string, code: string, message: string): BulkResult => ({
  id,
  ok: false,
  code,
  message,
});

/** Runs `one` for each id in turn; a domain error becomes that item's failure. */
export async function eachItem(
  ids: readonly string[],
  one: (id: string) => Promise<BulkResult>,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of ids) {
    try {
      results.push(await one(id));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push(failed(id, error.code, error.message));
    }
  }
  return results;
}
