/**
 * Upgrading keeps the books whole (R68): a database built with the migrations before the
 * ledger of every item, holding milestone, retainer and T&M invoices confirmed the old way
 * (written here as that code wrote them), gains exactly R68's rows, and again changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { writeMissingLedgerRows } from '../../src/db/migrations/0010_ledger_of_every_item.js';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let db: Kysely<any>;
before(async () => {
  database = await openTestDatabase({ migrate: false });
  db = database.db as Kysely<any>;
  await migrateTo(db, '0009_retainer_credits');
});
after(async () => {
  await database.close();
});

const one = async <T = any>(q: ReturnType<typeof sql<T>>): Promise<T> => {
  const { rows } = await q.execute(db);
  assert.equal(rows.length, 1);
  return rows[0] as T;
};
const id = async (q: ReturnType<typeof sql<{ id: string }>>) => (await one(q)).id;

/** An invoice inserted as a draft (the retainer guard wants one), confirmed by `confirm`. */
async function draft(contractId: string, customerId: string, corrects: string | null = null) {
  return id(sql<{ id: string }>`
    INSERT INTO invoices (contract_id, customer_id, status, invoice_date, currency, corrects_invoice_id)
    VALUES (${contractId}, ${customerId}, 'Draft', '2026-04-01', 'USD', ${corrects}) RETURNING id`);
}
let numbers = 0;
async function confirm(contractId: string, invoiceId: string) {
  await sql`UPDATE invoices SET status = 'Confirmed', confirmed_at = now(),
      number = ${`INV-${String(++numbers).padStart(6, '0')}`}
    WHERE contract_id = ${contractId} AND id = ${invoiceId}`.execute(db);
}
async function detail(
  contractId: string,
  invoiceId: string,
  d: {
    type: string;
    source: string;
    line: string | null;
    customer: string;
    qty: string;
    originalQty?: string;
    price: string;
    amount: number;
    originalAmount?: number;
    kind?: 'charge' | 'credit';
    corrects?: string;
    active?: boolean;
  },
) {
  return id(sql<{ id: string }>`
    INSERT INTO invoice_details (contract_id, invoice_id, source_type, source_id, kind, active,
      contract_line_id, customer_id, transaction_class, date, original_quantity, quantity,
      unit_price, original_amount, amount, billing_type, corrects_detail_id)
    VALUES (${contractId}, ${invoiceId}, ${d.type}, ${d.source}, ${d.kind ?? 'charge'},
      ${d.active ?? true}, ${d.line}, ${d.customer}, ${d.type === 'Actual' ? 'Time' : null},
      '2026-03-31', ${d.originalQty ?? d.qty}, ${d.qty}, ${d.price},
      ${d.originalAmount ?? d.amount}, ${d.amount}, 'Chargeable', ${d.corrects ?? null})
    RETURNING id`);
}

