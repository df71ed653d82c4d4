/**
 * Issue 19: Idempotency-Key records are now claimed and answered in the transaction of the
 * work they answer for, so a committed record always holds its answer. Claims left by the
 * old scheme (status 0: claimed outside the work, outcome unknown) cannot be replayed and
 * are dropped.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM idempotency_keys WHERE status_code = 0`.execute(db);
}
