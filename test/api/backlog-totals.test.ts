/**
 * §5 totals of the T&M view for filters the kept sums answer in different ways (migration
 * 0072): no contract (the month totals, with the rows of partial months), a contract or
 * customer (the running totals), and line, class or dates beside them (the rows). Each is
 * checked against the test's own sum over the actuals, after every kind of change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { approvedActuals, buildContract, buildLine } from '../support/factories.js';
import { TARGET } from '../support/database.js';
import { checkInvariants } from '../support/invariants.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const VIEW = '/backlog/time-and-material';

interface Filter {
  contractId?: string;
  contractLineId?: string;
  customerId?: string;
  billingStatus?: string[];
  nteStatus?: string[];
  transactionClass?: string[];
  dateFrom?: string;
  dateTo?: string;
}

/** The filter's rows summed by the test itself, straight from the ledger (spec §5). */
async function expectedTotals(f: Filter) {
  const where = [
    sql`a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted AND a.billing_status IS NOT NULL`,
    f.billingStatus
      ? sql`a.billing_status IN (${sql.join(f.billingStatus)})`
      : sql`a.billing_status <> 'CustomerInvoicePosted'`,
  ];
  if (f.contractId) where.push(sql`a.contract_id = ${f.contractId}`);
  if (f.contractLineId) where.push(sql`a.contract_line_id = ${f.contractLineId}`);
  if (f.customerId) where.push(sql`a.customer_id = ${f.customerId}`);
  if (f.nteStatus) where.push(sql`a.nte_status IN (${sql.join(f.nteStatus)})`);
  if (f.transactionClass) where.push(sql`a.transaction_class IN (${sql.join(f.transactionClass)})`);
  if (f.dateFrom) where.push(sql`a.date >= ${f.dateFrom}`);
  if (f.dateTo) where.push(sql`a.date <= ${f.dateTo}`);
  const res = await sql<{ currency: string; count: string; amount: string }>`
    SELECT c.currency, count(*)::text AS count, sum(a.amount)::text AS amount
    FROM actuals a JOIN contracts c ON c.id = a.contract_id
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY c.currency ORDER BY c.currency`.execute(api.database.db);
  return res.rows.map((r) => ({
    currency: r.currency,
    count: Number(r.count),
    minor: BigInt(r.amount),
  }));
}

const query = (f: Filter) =>
  Object.entries(f)
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/** "1,234.50" / "1502" → minor units, with the currency's own decimals. */
const minorOf = (amount: string, currency: string) => {
  const decimals = currency === 'JPY' ? 0 : 2;
  const [whole = '0', frac = ''] = amount.split('.');
  return BigInt(whole + frac.padEnd(decimals, '0'));
};

describe(`T&M view totals from kept sums [${TARGET}]`, () => {
  it('§5: every filter shape answers the sum of its rows, through approvals, marks, drafts, posting and corrections', async () => {
    const eur = await buildContract(api, { currency: 'EUR', percents: ['60', '40'] });
    const jpy = await buildContract(api, { currency: 'JPY' });
    const eurTime = await buildLine(api, eur.id);
    const eurOther = await buildLine(api, eur.id, {
      transactionClasses: ['Expense', 'Material', 'Fee'],
    });
    const jpyLine = await buildLine(api, jpy.id, { transactionClasses: ['Time', 'Expense'] });
    // Dates over three months, on month ends and in the middle, in three classes.
    const dates = [
      '2026-01-31',
      '2026-02-01',
      '2026-02-14',
      '2026-02-28',
      '2026-03-01',
      '2026-03-20',
    ];
    const made: any[] = [];
    for (const [i, date] of dates.entries()) {
      made.push(...(await approvedActuals(api, eurTime.id, { date, quantity: `${i + 1}` })));
      made.push(
        ...(await approvedActuals(api, eurOther.id, {
          date,
          transactionClass: i % 2 ? 'Expense' : 'Fee',
          quantity: '1.5',
          unitPrice: `${10 + i}.25`,
        })),
      );
      made.push(
        ...(await approvedActuals(api, jpyLine.id, {
          date,
          transactionClass: i % 2 ? 'Time' : 'Expense',
          unitPrice: '1001',
        })),
      );
    }
    const [first, second] = eur.customerIds;
    const filters: Filter[] = [
      {},
      { billingStatus: ['ReadyToInvoice'] },
      { billingStatus: ['ReadyToInvoice', 'CustomerInvoiceCreated'] },
      { billingStatus: ['CustomerInvoicePosted'] },
      { nteStatus: ['NotApplicable'] },
      { transactionClass: ['Expense'] },
      { transactionClass: ['Time', 'Fee'], billingStatus: ['UnbilledSalesCreated'] },
      { dateFrom: '2026-02-01', dateTo: '2026-02-28' },
      { dateFrom: '2026-02-01', dateTo: '2026-03-31' },
      { dateFrom: '2026-01-15', dateTo: '2026-02-28' },
      { dateFrom: '2026-02-14', dateTo: '2026-03-01' },
      { dateFrom: '2026-02-02', dateTo: '2026-02-27' },
      { dateFrom: '2026-02-01' },
      { dateTo: '2026-02-14' },
      { dateFrom: '2026-01-31', dateTo: '2026-03-20', transactionClass: ['Time'] },
      { contractId: eur.id },
      { contractId: eur.id, transactionClass: ['Fee'] },
      { contractId: eur.id, dateFrom: '2026-02-01', dateTo: '2026-02-28' },
      { customerId: first },
      { customerId: second, transactionClass: ['Time'], billingStatus: ['ReadyToInvoice'] },
      { contractLineId: eurOther.id },
      { contractLineId: jpyLine.id, dateFrom: '2026-02-10' },
    ];
    const agree = async (step: string) => {
      for (const f of filters) {
        const res = await api.get(`${VIEW}?${query(f)}&limit=1`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const answered = res.body.totals.byCurrency.map((c: any) => ({
          currency: c.currency,
          count: c.count,
          minor: minorOf(c.amount, c.currency),
        }));
        assert.deepEqual(answered, await expectedTotals(f), `${step}: ${query(f) || 'no filter'}`);
      }
      assert.deepEqual(await checkInvariants(api.database.db), [], step);
    };
    await agree('approved');

    const ready = made.filter((_, i) => i % 3 !== 2);
    const mark = await api.post(`${VIEW}/mark-ready`, { ids: ready.map((a) => a.id) });
    assert.equal(mark.status, 200, JSON.stringify(mark.body));
    await agree('marked ready');

    const drafts = await api.post('/invoices', { contractId: eur.id, invoiceDate: '2026-02-28' });
    assert.equal(drafts.status, 201, JSON.stringify(drafts.body));
    await agree('drafted up to February');

    const invoice = drafts.body.invoices[0];
    assert.equal((await api.post(`/invoices/${invoice.id}/confirm`)).status, 200);
    await agree('posted');

    const detail = invoice.lines[0].details[0];
    const correction = await api.post(`/invoices/${invoice.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '0.5' }],
    });
    assert.equal(correction.status, 201, JSON.stringify(correction.body));
    assert.equal((await api.post(`/invoices/${correction.body.id}/confirm`)).status, 200);
    await agree('corrected');

    const notReady = made.filter((a) => a.contractId === jpy.id).map((a) => a.id);
    assert.equal((await api.post(`${VIEW}/mark-not-ready`, { ids: notReady })).status, 200);
    await agree('marked not ready');
  });
});
