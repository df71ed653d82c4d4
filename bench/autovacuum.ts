/**
 * A stand-in for autovacuum when the benchmark's PostgreSQL server runs without it.
 *
 * CI machines run PostgreSQL with `autovacuum = off` (conf.d/90-ci.conf on this one); no
 * production server does. Without it the kept-sums tables, whose few thousand rows are
 * updated by every status change, grow tens of thousands of dead versions that every fold and
 * every totals read steps over (measured: a 10,000-row mark ready at 1M took 2.15 s with a
 * minute of such bloat, 1.19 s after a VACUUM). So when the server says autovacuum is off,
 * the driver applies autovacuum's own default rules every `everyMs`: a table past its
 * dead-row or inserted-row threshold is vacuumed, one past its changed-row threshold is
 * analysed (without the analyses, the tables the invoicing phase fills kept the statistics
 * of before it, and pages under the mixed load took 27 ms instead of 4). The result file
 * says what was done.
 */
import { sql, type Kysely } from 'kysely';
import { vacuumLoop } from '../src/db/embedded-vacuum.js';
import type { DB } from '../src/db/schema.js';

export interface AutovacuumStandIn {
  /** Stops the loop; answers how many times each table was vacuumed and analysed. */
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
  const done: Record<string, number> = {};
  const count = (what: string) => (done[what] = (done[what] ?? 0) + 1);
  const loop = vacuumLoop({
    everyMs,
    pass: async (stopped) => {
      // autovacuum's defaults: vacuum past 50 + 20 % dead rows or 1,000 + 20 % rows inserted
      // since the last vacuum; analyse past 50 + 10 % rows changed since the last analyse.
      const due = await sql<{ relname: string; vacuum: boolean; analyze: boolean }>`
        SELECT relname,
               n_dead_tup > 50 + 0.2 * n_live_tup
                 OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup AS vacuum,
               n_mod_since_analyze > 50 + 0.1 * n_live_tup AS analyze
        FROM pg_stat_user_tables
        WHERE n_dead_tup > 50 + 0.2 * n_live_tup
           OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup
           OR n_mod_since_analyze > 50 + 0.1 * n_live_tup
        ORDER BY n_dead_tup DESC`.execute(db);
      for (const { relname, vacuum, analyze } of due.rows) {
        if (stopped()) return;
        if (vacuum) {
          await sql`VACUUM (ANALYZE ${sql.raw(analyze ? 'true' : 'false')}) ${sql.id(relname)}`.execute(
            db,
          );
          count(`${relname} vacuum`);
        } else {
          await sql`ANALYZE ${sql.id(relname)}`.execute(db);
        }
        if (analyze) count(`${relname} analyse`);
      }
    },
    onError: (error) =>
      log(`  autovacuum stand-in: ${error instanceof Error ? error.message : String(error)}`),
  });
  return {
    async stop() {
      await loop.stop();
      return done;
    },
  };
}
