import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DatabaseKind } from '../../db/database.js';
import type { Lifecycle } from '../app.js';

/** What route files get from the app: the database, nothing else global. */
export interface RouteDeps {
  db: Kysely<DB>;
  databaseKind: DatabaseKind;
  lifecycle: Lifecycle;
}
