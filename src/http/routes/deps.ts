import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DatabaseKind } from '../../db/database.js';

/** What route files get from the app: the database, nothing else global. */
export interface RouteDeps {
  db: Kysely<DB>;
  databaseKind: DatabaseKind;
}
