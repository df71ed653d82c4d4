/**
 * R63, R67 under concurrency: many clients create, delete, confirm and correct invoices over
 * the same items at once. On PostgreSQL they really run in parallel (pool of 20); on the
 * embedded database they are serialised, and the same invariants must hold.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildLine } from '../support/factories.js';
import { readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const CLIENTS = 16;
const ROUNDS = 5;
const cents = (text: string) => BigInt(text.replace('.', ''));

describe(`invoices under concurrency [${TARGET}]`, () => {
  it(`R63 / R67: ${CLIENTS} concurrent clients: every item billed at most once, numbers unique and gapless`, async () => {
    const contracts: string[] = [];
    const approved = new Map<string, bigint>();
    for (let c = 0; c < 3; c++) {
      const contract = await buildContract(api, { percents: ['50', '50'] });
      contracts.push(contract.id);
      const line = await buildLine(api, contract.id);
      let sum = 0n;
      for (let e = 0; e < 4; e++) {
        const actuals = await readyActuals(api, line.id, {
          quantity: String(e + 1),
          unitPrice: '33.33',
        });
        for (const a of actuals) sum += cents(a.amount);
      }
      approved.set(contract.id, sum);
    }

    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const statuses: number[] = [];
    const client = async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const contractId = contracts[random(contracts.length)]!;
        const list = await api.get(`/invoices?contractId=${contractId}&limit=500`);
        const drafts = list.body.items.filter((i: any) => i.status === 'Draft');
        const confirmed = list.body.items.filter(
          (i: any) => i.status === 'Confirmed' && !i.correctsInvoiceId,
        );
        const pick = (xs: any[]) => xs[random(xs.length)];
        const op = random(6);
        let res;
        if (op <= 1 || drafts.length === 0)
          res = await api.post('/invoices', { contractId, invoiceDate: '2026-12-31' });
        else if (op === 2) res = await api.post(`/invoices/${pick(drafts).id}/confirm`);
        else if (op === 3)
          res = await api.post('/invoices/confirm', { ids: drafts.map((d: any) => d.id) });
        else if (op === 4) res = await api.del(`/invoices/${pick(drafts).id}`);
        else if (confirmed.length > 0)
          res = await api.post(`/invoices/${pick(confirmed).id}/corrections`, {});
        else res = await api.post('/invoices', { contractId, invoiceDate: '2026-12-31' });
        statuses.push(res.status);
        // A corrective draft's returned work goes back to the backlog once confirmed.
        const returned = await api.database.db
          .selectFrom('actuals')
          .select('id')
          .where('contract_id', '=', contractId)
          .where('billing_status', '=', 'UnbilledSalesCreated')
          .execute();
        if (returned.length > 0)
          await api.post('/backlog/time-and-material/mark-ready', {
            ids: returned.map((r) => r.id),
          });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    // Finish: confirm every draft left, so everything that can be billed is.
    const left = await api.get('/invoices?status=Draft&limit=500');
    if (left.body.items.length > 0) {
      const res = await api.post('/invoices/confirm', {
        ids: left.body.items.map((i: any) => i.id),
      });
      assert.ok(
        res.body.results.every((r: any) => r.ok),
        JSON.stringify(res.body),
      );
    }

    assert.ok(
      statuses.every((s) => s < 500),
      `no server errors: ${statuses.join(',')}`,
    );
    const db = api.database.db;

    // R67: no item on two active charge details, and no item on two confirmed invoices
    // unless a confirmed correction released the first.
    const doubleClaims = await db
      .selectFrom('invoice_details')
      .select(['source_id', sql<string>`count(*)`.as('n')])
      .where('kind', '=', 'charge')
      .where('active', '=', true)
      .groupBy('source_id')
      .having(sql`count(*)`, '>', 1)
      .execute();
    assert.deepEqual(doubleClaims, []);
    const billedTwice = await db
      .selectFrom('invoice_details as d')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.contract_id', '=', 'd.contract_id').onRef('i.id', '=', 'd.invoice_id'),
      )
      .select(['d.source_id', sql<string>`count(*)`.as('n')])
      .where('d.kind', '=', 'charge')
      .where('i.status', '=', 'Confirmed')
      .groupBy('d.source_id')
      .having(sql`count(*)`, '>', 1)
      .execute();
    assert.deepEqual(billedTwice, []);

    // R63: numbers unique and gapless from 1.
    const numbers = (
      await db.selectFrom('invoices').select('number').where('status', '=', 'Confirmed').execute()
    )
      .map((r) => Number(r.number!.slice(4)))
      .sort((a, b) => a - b);
    assert.ok(numbers.length > 0);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
    );
    const counter = await db
      .selectFrom('invoice_counters')
      .select('next')
      .executeTakeFirstOrThrow();
    assert.equal(Number(counter.next), numbers.length + 1);

    // Ledger, per contract: chargeable approved = unbilled backlog + billed − credited, and
    // billed − credited = the confirmed invoices' totals.
    for (const contractId of contracts) {
      const rows = await db
        .selectFrom('actuals')
        .select(['type', 'amount', 'billing_type'])
        .where('contract_id', '=', contractId)
        .execute();
      const sum = (f: (r: (typeof rows)[number]) => boolean) =>
        rows.filter(f).reduce((s, r) => s + BigInt(r.amount), 0n);
      const unbilled = sum((r) => r.type === 'UnbilledSales');
      const billed = sum((r) => r.type === 'BilledSales' && BigInt(r.amount) > 0n);
      const credited = -sum((r) => r.type === 'BilledSales' && BigInt(r.amount) < 0n);
      assert.equal(
        approved.get(contractId),
        unbilled + billed - credited,
        `ledger of contract ${contractId}`,
      );
      const invoices = await api.get(
        `/invoices?contractId=${contractId}&status=Confirmed&limit=500`,
      );
      const totals = invoices.body.items.reduce((s: bigint, i: any) => s + cents(i.total), 0n);
      assert.equal(billed - credited, totals, `invoice totals of contract ${contractId}`);
    }
  });
});
