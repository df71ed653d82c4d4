/** The readiness probe's question to the database. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** True when the database answers a query. */
export async function databaseAnswers(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
