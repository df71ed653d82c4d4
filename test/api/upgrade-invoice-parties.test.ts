/**
 * Upgrading to R75/R76 (migrations 0041, 0042): invoices made before them get the default
 * terms (30 days) and, when confirmed, their buyer and names frozen as they stood; their
 * documents then never change with later profile changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { loadInvoiceDocument } from '../../src/views/invoice-document.js';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let db: Kysely<any>;
before(async () => {
  database = await openTestDatabase({ migrate: false });
  db = database.db as Kysely<any>;
  await migrateTo(db, '0040_tax_codes');
});
after(async () => {
  await database.close();
});

const id = async (q: ReturnType<typeof sql<{ id: string }>>) => {
  const { rows } = await q.execute(db);
  return rows[0]!.id;
};

describe(`upgrade to frozen invoice data (R75, R76) [${TARGET}]`, () => {
  it('R76: a confirmed invoice from before gets its buyer and names frozen; a draft stays live', async () => {
    const customer = await id(
      sql`INSERT INTO customers (name) VALUES ('Old customer') RETURNING id`,
    );
    const contract = await id(
      sql`INSERT INTO contracts (name, currency) VALUES ('Old contract', 'EUR') RETURNING id`,
    );
    const line = await id(sql`INSERT INTO contract_lines
      (contract_id, name, billing_method, transaction_classes)
      VALUES (${contract}, 'Old line', 'TimeAndMaterial', '{Time}') RETURNING id`);
    const invoice = async (status: string) =>
      id(sql`INSERT INTO invoices (contract_id, customer_id, status, invoice_date, currency, number, confirmed_at)
        VALUES (${contract}, ${customer}, ${status}, '2026-04-01', 'EUR',
          ${status === 'Confirmed' ? 'INV-000001' : null}, ${status === 'Confirmed' ? new Date() : null})
        RETURNING id`);
    const confirmed = await invoice('Confirmed');
    const draft = await invoice('Draft');
    void line;

    await migrateToLatest(db);

    const rows = await db
      .selectFrom('invoices')
      .select(['id', 'due_date', 'payment_terms_days', 'buyer', 'contract_name'])
      .orderBy('id')
      .execute();
    const old = rows.find((r) => r.id === confirmed)!;
    assert.equal(old.due_date, '2026-05-01');
    assert.equal(old.payment_terms_days, 30);
    assert.equal(old.buyer.legalName, 'Old customer');
    assert.equal(old.contract_name, 'Old contract');
    assert.equal(rows.find((r) => r.id === draft)!.buyer, null);

    await db
      .updateTable('customers')
      .set({ name: 'New name' })
      .where('id', '=', customer)
      .execute();
    await db
      .updateTable('contract_lines')
      .set({ name: 'New line' })
      .where('id', '=', line)
      .execute();
    const doc = await loadInvoiceDocument(db, confirmed);
    assert.equal(doc?.buyer.legalName, 'Old customer');
    assert.equal(doc?.contract.name, 'Old contract');
    assert.equal(doc?.seller.legalName, '');
    const live = await loadInvoiceDocument(db, draft);
    assert.equal(live?.buyer.legalName, 'New name');
  });
});
