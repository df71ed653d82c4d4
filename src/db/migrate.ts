/**
 * The one migration set, applied at start on both databases. New migrations are added to
 * the list in order; applied ones are never edited.
 */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as foundation from './migrations/0001_foundation.js';
import * as tmBacklog from './migrations/0002_tm_backlog.js';
import * as milestones from './migrations/0003_milestones.js';
import * as invoices from './migrations/0004_invoices.js';
import * as retainers from './migrations/0005_retainers.js';
import * as backlogItemIds from './migrations/0006_backlog_item_ids.js';
import * as tmBacklogTotals from './migrations/0007_tm_backlog_totals.js';
import * as actualsHotStatus from './migrations/0008_actuals_hot_status.js';
import * as retainerCredits from './migrations/0009_retainer_credits.js';
import * as ledgerOfEveryItem from './migrations/0010_ledger_of_every_item.js';
import * as entryRejection from './migrations/0015_entry_rejection.js';
import * as idempotencyInTransaction from './migrations/0020_idempotency_in_transaction.js';
import * as resumableImports from './migrations/0021_resumable_imports.js';
import * as taxCodes from './migrations/0040_tax_codes.js';
import * as invoiceParties from './migrations/0041_invoice_parties.js';
import * as freezeConfirmedInvoices from './migrations/0042_freeze_confirmed_invoices.js';
import * as auditField from './migrations/0050_audit_field.js';
import * as invoiceRunJobs from './migrations/0060_invoice_run_jobs.js';
import * as nameSearch from './migrations/0070_name_search.js';
import * as openBacklog from './migrations/0071_open_backlog.js';
import * as backlogMonthTotals from './migrations/0072_backlog_month_totals.js';
import * as actualsRoomForStatus from './migrations/0073_actuals_room_for_status.js';

const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_tm_backlog': tmBacklog,
  '0003_milestones': milestones,
  '0004_invoices': invoices,
  '0005_retainers': retainers,
  '0006_backlog_item_ids': backlogItemIds,
  '0007_tm_backlog_totals': tmBacklogTotals,
  '0008_actuals_hot_status': actualsHotStatus,
  '0009_retainer_credits': retainerCredits,
  '0010_ledger_of_every_item': ledgerOfEveryItem,
  '0015_entry_rejection': entryRejection,
  '0020_idempotency_in_transaction': idempotencyInTransaction,
  '0021_resumable_imports': resumableImports,
  '0040_tax_codes': taxCodes,
  '0041_invoice_parties': invoiceParties,
  '0042_freeze_confirmed_invoices': freezeConfirmedInvoices,
  '0050_audit_field': auditField,
  '0060_invoice_run_jobs': invoiceRunJobs,
  '0070_name_search': nameSearch,
  '0071_open_backlog': openBacklog,
  '0072_backlog_month_totals': backlogMonthTotals,
  '0073_actuals_room_for_status': actualsRoomForStatus,
};

const migrator = (db: Kysely<unknown>) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Migrations from parallel work may land in any order; each is independent.
    allowUnorderedMigrations: true,
  });

function applied({ error, results }: MigrationResultSet): string[] {
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  return applied(await migrator(db).migrateToLatest());
}

/** Up to and including `name`: an older database, for upgrade tests. */
export async function migrateTo(db: Kysely<unknown>, name: string): Promise<string[]> {
  if (!(name in migrations)) throw new Error(`no migration ${name}`);
  return applied(await migrator(db).migrateTo(name));
}
