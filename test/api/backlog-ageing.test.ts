import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import {
  approvedActuals,
  buildConfirmedInvoice,
  buildContract,
  buildFixedPriceLine,
  buildLine,
  buildMilestone,
  markReady,
} from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const REPORT = '/reports/backlog-ageing';
const AS_OF = '2026-06-30';
const BUCKETS = ['0-30', '31-60', '61-90', '91-180', '180+'];

/** Minor units of a decimal string, whatever the currency's digits. */
const units = (x: string) => BigInt(x.replace('.', ''));

/** The test's own bucketing: whole days between two dates, then the spec's bounds. */
function bucketAt(date: string, asOf: string): string | null {
  const days = (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000;
  if (days < 0) return null;
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  if (days <= 180) return '91-180';
  return '180+';
}

async function allRows(path: string, query: string): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await api.get(
      `${path}?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    rows.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return rows;
}

interface Item {
  currency: string;
  customerId: string;
  date: string;
  amount: string;
}

/** Expected sums per currency|customer and per currency, each bucket and total, in units. */
function expected(items: readonly Item[], asOf: string) {
  const perCustomer = new Map<string, Map<string, bigint>>();
  const perCurrency = new Map<string, Map<string, bigint>>();
  const add = (m: Map<string, Map<string, bigint>>, key: string, bucket: string, v: bigint) => {
    const sums = m.get(key) ?? new Map<string, bigint>();
    sums.set(bucket, (sums.get(bucket) ?? 0n) + v);
    sums.set('total', (sums.get('total') ?? 0n) + v);
    m.set(key, sums);
  };
  for (const item of items) {
    const bucket = bucketAt(item.date, asOf);
    if (bucket === null) continue;
    add(perCustomer, `${item.currency}|${item.customerId}`, bucket, units(item.amount));
    add(perCurrency, item.currency, bucket, units(item.amount));
  }
  return { perCustomer, perCurrency };
}

/** The report's answer in the same shape, zero buckets left out. */
function answered(body: any) {
  const shape = (line: any) => {
    const sums = new Map<string, bigint>();
    for (const b of BUCKETS) if (units(line.amounts[b]) !== 0n) sums.set(b, units(line.amounts[b]));
    sums.set('total', units(line.total));
    return sums;
  };
  return {
    perCustomer: new Map<string, Map<string, bigint>>(
      body.rows.map((r: any) => [`${r.currency}|${r.customerId}`, shape(r)]),
    ),
    perCurrency: new Map<string, Map<string, bigint>>(
      body.totals.map((t: any) => [t.currency, shape(t)]),
    ),
  };
}

/** Open T&M rows as the view lists them, chargeable only: the report's inputs. */
async function chargeableTm(query: string): Promise<any[]> {
  const rows = await allRows('/backlog/time-and-material', query);
  return rows.filter((r) => r.billingType === 'Chargeable');
}

/** Ages 0, 30, 31, 60, 61, 90, 91, 180, 181 and one day in the future, at AS_OF. */
const DATES = [
  '2026-06-30',
  '2026-05-31',
  '2026-05-30',
  '2026-05-01',
  '2026-04-30',
  '2026-04-01',
  '2026-03-31',
  '2026-01-01',
  '2025-12-31',
  '2026-07-01',
];

async function contractWithAgedWork(currency: string, percents: string[]) {
  const contract = await buildContract(api, { currency, percents });
  const line = await buildLine(api, contract.id);
  const unitPrice = currency === 'JPY' ? '1003' : '100.01';
  for (const [i, date] of DATES.entries()) {
    await approvedActuals(api, line.id, { date, quantity: String(i + 1), unitPrice });
  }
  // R62: a reduced quantity leaves a non-chargeable rest, which is never billed.
  await approvedActuals(api, line.id, {
    date: '2026-06-01',
    quantity: '10',
    billableQuantity: '4',
    unitPrice,
  });
  return { contract, line };
}

describe(`backlog ageing report [${TARGET}]`, () => {
  it('§5: sums chargeable unbilled T&M rows per currency, customer and age bucket exactly; future-dated left out', async () => {
    const { contract } = await contractWithAgedWork('EUR', ['33.33', '33.33', '33.34']);
    const items = await chargeableTm(`contractId=${contract.id}`);
    assert.ok(items.length > DATES.length, 'rows split over three customers');
    const res = await api.get(`${REPORT}?contractId=${contract.id}&asOf=${AS_OF}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.asOf, AS_OF);
    assert.deepEqual(res.body.buckets, BUCKETS);
    assert.deepEqual(answered(res.body), expected(items, AS_OF));
    assert.equal(res.body.rows.length, 3);
    for (const row of res.body.rows) {
      assert.match(row.customerName, /^Customer /);
      assert.equal(row.currency, 'EUR');
    }
    // The future-dated day really is in the view, and really is left out of the report.
    const view = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
    const future = view.body.items.filter((r: any) => r.date > AS_OF);
    assert.ok(future.length > 0);
    const viewTotal = units(view.body.totals.amount);
    const nonChargeable = items.length < view.body.items.length;
    assert.ok(nonChargeable, 'the view also lists the non-chargeable rest');
    assert.ok(units(res.body.totals[0].total) < viewTotal);
  });

  it('§5: answers every currency on its own, with totals per currency, over the whole backlog', async () => {
    await contractWithAgedWork('JPY', ['60', '40']);
    await contractWithAgedWork('USD', ['100']);
    const items = await chargeableTm('');
    const res = await api.get(`${REPORT}?asOf=${AS_OF}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = answered(res.body);
    assert.deepEqual(got, expected(items, AS_OF));
    assert.ok(
      got.perCurrency.has('JPY') && got.perCurrency.has('USD') && got.perCurrency.has('EUR'),
    );
    const jpy = res.body.totals.find((t: any) => t.currency === 'JPY');
    assert.match(jpy.total, /^\d+$/, 'JPY has no minor digits');
  });

  it('§5: takes the T&M view filters (customer, status, class, dates) and still agrees with the view', async () => {
    const { contract } = await contractWithAgedWork('EUR', ['50', '50']);
    const customer = contract.customerIds[1];
    const rows = await chargeableTm(`contractId=${contract.id}&customerId=${customer}`);
    await markReady(api, 'time-and-material', rows.slice(0, 4));
    for (const query of [
      `contractId=${contract.id}&customerId=${customer}`,
      `contractId=${contract.id}&billingStatus=ReadyToInvoice`,
      `contractId=${contract.id}&billingStatus=ReadyToInvoice&billingStatus=UnbilledSalesCreated`,
      `contractId=${contract.id}&transactionClass=Time&dateFrom=2026-04-01&dateTo=2026-05-31`,
      `customerId=${customer}&nteStatus=NotApplicable`,
    ]) {
      const items = await chargeableTm(query);
      const res = await api.get(`${REPORT}?${query}&asOf=${AS_OF}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(answered(res.body), expected(items, AS_OF), query);
    }
  });

  it('§5: leaves posted rows out (billed), keeps rows on a draft invoice (not yet billed)', async () => {
    const { contract } = await contractWithAgedWork('USD', ['100']);
    const open = await chargeableTm(`contractId=${contract.id}&dateTo=2026-01-31`);
    await markReady(api, 'time-and-material', open);
    await buildConfirmedInvoice(api, contract.id);
    const posted = await allRows(
      '/backlog/time-and-material',
      `contractId=${contract.id}&billingStatus=CustomerInvoicePosted`,
    );
    assert.ok(posted.length > 0);
    const [draftable] = await chargeableTm(`contractId=${contract.id}&dateFrom=2026-06-30`);
    await markReady(api, 'time-and-material', [draftable]);
    const draft = await api.post('/invoices', { contractId: contract.id, invoiceDate: AS_OF });
    assert.equal(draft.status, 201);
    const items = await chargeableTm(`contractId=${contract.id}`);
    assert.ok(items.some((r) => r.billingStatus === 'CustomerInvoiceCreated'));
    const res = await api.get(
      `${REPORT}?contractId=${contract.id}&asOf=${AS_OF}&billingStatus=CustomerInvoicePosted&billingStatus=CustomerInvoiceCreated&billingStatus=UnbilledSalesCreated`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(
      answered(res.body),
      expected(
        items.filter((r) => r.billingStatus !== 'ReadyToInvoice'),
        AS_OF,
      ),
    );
  });

  it('§5: include=milestones adds the open milestone splits, and only then', async () => {
    const contract = await buildContract(api, { currency: 'EUR', percents: ['70', '30'] });
    const tmLine = await buildLine(api, contract.id);
    await approvedActuals(api, tmLine.id, { date: '2026-06-15' });
    const fpLine = await buildFixedPriceLine(api, contract.id);
    await buildMilestone(api, fpLine.id, { date: '2026-02-27', amount: '1000.01' });
    await buildMilestone(api, fpLine.id, { date: '2026-06-29', amount: '333.33', ready: true });
    await buildMilestone(api, fpLine.id, { date: '2026-08-01', amount: '50.00' });
    const splits = await allRows('/backlog/fixed-price-milestones', `contractId=${contract.id}`);
    const tm = await chargeableTm(`contractId=${contract.id}`);
    const plain = await api.get(`${REPORT}?contractId=${contract.id}&asOf=${AS_OF}`);
    assert.deepEqual(answered(plain.body), expected(tm, AS_OF));
    const withSplits = await api.get(
      `${REPORT}?contractId=${contract.id}&asOf=${AS_OF}&include=milestones`,
    );
    assert.equal(withSplits.status, 200, JSON.stringify(withSplits.body));
    const open = splits
      .filter((s) => s.billingStatus !== 'CustomerInvoicePosted')
      .map((s) => ({ ...s, currency: 'EUR' }));
    assert.deepEqual(answered(withSplits.body), expected([...tm, ...open], AS_OF));
    // A split has no transaction class: a class filter leaves every split out.
    const byClass = await api.get(
      `${REPORT}?contractId=${contract.id}&asOf=${AS_OF}&include=milestones&transactionClass=Time`,
    );
    assert.deepEqual(answered(byClass.body), expected(tm, AS_OF));
  });

  it('§5: asOf defaults to today; no rows answers empty rows and totals', async () => {
    const res = await api.get(`${REPORT}?contractId=999999999`);
    assert.equal(res.status, 200);
    assert.equal(res.body.asOf, new Date().toISOString().slice(0, 10));
    assert.deepEqual(res.body.rows, []);
    assert.deepEqual(res.body.totals, []);
  });

  it('§5: a bad asOf, include or filter is 400 VALIDATION_FAILED naming the field', async () => {
    for (const [query, field] of [
      ['asOf=2026-02-30', 'asOf'],
      ['asOf=today', 'asOf'],
      ['include=retainers', 'include'],
      ['billingStatus=Paid', 'billingStatus'],
      ['dateFrom=2026-02-01&dateTo=2026-01-01', 'dateTo'],
      ['limit=5', 'limit'],
    ] as const) {
      const res = await api.get(`${REPORT}?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(
        res.body.errors.some((e: any) => String(e.field).includes(field)),
        `${query}: ${JSON.stringify(res.body.errors)}`,
      );
    }
  });
});
