/**
 * Vacuum for the embedded database, which has nothing else to do it.
 *
 * PGlite runs PostgreSQL as one single-user backend: it reports `autovacuum = on`, but no
 * autovacuum worker ever starts, and it keeps no dead-row counts to decide with. The tables
 * whose few rows every action rewrites — the kept sums of the T&M backlog (every status
 * change), the invoice number counters (every confirm), the job rows (every contract a job
 * works) — would then grow dead versions without end, and every fold and totals read steps
 * over them (measured on PostgreSQL without autovacuum: 45,000 dead versions beside 2,237
 * live month sums within the hour, status changes up to twice as slow).
 *
 * So the embedded server vacuums those tables itself, one after the other, every
 * `everyMs`. It is safe beside requests: the embedded pool has one connection (PGlite's one
 * session), so a VACUUM waits for the request in hand and never runs inside its
 * transaction. The large tables are left to HOT pruning (status changes are HOT, migration
 * 0073); on PostgreSQL, autovacuum does all of it.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Small tables rewritten by every action of their kind (see above). */
export const CHURNED_TABLES = [
  'tm_backlog_totals',
  'tm_backlog_month_totals',
  'invoice_counters',
  'invoice_run_jobs',
  'invoice_run_job_contracts',
] as const;

/** Ten minutes: each pass takes milliseconds to a second at 1M ledger rows. */
export const EMBEDDED_VACUUM_EVERY_MS = 10 * 60_000;

export interface EmbeddedVacuum {
  /** Stops the timer and waits for a pass in progress (call before the database closes). */
  stop(): Promise<void>;
}

interface VacuumLog {
  warn(obj: object, message: string): void;
}

/** One pass over the churned tables. */
export async function vacuumChurnedTables(db: Kysely<DB>): Promise<void> {
  for (const table of CHURNED_TABLES) {
    await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(db);
  }
}

/**
 * Runs `pass` every `everyMs`, one pass at a time, until stopped; a pass that fails is
 * reported and the next runs as planned. `stopped()` lets a long pass end early. The timer
 * never keeps the process alive on its own.
 */
export function vacuumLoop(options: {
  everyMs: number;
  pass: (stopped: () => boolean) => Promise<void>;
  onError: (error: unknown) => void;
}): EmbeddedVacuum {
  let pass: Promise<void> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    pass = pass.then(async () => {
      if (stopped) return;
      try {
        await options.pass(() => stopped);
      } catch (error) {
        options.onError(error);
      }
    });
  }, options.everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pass;
    },
  };
}

export function startEmbeddedVacuum(
  db: Kysely<DB>,
  options: { everyMs: number; log: VacuumLog },
): EmbeddedVacuum {
  return vacuumLoop({
    everyMs: options.everyMs,
    pass: () => vacuumChurnedTables(db),
    onError: (error) =>
      options.log.warn({ err: error }, 'the embedded database vacuum failed; it runs again later'),
  });
}