describe(`upgrade: R68's ledger rows for invoices confirmed before them [${TARGET}]`, () => {
  const expected = new Map<string, bigint>();
  let contract = '';
  let a = '';
  let b = '';
  const actuals: Record<string, string> = {};
  let drafted = '';
  let readyUnchecked = '';

  it('builds the old books: milestone, retainer, T&M and correction invoices', async () => {
    a = await id(sql<{ id: string }>`INSERT INTO customers (name) VALUES ('A') RETURNING id`);
    b = await id(sql<{ id: string }>`INSERT INTO customers (name) VALUES ('B') RETURNING id`);
    contract = await id(
      sql<{
        id: string;
      }>`INSERT INTO contracts (name, currency) VALUES ('Old', 'USD') RETURNING id`,
    );
    const cc = async (customer: string, pct: string, rounding: boolean, position: number) =>
      id(sql<{ id: string }>`INSERT INTO contract_customers
        (contract_id, customer_id, split_percent, is_rounding, position)
        VALUES (${contract}, ${customer}, ${pct}, ${rounding}, ${position}) RETURNING id`);
    const ccA = await cc(a, '60', true, 0);
    const ccB = await cc(b, '40', false, 1);
    const line = async (method: string) =>
      id(sql<{ id: string }>`INSERT INTO contract_lines
        (contract_id, name, billing_method, transaction_classes, contracted_amount)
        VALUES (${contract}, ${method}, ${method}, '{Time}',
          ${method === 'FixedPrice' ? 10_000_000 : null}) RETURNING id`);
    const fp = await line('FixedPrice');
    const tm = await line('TimeAndMaterial');
    const lc = async (l: string, ccId: string, customer: string, pct: string, r: boolean) =>
      id(sql<{ id: string }>`INSERT INTO line_customers (contract_id, contract_line_id,
        contract_customer_id, customer_id, split_percent, is_rounding, position)
        VALUES (${contract}, ${l}, ${ccId}, ${customer}, ${pct}, ${r}, 0) RETURNING id`);
    const lcA = await lc(fp, ccA, a, '60', true);
    const lcB = await lc(fp, ccB, b, '40', false);
    const lcTm = await lc(tm, ccA, a, '100', true);

    // A milestone of 10,000.00 split 60/40, each split billed and posted.
    const milestone = await id(sql<{ id: string }>`INSERT INTO milestones
      (contract_id, contract_line_id, name, date, amount)
      VALUES (${contract}, ${fp}, 'Design', '2026-03-31', 1000000) RETURNING id`);
    const split = async (lcId: string, customer: string, amount: number) =>
      id(sql<{ id: string }>`INSERT INTO milestone_splits (contract_id, milestone_id,
        contract_line_id, line_customer_id, customer_id, date, amount, billing_status)
        VALUES (${contract}, ${milestone}, ${fp}, ${lcId}, ${customer}, '2026-03-31', ${amount},
          'CustomerInvoicePosted') RETURNING id`);
    const sA = await split(lcA, a, 600000);
    const sB = await split(lcB, b, 400000);
    const i1 = await draft(contract, a);
    await detail(contract, i1, {
      type: 'MilestoneSplit',
      source: sA,
      line: fp,
      customer: a,
      qty: '1',
      price: '6000',
      amount: 600000,
    });
    await confirm(contract, i1);
    expected.set(i1, 600000n);
    const i2 = await draft(contract, b);
    const d2 = await detail(contract, i2, {
      type: 'MilestoneSplit',
      source: sB,
      line: fp,
      customer: b,
      qty: '1',
      price: '4000',
      amount: 400000,
      active: false,
    });
    await confirm(contract, i2);
    expected.set(i2, 400000n);
    // …and B's split credited in full by a confirmed correction (back to ready).
    await sql`UPDATE milestone_splits SET billing_status = 'ReadyToInvoice', invoice_id = NULL
      WHERE contract_id = ${contract} AND id = ${sB}`.execute(db);
    const i5 = await draft(contract, b, i2);
    await detail(contract, i5, {
      type: 'MilestoneSplit',
      source: sB,
      line: fp,
      customer: b,
      qty: '-1',
      price: '4000',
      amount: -400000,
      kind: 'credit',
      corrects: d2,
    });
    await confirm(contract, i5);
    expected.set(i5, -400000n);

    // A retainer of 500.00 billed, then 300.00 of it drawn by a T&M invoice.
    const retainer = await id(sql<{ id: string }>`INSERT INTO retainers (contract_id,
      contract_customer_id, customer_id, kind, amount, date, billing_status, used_amount)
      VALUES (${contract}, ${ccA}, ${a}, 'Retainer', 50000, '2026-01-15', 'CustomerInvoicePosted', 0)
      RETURNING id`);
    const i3 = await draft(contract, a);
    await detail(contract, i3, {
      type: 'Retainer',
      source: retainer,
      line: null,
      customer: a,
      qty: '1',
      price: '500',
      amount: 50000,
    });
    await confirm(contract, i3);
    expected.set(i3, 50000n);

    // T&M: 2 h at 150.00 reduced to 1.5 h on the draft, and 1 h; both posted the old way.
    const entry = await id(sql<{ id: string }>`INSERT INTO entries (contract_id, contract_line_id,
      transaction_class, date, quantity, unit_price, status)
      VALUES (${contract}, ${tm}, 'Time', '2026-03-02', 3, 150, 'Approved') RETURNING id`);
    const unbilled = async (qty: string, amount: number, status: string, nte: string) =>
      id(sql<{ id: string }>`INSERT INTO actuals (contract_id, type, entry_id, contract_line_id,
        line_customer_id, customer_id, transaction_class, date, quantity, unit_price, amount,
        billing_type, billing_status, nte_status)
        VALUES (${contract}, 'UnbilledSales', ${entry}, ${tm}, ${lcTm}, ${a}, 'Time', '2026-03-02',
          ${qty}, 150, ${amount}, 'Chargeable', ${status}, ${nte}) RETURNING id`);
    actuals.u1 = await unbilled('2', 30000, 'CustomerInvoicePosted', 'NotApplicable');
    actuals.u2 = await unbilled('1', 15000, 'CustomerInvoicePosted', 'NotApplicable');
    const i4 = await draft(contract, a);
    await detail(contract, i4, {
      type: 'Actual',
      source: actuals.u1,
      line: tm,
      customer: a,
      qty: '1.5',
      originalQty: '2',
      price: '150',
      amount: 22500,
      originalAmount: 30000,
    });
    await detail(contract, i4, {
      type: 'Actual',
      source: actuals.u2,
      line: tm,
      customer: a,
      qty: '1',
      price: '150',
      amount: 15000,
    });
    await sql`INSERT INTO retainer_applications (contract_id, invoice_id, retainer_id, amount)
      VALUES (${contract}, ${i4}, ${retainer}, 30000)`.execute(db);
    const billed = async (qty: string, amount: number, type: string) =>
      sql`INSERT INTO actuals (contract_id, type, entry_id, invoice_id, contract_line_id,
        line_customer_id, customer_id, transaction_class, date, quantity, unit_price, amount,
        billing_type)
        VALUES (${contract}, 'BilledSales', ${entry}, ${i4}, ${tm}, ${lcTm}, ${a}, 'Time',
          '2026-03-02', ${qty}, 150, ${amount}, ${type})`.execute(db);
    await billed('1.5', 22500, 'Chargeable');
    await billed('0.5', 7500, 'NonChargeable');
    await billed('1', 15000, 'Chargeable');
    for (const [u, qty, amount] of [
      [actuals.u1, '-2', -30000],
      [actuals.u2, '-1', -15000],
    ] as const) {
      await sql`INSERT INTO actuals (contract_id, type, reverses_id, entry_id, contract_line_id,
        line_customer_id, customer_id, transaction_class, date, quantity, unit_price, amount,
        billing_type)
        VALUES (${contract}, 'UnbilledSales', ${u}, ${entry}, ${tm}, ${lcTm}, ${a}, 'Time',
          '2026-03-02', ${qty}, 150, ${amount}, 'Chargeable')`.execute(db);
    }
    await sql`UPDATE retainers SET used_amount = 30000 WHERE id = ${retainer}`.execute(db);
    await confirm(contract, i4);
    expected.set(i4, 22500n + 15000n - 30000n);

    // Two actuals the old code let through unchecked (R28): one ready, one on a draft.
    readyUnchecked = await unbilled('1', 15000, 'ReadyToInvoice', 'NotEvaluated');
    drafted = await unbilled('1', 15000, 'CustomerInvoiceCreated', 'NotEvaluated');
  });

  it('R68: after the upgrade every confirmed invoice has Chargeable BilledSales rows summing to its total', async () => {
    await migrateToLatest(db);
    const { rows } = await sql<{ invoice_id: string; sum: string }>`
      SELECT invoice_id, sum(amount)::text AS sum FROM actuals
      WHERE type = 'BilledSales' AND billing_type = 'Chargeable' GROUP BY invoice_id`.execute(db);
    assert.deepEqual(new Map(rows.map((r) => [r.invoice_id, BigInt(r.sum)])), expected);
    const byCustomer = await sql<{ customer_id: string; sum: string }>`
      SELECT customer_id, sum(amount)::text AS sum FROM actuals
      WHERE type = 'BilledSales' AND billing_type = 'Chargeable' GROUP BY customer_id
      ORDER BY customer_id`.execute(db);
    assert.deepEqual(
      byCustomer.rows.map((r) => [r.customer_id, r.sum]),
      [
        [a, String(600000 + 50000 + 7500)],
        [b, '0'],
      ],
    );
  });

  it('R68: milestone and retainer rows carry their class, line and source; a draw its retainer', async () => {
    const { rows } = await sql<any>`
      SELECT transaction_class, contract_line_id, source_type, amount::text, retainer_id IS NOT NULL AS draw
      FROM actuals WHERE source_type <> 'Actual' ORDER BY id`.execute(db);
    assert.deepEqual(
      rows.map((r: any) => [
        r.transaction_class,
        r.contract_line_id === null,
        r.source_type,
        r.amount,
        r.draw,
      ]),
      [
        ['Milestone', false, 'MilestoneSplit', '600000', false],
        ['Milestone', false, 'MilestoneSplit', '400000', false],
        ['Milestone', false, 'MilestoneSplit', '-400000', false],
        ['Retainer', true, 'Retainer', '50000', false],
        ['Retainer', true, 'Retainer', '-30000', true],
      ],
    );
  });

  it('R68: old T&M rows name the unbilled actual they record, the reduced part included', async () => {
    const { rows } = await sql<any>`
      SELECT type, reverses_id IS NOT NULL AS reversal, quantity::text, source_id FROM actuals
      WHERE source_type = 'Actual' AND entry_id IS NOT NULL AND billing_status IS DISTINCT FROM 'ReadyToInvoice'
        AND id NOT IN (${readyUnchecked}, ${drafted})
      ORDER BY id`.execute(db);
    const { u1, u2 } = actuals;
    assert.deepEqual(
      rows.map((r: any) => [r.type, r.reversal, r.quantity, r.source_id]),
      [
        ['UnbilledSales', false, '2.00', u1],
        ['UnbilledSales', false, '1.00', u2],
        ['BilledSales', false, '1.50', u1],
        ['BilledSales', false, '0.50', u1],
        ['BilledSales', false, '1.00', u2],
        ['UnbilledSales', true, '-2.00', u1],
        ['UnbilledSales', true, '-1.00', u2],
      ],
    );
  });

  it('R28: the upgrade moved the unchecked ready actual out of Ready and counts the drafted one, audited', async () => {
    const { rows } = await sql<any>`SELECT id, billing_status, nte_status FROM actuals
      WHERE id IN (${readyUnchecked}, ${drafted}) ORDER BY id`.execute(db);
    assert.deepEqual(
      rows.map((r: any) => [r.id, r.billing_status, r.nte_status]),
      [
        [readyUnchecked, 'NotReadyToInvoice', 'NotEvaluated'],
        [drafted, 'CustomerInvoiceCreated', 'Committed'],
      ],
    );
    const audit = await sql<any>`SELECT entity_id, from_status, to_status FROM audit_events
      WHERE action = 'enforceR28' ORDER BY entity_id`.execute(db);
    assert.equal(audit.rows.length, 2);
  });

  it('R68: writing the missing rows again changes nothing', async () => {
    const before = await one(sql<{ n: string }>`SELECT count(*)::text AS n FROM actuals`);
    await writeMissingLedgerRows(db);
    await writeMissingLedgerRows(db);
    assert.deepEqual(
      await one(sql<{ n: string }>`SELECT count(*)::text AS n FROM actuals`),
      before,
    );
  });
});
