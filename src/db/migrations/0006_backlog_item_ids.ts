/**
 * One id space for every backlog item: T&M actuals, milestone splits and retainers draw
 * their ids from one sequence, so an id names exactly one item whatever its kind. Without
 * this, `POST /invoices {itemIds}` (and a multi-view selection) could pick an actual and a
 * milestone split that happen to share a number.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE SEQUENCE backlog_item_ids AS bigint;
    SELECT setval('backlog_item_ids', greatest(
      (SELECT coalesce(max(id), 0) FROM actuals),
      (SELECT coalesce(max(id), 0) FROM milestone_splits),
      (SELECT coalesce(max(id), 0) FROM retainers),
      1));
    ALTER TABLE actuals ALTER COLUMN id DROP IDENTITY;
    ALTER TABLE actuals ALTER COLUMN id SET DEFAULT nextval('backlog_item_ids');
    ALTER TABLE milestone_splits ALTER COLUMN id DROP IDENTITY;
    ALTER TABLE milestone_splits ALTER COLUMN id SET DEFAULT nextval('backlog_item_ids');
    ALTER TABLE retainers ALTER COLUMN id DROP IDENTITY;
    ALTER TABLE retainers ALTER COLUMN id SET DEFAULT nextval('backlog_item_ids');
  `.execute(db);
}
