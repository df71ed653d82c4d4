import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DatabaseKind } from '../../db/database.js';
import type { Lifecycle } from '../app.js';
import type { InvoiceRunWorker } from '../../commands/invoiceRunWorker.js';

/** What route files get from the app: the database, nothing else global. */
export interface RouteDeps {
  db: Kysely<DB>;
  databaseKind: DatabaseKind;
  lifecycle: Lifecycle;
  /** This process's invoice-run worker (R97), woken when a job is queued; absent in tests without one. */
  jobs?: Pick<InvoiceRunWorker, 'wake'>;
}
