/**
 * Posted history beside the open backlog (`--history`): real databases keep years of
 * invoiced rows next to the work still to bill, and every backlog query must step over
 * them. For each of `copies` earlier two-year periods, every open actual the generator wrote
 * is copied (same contract, line, customer, class, quantity and amount; dated that many
 * periods earlier, before 2025, so it never falls into the open data's dates), put on a
 * draft per contract customer and confirmed, by the same set-based SQL as the raw-SQL
 * baseline of the invoice run and bulk confirm (bench/raw-sql.ts): the posted unbilled row,
 * its reversal and its BilledSales row, the invoice, its details and its gapless number.
 * Each copy adds three ledger rows per open actual: three copies beside 1M open actuals
 * make 9M posted ledger rows, 10M in all.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { rawConfirmInvoices, rawCreateDrafts } from './raw-sql.js';

/** Contracts per transaction, so memory and each transaction stay bounded. */
const CONTRACT_CHUNK = 250;

export interface HistoryShape {
  copies: number;
  postedItems: number;
  invoices: number;
  ledgerRows: number;
  seconds: number;
}

export async function generateHistory(
  db: Kysely<DB>,
  copies: number,
  progress: (message: string) => void = () => {},
): Promise<HistoryShape> {
  const started = performance.now();
  const bounds = await sql<{ low: string; high: string }>`
    SELECT min(id)::text AS low, max(id)::text AS high FROM contracts`.execute(db);
  const low = Number(bounds.rows[0]?.low ?? 1);
  const high = Number(bounds.rows[0]?.high ?? 0);
  let postedItems = 0;
  let invoices = 0;
  // Oldest first, so each period's invoices are numbered after the one before it.
  for (let copy = copies; copy >= 1; copy--) {
    const years = 2 * copy;
    const invoiceDate = `${2026 - years}-12-31`;
    for (let from = low; from <= high; from += CONTRACT_CHUNK) {
      const to = Math.min(high, from + CONTRACT_CHUNK - 1);
      const ids = await sql<{ id: string }>`
        SELECT id::text FROM contracts WHERE id BETWEEN ${from} AND ${to} ORDER BY id`.execute(db);
      const contractIds = ids.rows.map((r) => r.id);
      if (contractIds.length === 0) continue;
      // The open actuals as they were generated (not later copies, not reversals or billed rows).
      const inserted = await sql`
        INSERT INTO actuals
          (contract_id, type, entry_id, contract_line_id, line_customer_id, customer_id,
           transaction_class, date, quantity, unit_price, amount, billing_type, billing_status,
           nte_status, nte_failed_level)
        SELECT contract_id, 'UnbilledSales', entry_id, contract_line_id, line_customer_id, customer_id,
               transaction_class, (date - make_interval(years => ${years}::int))::date, quantity, unit_price,
               amount, billing_type, 'ReadyToInvoice',
               CASE WHEN nte_status = 'Failed' THEN 'Committed' ELSE nte_status END, NULL
        FROM actuals
        WHERE contract_id BETWEEN ${from} AND ${to} AND type = 'UnbilledSales' AND reverses_id IS NULL
          AND date >= DATE '2025-01-01'
      `.execute(db);
      postedItems += Number(inserted.numAffectedRows ?? 0);
      await rawCreateDrafts(db, contractIds, invoiceDate, false);
      const drafts = await sql<{ id: string }>`
        SELECT id::text FROM invoices
        WHERE contract_id BETWEEN ${from} AND ${to} AND status = 'Draft' AND invoice_date = ${invoiceDate}::date
      `.execute(db);
      invoices += drafts.rows.length;
      await rawConfirmInvoices(
        db,
        drafts.rows.map((r) => r.id),
      );
    }
    progress(
      `history: period ending ${invoiceDate} posted (${postedItems.toLocaleString('en-US')} items, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  await sql`VACUUM ANALYZE`.execute(db);
  return {
    copies,
    postedItems,
    invoices,
    ledgerRows: postedItems * 3,
    seconds: (performance.now() - started) / 1000,
  };
}
