/**
 * A stand-in for autovacuum when the benchmark's PostgreSQL server runs without it.
 *
 * CI machines run PostgreSQL with `autovacuum = off` (conf.d/90-ci.conf on this one); no
 * production server does. Without it the kept-sums tables, whose few thousand rows are
 * updated by every status change, grow tens of thousands of dead versions that every fold and
 * every totals read steps over (measured: a 10,000-row mark ready at 1M took 2.15 s with a
 * minute of such bloat, 1.19 s after a VACUUM). So when the server says autovacuum is off,
 * the driver applies autovacuum's own default rule every `everyMs`: a table with more dead
 * rows than 50 + 20 % of its live rows is vacuumed and analysed. The result file says so.
 */
import { sql, type Kysely } from 'kysely';
import { vacuumLoop } from '../src/db/embedded-vacuum.js';
import type { DB } from '../src/db/schema.js';

export interface AutovacuumStandIn {
  /** Stops the loop; answers how many times each table was vacuumed. */
  stop(): Promise<Record<string, number>>;
}

/** Starts the stand-in when the server runs without autovacuum; undefined when it has it. */
export async function standInForAutovacuum(
  db: Kysely<DB>,
  log: (message: string) => void,
  everyMs = 20_000,
): Promise<AutovacuumStandIn | undefined> {
  const setting = await sql<{ autovacuum: string }>`SHOW autovacuum`.execute(db);
  if (setting.rows[0]?.autovacuum !== 'off') return undefined;
  log('  autovacuum is off on this server: the benchmark vacuums by its default rule');
  const vacuumed: Record<string, number> = {};
  const loop = vacuumLoop({
    everyMs,
    pass: async (stopped) => {
      const due = await sql<{ relname: string }>`
        SELECT relname FROM pg_stat_user_tables
        WHERE n_dead_tup > 50 + 0.2 * n_live_tup ORDER BY n_dead_tup DESC`.execute(db);
      for (const { relname } of due.rows) {
        if (stopped()) return;
        await sql`VACUUM (ANALYZE) ${sql.id(relname)}`.execute(db);
        vacuumed[relname] = (vacuumed[relname] ?? 0) + 1;
      }
    },
    onError: (error) =>
      log(`  autovacuum stand-in: ${error instanceof Error ? error.message : String(error)}`),
  });
  return {
    async stop() {
      await loop.stop();
      return vacuumed;
    },
  };
}
