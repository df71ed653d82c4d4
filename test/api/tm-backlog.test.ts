import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { approvedActuals, buildContract, buildLine, submitEntry } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const VIEW = '/backlog/time-and-material';
const cents = (x: string) => BigInt(x.replace('.', ''));

async function allPages(query: string, limit: number): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const res: any = await api.get(
      `${VIEW}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.items.length <= limit);
    rows.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error('pagination never ended');
}

describe(`T&M billing backlog view [${TARGET}]`, () => {
  it('§5: lists live unbilled rows with currency, one row per customer split; reversed rows leave the view', async () => {
    const contract = await buildContract(api, { currency: 'EUR', percents: ['60', '40'] });
    const line = await buildLine(api, contract.id);
    const kept = await approvedActuals(api, line.id, { quantity: '2', unitPrice: '100.00' });
    const gone = await submitEntry(api, line.id);
    assert.equal((await api.post(`/entries/${gone}/approve`, {})).status, 200);
    assert.equal((await api.post(`/entries/${gone}/cancel-approval`)).status, 200);
    const res = await api.get(`${VIEW}?contractId=${contract.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items.map((r: any) => r.id).sort(), kept.map((a) => a.id).sort());
    const row = res.body.items.find((r: any) => r.customerId === contract.customerIds[0]);
    assert.deepEqual(row, {
      id: row.id,
      contractId: contract.id,
      contractLineId: line.id,
      customerId: contract.customerIds[0],
      transactionClass: 'Time',
      date: '2026-03-02',
      quantity: '1.20',
      unitPrice: '100.00',
      amount: '120.00',
      currency: 'EUR',
      billingType: 'Chargeable',
      billingStatus: 'UnbilledSalesCreated',
      nteStatus: 'NotApplicable',
      contractName: contract.body.name,
      contractLineName: line.name,
      customerName: row.customerName,
    });
    assert.match(row.customerName, /^Customer /);
    assert.deepEqual(res.body.totals, {
      count: 2,
      amount: '200.00',
      byCurrency: [{ currency: 'EUR', count: 2, amount: '200.00' }],
    });
  });

  it('§5: filters by contract line, customer, billing status (repeatable), NTE status, class and inclusive dates', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const lineA = await buildLine(api, contract.id);
    const lineB = await buildLine(api, contract.id);
    const [a1, a2] = await approvedActuals(api, lineA.id, {
      date: '2026-01-31',
      transactionClass: 'Expense',
    });
    const [b1] = await approvedActuals(api, lineB.id, { date: '2026-02-01' });
    const [c1] = await approvedActuals(api, lineB.id, {
      date: '2026-02-28',
      transactionClass: 'Fee',
    });
    await api.post(`${VIEW}/mark-ready`, { ids: [a1.id] });
    await api.post(`${VIEW}/mark-not-ready`, { ids: [b1.id] });
    const ids = async (q: string) => {
      const res = await api.get(`${VIEW}?contractId=${contract.id}&${q}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.totals.count, res.body.items.length);
      return res.body.items.map((r: any) => r.id).sort();
    };
    const sorted = (...xs: any[]) => xs.map((x) => x.id).sort();
    assert.equal((await ids(`contractLineId=${lineA.id}`)).length, 2);
    assert.deepEqual(
      await ids(`customerId=${contract.customerIds[0]}&contractLineId=${lineA.id}`),
      sorted(a1),
    );
    assert.deepEqual(await ids('billingStatus=ReadyToInvoice'), sorted(a1));
    assert.deepEqual(
      await ids('billingStatus=ReadyToInvoice&billingStatus=NotReadyToInvoice'),
      sorted(a1, b1),
    );
    assert.equal((await ids('billingStatus=UnbilledSalesCreated')).length, 4);
    assert.equal((await ids('nteStatus=NotApplicable')).length, 6);
    assert.deepEqual(await ids('nteStatus=Failed'), []);
    assert.deepEqual(await ids('transactionClass=Expense'), sorted(a1, a2));
    assert.equal(
      (await ids('dateFrom=2026-02-01&dateTo=2026-02-28')).length,
      4,
      'both ends inclusive',
    );
    assert.deepEqual(await ids('dateTo=2026-01-31'), sorted(a1, a2));
    assert.deepEqual(await ids(`dateFrom=2026-02-28&customerId=${c1.customerId}`), sorted(c1));
  });

  it('§5: posted rows show only when billingStatus=CustomerInvoicePosted is asked for', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [open] = await approvedActuals(api, line.id);
    const [posted] = await approvedActuals(api, line.id);
    // Invoicing is another module: put the row in the posted state as confirming would.
    await sql`UPDATE actuals SET billing_status = 'CustomerInvoicePosted' WHERE id = ${posted.id}`.execute(
      api.database.db,
    );
    const dflt = await api.get(`${VIEW}?contractId=${contract.id}`);
    assert.deepEqual(
      dflt.body.items.map((r: any) => r.id),
      [open.id],
    );
    const asked = await api.get(
      `${VIEW}?contractId=${contract.id}&billingStatus=CustomerInvoicePosted`,
    );
    assert.deepEqual(
      asked.body.items.map((r: any) => [r.id, r.billingStatus]),
      [[posted.id, 'CustomerInvoicePosted']],
    );
    const both = await api.get(
      `${VIEW}?contractId=${contract.id}&billingStatus=CustomerInvoicePosted&billingStatus=UnbilledSalesCreated`,
    );
    assert.equal(both.body.totals.count, 2);
  });

  it('§5: every sort pages deeply without gaps or repeats, id breaking ties', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    // 23 rows with repeated dates and repeated amounts, so the tie-breaker matters.
    for (let i = 0; i < 23; i++) {
      await approvedActuals(api, line.id, {
        date: `2026-04-${String(1 + (i % 5)).padStart(2, '0')}`,
        quantity: String(1 + (i % 4)),
        unitPrice: '10.00',
      });
    }
    const everything = await allPages(`contractId=${contract.id}`, 500);
    assert.equal(everything.length, 23);
    const byId = (a: any, b: any) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
    const expected: Record<string, any[]> = {
      date: [...everything].sort((a, b) => a.date.localeCompare(b.date) || byId(a, b)),
      amount: [...everything].sort(
        (a, b) => Number(cents(a.amount) - cents(b.amount)) || byId(a, b),
      ),
    };
    expected['-date'] = [...(expected.date ?? [])].reverse();
    expected['-amount'] = [...(expected.amount ?? [])].reverse();
    for (const sort of ['date', '-date', 'amount', '-amount']) {
      for (const limit of [1, 4, 7]) {
        const paged = await allPages(`contractId=${contract.id}&sort=${sort}`, limit);
        assert.deepEqual(
          paged.map((r) => r.id),
          expected[sort]?.map((r) => r.id),
          `${sort} by ${limit}`,
        );
      }
    }
  });

  it('§5: a row changed or added while paging is neither repeated nor skipped', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    for (let i = 0; i < 10; i++)
      await approvedActuals(api, line.id, { date: `2026-05-${String(10 + i)}` });
    const seen: string[] = [];
    let res = await api.get(`${VIEW}?contractId=${contract.id}&limit=4`);
    seen.push(...res.body.items.map((r: any) => r.id));
    // Between pages: mark a row already seen and one still to come ready, and add a row dated
    // before the cursor (it belongs to a page already read) and one after it.
    const all = await allPages(`contractId=${contract.id}`, 500);
    await api.post(`${VIEW}/mark-ready`, { ids: [all[1].id, all[8].id] });
    await approvedActuals(api, line.id, { date: '2026-05-01' });
    const [late] = await approvedActuals(api, line.id, { date: '2026-05-30' });
    while (res.body.nextCursor) {
      res = await api.get(
        `${VIEW}?contractId=${contract.id}&limit=4&cursor=${res.body.nextCursor}`,
      );
      seen.push(...res.body.items.map((r: any) => r.id));
    }
    assert.equal(new Set(seen).size, seen.length, 'no row twice');
    assert.deepEqual(seen, [...all.map((r) => r.id), late.id]);
  });

  it('§5: totals cover the whole filter exactly; amount is null across currencies, "0" for no rows', async () => {
    const usd = await buildContract(api, {
      currency: 'USD',
      percents: ['33.33', '33.33', '33.34'],
    });
    const jpy = await buildContract(api, { currency: 'JPY' });
    const usdLine = await buildLine(api, usd.id);
    const jpyLine = await buildLine(api, jpy.id);
    await approvedActuals(api, usdLine.id, { quantity: '3', unitPrice: '33.33' });
    await approvedActuals(api, usdLine.id, { quantity: '0.07', unitPrice: '0.10' });
    await approvedActuals(api, jpyLine.id, { quantity: '1.5', unitPrice: '1001' });
    const one = await api.get(`${VIEW}?contractId=${usd.id}&limit=1`);
    assert.equal(one.body.items.length, 1);
    assert.deepEqual(one.body.totals, {
      count: 6,
      amount: '100.00',
      byCurrency: [{ currency: 'USD', count: 6, amount: '100.00' }],
    });
    const customers = [...usd.customerIds, ...jpy.customerIds];
    // Both contracts together, through a filter that spans them: customer ids of both.
    const rows = [];
    for (const c of customers) rows.push(...(await allPages(`customerId=${c}`, 2)));
    assert.equal(rows.length, 7);
    const mixed = await api.get(`${VIEW}?dateFrom=2026-03-02&dateTo=2026-03-02&limit=1`);
    assert.equal(mixed.body.totals.amount, null, 'several currencies have no single amount');
    const jpyTotal = mixed.body.totals.byCurrency.find((c: any) => c.currency === 'JPY');
    assert.ok(jpyTotal, JSON.stringify(mixed.body.totals));
    assert.equal(
      mixed.body.totals.count,
      mixed.body.totals.byCurrency.reduce((n: number, c: any) => n + c.count, 0),
    );
    const jpyOnly = await api.get(`${VIEW}?contractId=${jpy.id}`);
    assert.deepEqual(jpyOnly.body.totals.byCurrency, [
      { currency: 'JPY', count: 1, amount: '1502' },
    ]);
    const none = await api.get(`${VIEW}?contractId=${jpy.id}&billingStatus=ReadyToInvoice`);
    assert.deepEqual(none.body, {
      items: [],
      nextCursor: null,
      totals: { count: 0, amount: '0', byCurrency: [] },
    });
  });

  it('§5: totals follow every status change, cancellation, invoice and correction of the rows they count', async () => {
    const contract = await buildContract(api, { currency: 'EUR', percents: ['60', '40'] });
    const line = await buildLine(api, contract.id);
    const [first, second] = contract.customerIds;
    // What the rows themselves add up to, read page by page, against what the view answers.
    const filters = [
      `contractId=${contract.id}`,
      `customerId=${first}`,
      `contractId=${contract.id}&customerId=${second}`,
      ...[
        'UnbilledSalesCreated',
        'ReadyToInvoice',
        'CustomerInvoiceCreated',
        'CustomerInvoicePosted',
      ].map((s) => `contractId=${contract.id}&billingStatus=${s}`),
      `contractId=${contract.id}&nteStatus=NotApplicable&billingStatus=ReadyToInvoice&billingStatus=UnbilledSalesCreated`,
    ];
    const agree = async (step: string) => {
      for (const filter of filters) {
        const rows = await allPages(filter, 3);
        const sum = rows.reduce((n, r) => n + cents(r.amount), 0n);
        const res = await api.get(`${VIEW}?${filter}&limit=1`);
        const expected =
          rows.length === 0
            ? []
            : [{ currency: 'EUR', count: rows.length, amount: (Number(sum) / 100).toFixed(2) }];
        assert.deepEqual(res.body.totals.byCurrency, expected, `${step}: ${filter}`);
      }
    };
    const kept = await approvedActuals(api, line.id, { quantity: '2', unitPrice: '100.00' });
    const ready = await approvedActuals(api, line.id, { quantity: '3', unitPrice: '10.05' });
    const cancelled = await submitEntry(api, line.id, { quantity: '1' });
    assert.equal((await api.post(`/entries/${cancelled}/approve`, {})).status, 200);
    await agree('approved');
    assert.equal((await api.post(`/entries/${cancelled}/cancel-approval`)).status, 200);
    await agree('approval cancelled');
    assert.equal(
      (await api.post(`${VIEW}/mark-ready`, { ids: ready.map((a) => a.id) })).status,
      200,
    );
    await agree('marked ready');
    const created = await api.post('/invoices', {
      contractId: contract.id,
      itemIds: ready.map((a) => a.id),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await agree('on a draft');
    const invoice = created.body.invoices[0];
    assert.equal((await api.post(`/invoices/${invoice.id}/confirm`)).status, 200);
    await agree('posted');
    const detail = invoice.lines[0].details[0];
    const correction = await api.post(`/invoices/${invoice.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '1' }],
    });
    assert.equal(correction.status, 201, JSON.stringify(correction.body));
    assert.equal((await api.post(`/invoices/${correction.body.id}/confirm`)).status, 200);
    await agree('corrected');
    assert.equal(
      (await api.post(`${VIEW}/mark-not-ready`, { ids: kept.map((a) => a.id) })).status,
      200,
    );
    await agree('marked not ready');
  });

  it('§5: unknown filters, values, sorts, limits and malformed cursors answer 400 VALIDATION_FAILED', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    await approvedActuals(api, line.id);
    await approvedActuals(api, line.id);
    const page = await api.get(`${VIEW}?contractId=${contract.id}&limit=1&sort=amount`);
    const amountCursor = page.body.nextCursor;
    assert.ok(amountCursor);
    for (const q of [
      'billingStatus=Ready',
      'billingStatus=ReadyToInvoice&billingStatus=Nope',
      'nteStatus=Passed',
      'transactionClass=Travel',
      'sort=name',
      'sort=',
      'limit=0',
      'limit=501',
      'limit=ten',
      'dateFrom=2026-02-30',
      'dateTo=03/01/2026',
      'dateFrom=2026-03-02&dateTo=2026-03-01',
      'cursor=%%%',
      'cursor=bm90LWpzb24',
      `cursor=${Buffer.from(JSON.stringify(['date', "2026-01-01' OR 1=1", '1'])).toString('base64url')}`,
      `sort=date&cursor=${amountCursor}`,
      'color=blue',
    ]) {
      const res = await api.get(`${VIEW}?${q}`);
      assert.equal(res.status, 400, `${q}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', q);
      assert.ok(res.body.errors?.length > 0, q);
    }
    const next = await api.get(
      `${VIEW}?contractId=${contract.id}&limit=1&sort=amount&cursor=${amountCursor}`,
    );
    assert.equal(next.status, 200);
    assert.equal(next.body.items.length, 1);
    assert.equal(next.body.nextCursor, null);
  });
});
