/**
 * Per-item bulk results, summarised ("Approved 3 of 5; 2 failed") and listed with the reason
 * of each failure in words, grouped by reason so a hundred identical failures read as one.
 */
import type { BulkResult } from '../lib/api';
import { codeSentence } from '../lib/problems';

export interface BulkSummary {
  verb: string;
  results: BulkResult[];
  /** Names the item an id stands for ("Entry 12 · 2026-03-02"). */
  label?: (id: string) => string;
  /** False inside another live region (one status region is announced, not two). */
  live?: boolean;
}

export function BulkOutcome({ verb, results, label = (id) => `#${id}`, live = true }: BulkSummary) {
  const ok = results.filter((r) => r.ok && !r.skipped).length;
  const skipped = results.filter((r) => r.ok && r.skipped).length;
  const failed = results.filter((r) => !r.ok);
  const reasons = new Map<string, string[]>();
  for (const r of failed) {
    const why = codeSentence(r.code, r.message);
    reasons.set(why, [...(reasons.get(why) ?? []), r.id]);
  }
  return (
    <div className="bulk-outcome" role={live ? 'status' : undefined}>
      <p>
        {verb} {ok} of {results.length}
        {skipped > 0 ? `; ${skipped} skipped` : ''}
        {failed.length > 0 ? `; ${failed.length} failed` : ''}.
      </p>
      {failed.length > 0 && (
        <ul className="bulk-failures" aria-label="Failures">
          {[...reasons].map(([why, ids]) => (
            <li key={why}>
              {why} ({ids.length}: {ids.slice(0, 10).map(label).join(', ')}
              {ids.length > 10 ? `, and ${ids.length - 10} more` : ''})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
