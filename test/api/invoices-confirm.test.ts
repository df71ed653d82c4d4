import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatDecimal, parseDecimal } from '../../src/domain/money.js';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildCustomer, buildLine } from '../support/factories.js';
import {
  allDetails,
  billingStatusOf,
  confirm,
  createInvoices,
  ledger,
  readyActuals,
} from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const seq = (number: string) => Number(number.replace(/\D/g, ''));

async function draftWith(
  spec: { percents?: string[]; quantity?: string; unitPrice?: string } = {},
) {
  const contract = await buildContract(api, { percents: spec.percents ?? ['100'] });
  const line = await buildLine(api, contract.id);
  const actuals = await readyActuals(api, line.id, {
    quantity: spec.quantity ?? '8',
    unitPrice: spec.unitPrice ?? '200',
  });
  const invoices = await createInvoices(api, {
    contractId: contract.id,
    invoiceDate: '2026-12-31',
  });
  return {
    contract,
    line,
    actuals,
    invoices,
    invoice: invoices[0],
    detail: allDetails(invoices[0])[0],
  };
}

describe(`invoices: confirm [${TARGET}]`, () => {
  it('R63: confirm numbers the invoice, posts its items, writes BilledSales and reverses the unbilled rows', async () => {
    const { contract, line, invoice, actuals } = await draftWith();
    const res = await api.post(`/invoices/${invoice.id}/confirm`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'Confirmed');
    assert.match(res.body.number, /^INV-\d{6}$/);
    assert.ok(res.body.confirmedAt);
    assert.equal(res.body.total, '1600.00');
    assert.equal(await billingStatusOf(api, actuals[0].id), 'CustomerInvoicePosted');
    const rows = await ledger(api, `contractId=${contract.id}`);
    assert.deepEqual(
      rows.map((r: any) => [
        r.type,
        r.reversesId ?? null,
        r.invoiceId ?? null,
        r.contractLineId,
        r.customerId,
        r.quantity,
        r.amount,
        r.billingType,
      ]),
      [
        [
          'UnbilledSales',
          null,
          null,
          line.id,
          contract.customerIds[0],
          '8.00',
          '1600.00',
          'Chargeable',
        ],
        [
          'BilledSales',
          null,
          invoice.id,
          line.id,
          contract.customerIds[0],
          '8.00',
          '1600.00',
          'Chargeable',
        ],
        [
          'UnbilledSales',
          actuals[0].id,
          null,
          line.id,
          contract.customerIds[0],
          '-8.00',
          '-1600.00',
          'Chargeable',
        ],
      ],
    );
    const audit = await api.get(`/audit-events?entityType=Invoice&entityId=${invoice.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['createInvoice', null, 'Draft'],
        ['confirmInvoice', 'Draft', 'Confirmed'],
      ],
    );
  });

  it('R62: a quantity reduced from Q to q bills q chargeable and Q−q non-chargeable', async () => {
    const { contract, invoice, detail } = await draftWith();
    await api.patch(`/invoices/${invoice.id}/details/${detail.id}`, { quantity: '6' });
    const confirmed = await confirm(api, invoice.id);
    assert.equal(confirmed.total, '1200.00');
    const billed = (await ledger(api, `contractId=${contract.id}&type=BilledSales`)).map(
      (r: any) => [r.quantity, r.amount, r.billingType],
    );
    assert.deepEqual(billed, [
      ['6.00', '1200.00', 'Chargeable'],
      ['2.00', '400.00', 'NonChargeable'],
    ]);
  });

  it('R62: an increased quantity bills the new quantity', async () => {
    const { contract, invoice, detail } = await draftWith();
    await api.patch(`/invoices/${invoice.id}/details/${detail.id}`, { quantity: '10' });
    await confirm(api, invoice.id);
    const billed = (await ledger(api, `contractId=${contract.id}&type=BilledSales`)).map(
      (r: any) => [r.quantity, r.amount, r.billingType],
    );
    assert.deepEqual(billed, [['10.00', '2000.00', 'Chargeable']]);
  });

  it('R63: numbers are consecutive, one sequence over contracts and customers', async () => {
    const a = await draftWith({ percents: ['50', '50'] });
    const b = await draftWith();
    const numbers: number[] = [];
    for (const inv of [...a.invoices, ...b.invoices])
      numbers.push(seq((await confirm(api, inv.id)).number));
    const n0 = numbers[0]!;
    assert.deepEqual(numbers, [n0, n0 + 1, n0 + 2]);
  });

  it('R63: a refused confirm takes no number (no gaps)', async () => {
    const first = await draftWith();
    const n1 = seq((await confirm(api, first.invoice.id)).number);
    const empty = await draftWith();
    await api.del(`/invoices/${empty.invoice.id}/details/${empty.detail.id}`);
    const refused = await api.post(`/invoices/${empty.invoice.id}/confirm`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'INVALID_TRANSITION');
    const again = await api.post(`/invoices/${first.invoice.id}/confirm`);
    assert.equal(again.body.code, 'INVOICE_CONFIRMED');
    const next = await draftWith();
    assert.equal(seq((await confirm(api, next.invoice.id)).number), n1 + 1);
  });

  it('R64: bulk confirm answers per invoice in order: confirmed, INVOICE_CONFIRMED, NOT_FOUND', async () => {
    const { invoices } = await draftWith({ percents: ['50', '50'] });
    const [x, y] = invoices.map((i: any) => i.id);
    const res = await api.post('/invoices/confirm', { ids: [x, 'nope', y, x, '999999999'] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [x, true, 'Confirmed'],
        ['nope', false, 'NOT_FOUND'],
        [y, true, 'Confirmed'],
        [x, false, 'INVOICE_CONFIRMED'],
        ['999999999', false, 'NOT_FOUND'],
      ],
    );
    for (const body of [{}, { ids: [] }, { ids: [1] }]) {
      assert.equal((await api.post('/invoices/confirm', body)).status, 400);
    }
  });

  it('R64, R63, R68: drafts confirmed together are numbered in the order given and posted in full; a bad id among them is answered alone', async () => {
    const two = await draftWith({ percents: ['50', '50'] });
    const one = await draftWith({ quantity: '3' });
    const [a, b] = two.invoices.map((i: any) => i.id);
    const c = one.invoice.id;
    const res = await api.post('/invoices/confirm', { ids: [c, a, b] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status]),
      [
        [c, true, 'Confirmed'],
        [a, true, 'Confirmed'],
        [b, true, 'Confirmed'],
      ],
    );
    const numbers = [];
    for (const id of [c, a, b]) {
      const invoice = (await api.get(`/invoices/${id}`)).body;
      assert.equal(invoice.status, 'Confirmed');
      numbers.push(seq(invoice.number));
      // R68: the posted ledger of each invoice sums to its total.
      const rows = await ledger(api, `invoiceId=${id}&type=BilledSales`);
      const billed = rows
        .filter((r: any) => r.billingType === 'Chargeable')
        .reduce((sum: bigint, r: any) => sum + (parseDecimal(r.amount, 2) as bigint), 0n);
      assert.equal(formatDecimal(billed, 2), invoice.total, id);
    }
    assert.deepEqual(numbers, [numbers[0], numbers[0]! + 1, numbers[0]! + 2]);
    for (const item of [...two.actuals, ...one.actuals]) {
      assert.equal(await billingStatusOf(api, item.id), 'CustomerInvoicePosted');
    }

    const d = (await draftWith()).invoice.id;
    const e = (await draftWith()).invoice.id;
    const mixed = await api.post('/invoices/confirm', { ids: [d, '999999999', e, a] });
    assert.deepEqual(
      mixed.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [d, true, 'Confirmed'],
        ['999999999', false, 'NOT_FOUND'],
        [e, true, 'Confirmed'],
        [a, false, 'INVOICE_CONFIRMED'],
      ],
    );
  });

  it('R64: bulk confirm of 1,000 invoices', async () => {
    const ids: string[] = [];
    for (let c = 0; c < 10; c++) {
      const customerIds: string[] = [];
      for (let i = 0; i < 100; i++) customerIds.push(await buildCustomer(api));
      const res = await api.post('/contracts', {
        name: `Bulk ${c} ${process.pid}`,
        currency: 'USD',
        customers: customerIds.map((customerId) => ({ customerId, billingSplitPercent: '1' })),
      });
      assert.equal(res.status, 201);
      const line = await buildLine(api, res.body.id);
      await readyActuals(api, line.id, { quantity: '100', unitPrice: '10' });
      const invoices = await createInvoices(api, {
        contractId: res.body.id,
        invoiceDate: '2026-12-31',
      });
      ids.push(...invoices.map((i: any) => i.id));
    }
    assert.equal(ids.length, 1000);
    const res = await api.post('/invoices/confirm', { ids });
    assert.equal(res.status, 200);
    assert.equal(res.body.results.filter((r: any) => r.ok).length, 1000);
    const confirmed = await api.database.db
      .selectFrom('invoices')
      .select('number')
      .where('id', 'in', ids)
      .execute();
    const numbers = confirmed.map((r) => seq(r.number!)).sort((a, b) => a - b);
    assert.equal(new Set(numbers).size, 1000);
    assert.equal(numbers[999]! - numbers[0]!, 999);
  });

  it('Idempotency-Key: a repeated confirm answers the first response and takes no second number', async () => {
    const { invoice } = await draftWith();
    const first = await api.post(`/invoices/${invoice.id}/confirm`, undefined, {
      'idempotency-key': `confirm-${invoice.id}`,
    });
    assert.equal(first.status, 200);
    const again = await api.post(`/invoices/${invoice.id}/confirm`, undefined, {
      'idempotency-key': `confirm-${invoice.id}`,
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    const next = await draftWith();
    assert.equal(seq((await confirm(api, next.invoice.id)).number), seq(first.body.number) + 1);
  });

  it('confirm needs the admin permission (a biller gets 403), and an unknown invoice is 404', async () => {
    const { invoice } = await draftWith();
    const token = await api.post('/tokens', { name: 'biller', role: 'biller' });
    const res = await api.request('POST', `/invoices/${invoice.id}/confirm`, undefined, {
      authorization: `Bearer ${token.body.token}`,
    });
    assert.equal(res.status, 403);
    assert.equal((await api.get(`/invoices/${invoice.id}`)).body.status, 'Draft');
    assert.equal((await api.post('/invoices/999999999/confirm')).status, 404);
  });

  it('NTE invoiced(L): the chargeable BilledSales of a line sum to its confirmed invoice totals', async () => {
    const { contract, invoices } = await draftWith({
      percents: ['33.33', '33.33', '33.34'],
      quantity: '7',
      unitPrice: '99.99',
    });
    await api.patch(`/invoices/${invoices[0].id}/details/${allDetails(invoices[0])[0].id}`, {
      quantity: '1',
    });
    await api.patch(`/invoices/${invoices[1].id}/details/${allDetails(invoices[1])[0].id}`, {
      billingType: 'NonChargeable',
    });
    let total = 0n;
    for (const inv of invoices)
      total += BigInt((await confirm(api, inv.id)).total.replace('.', ''));
    const billed = await ledger(api, `contractId=${contract.id}&type=BilledSales`);
    const chargeable = billed
      .filter((r: any) => r.billingType === 'Chargeable')
      .reduce((s: bigint, r: any) => s + BigInt(r.amount.replace('.', '')), 0n);
    assert.equal(chargeable, total);
    const all = billed.reduce((s: bigint, r: any) => s + BigInt(r.amount.replace('.', '')), 0n);
    assert.equal(all, 69993n, 'every approved cent is billed, chargeable or not');
  });
});
