import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * What every command gets: the open transaction (or the database for reads) and who acts.
 * The route opens the transaction; the command never commits or rolls back itself.
 */
export interface CommandContext {
  db: Kysely<DB>;
  actor: string;
}
