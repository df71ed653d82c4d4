import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import {
  buildConfirmedInvoice,
  buildContract,
  buildDrafts,
  buildFixedPriceLine,
  buildLine,
  buildMilestone,
  buildRetainer,
} from '../support/factories.js';
import { confirm, ledger, readyActuals } from '../support/invoicing.js';
import { parseDecimal } from '../../src/domain/money.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const chargeableBilled = (rows: any[]) =>
  rows.filter((r) => r.type === 'BilledSales' && r.billingType === 'Chargeable');
/** USD amounts in cents. */
const parseMoney = (text: string): bigint => {
  const v = parseDecimal(text, 2, 18);
  assert.ok(v !== null, `${text} is an amount`);
  return v;
};
const sum = (rows: any[]) => rows.reduce((s, r) => s + parseMoney(r.amount), 0n);

describe(`the ledger records every invoice (R68) [${TARGET}]`, () => {
  it('R68: a confirmed 60/40 milestone invoice writes one Milestone BilledSales row per split', async () => {
    const contract = await buildContract(api, { percents: ['60', '40'] });
    const line = await buildFixedPriceLine(api, contract.id);
    const m = await buildMilestone(api, line.id, { amount: '10000.00', ready: true });
    const drafts = await buildDrafts(api, contract.id);
    assert.equal(drafts.length, 2);
    for (const d of drafts) await confirm(api, d.id);

    const rows = await ledger(api, `contractId=${contract.id}`);
    assert.deepEqual(
      rows
        .map((r) => [
          r.type,
          r.transactionClass,
          r.contractLineId,
          r.customerId,
          r.sourceType,
          r.sourceId,
          r.amount,
          r.billingType,
          r.invoiceId,
        ])
        .sort(),
      m.splits
        .map((s: any) => [
          'BilledSales',
          'Milestone',
          line.id,
          s.customerId,
          'MilestoneSplit',
          s.id,
          s.amount,
          'Chargeable',
          drafts.find((d) => d.customerId === s.customerId).id,
        ])
        .sort(),
    );
    assert.deepEqual(
      m.splits.map((s: any) => s.amount),
      ['6000.00', '4000.00'],
    );
  });

  it('R68: a retainer invoice writes a Retainer row on no line; a draw writes minus the applied amount with retainerId', async () => {
    const contract = await buildContract(api);
    const [customerId] = contract.customerIds as [string];
    const retainer = await buildRetainer(api, contract.id, customerId, {
      amount: '500.00',
      ready: true,
    });
    const billing = await buildConfirmedInvoice(api, contract.id);
    const tm = await buildLine(api, contract.id);
    await readyActuals(api, tm.id, { quantity: '4', unitPrice: '200.00' });
    const drawing = await buildConfirmedInvoice(api, contract.id);
    assert.equal(drawing.retainerApplied, '500.00');
    assert.equal(drawing.total, '300.00');

    const rows = await ledger(api, `contractId=${contract.id}&type=BilledSales`);
    const retainerRows = rows.filter((r) => r.sourceType === 'Retainer');
    assert.deepEqual(
      retainerRows.map((r) => [
        r.invoiceId,
        r.transactionClass,
        r.contractLineId,
        r.sourceId,
        r.retainerId ?? null,
        r.amount,
      ]),
      [
        [billing.id, 'Retainer', null, retainer.id, null, '500.00'],
        [drawing.id, 'Retainer', null, retainer.id, retainer.id, '-500.00'],
      ],
    );
    for (const invoice of [billing, drawing]) {
      const mine = chargeableBilled(rows).filter((r) => r.invoiceId === invoice.id);
      assert.equal(sum(mine), parseMoney(invoice.total), `invoice ${invoice.id}`);
    }
  });

  it('R68: a confirmed correction writes the same rows with opposite signs', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildFixedPriceLine(api, contract.id);
    await buildMilestone(api, line.id, { amount: '1000.00', ready: true });
    const [first] = await buildDrafts(api, contract.id);
    const billed = await confirm(api, first.id);
    const res = await api.post(`/invoices/${billed.id}/corrections`, {});
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const credit = await confirm(api, res.body.id);
    assert.equal(credit.total, '-500.00');

    const rows = await ledger(api, `contractId=${contract.id}&customerId=${billed.customerId}`);
    assert.deepEqual(
      rows.map((r) => [r.invoiceId, r.sourceType, r.quantity, r.amount]),
      [
        [billed.id, 'MilestoneSplit', '1.00', '500.00'],
        [credit.id, 'MilestoneSplit', '-1.00', '-500.00'],
      ],
    );
  });

  it('R68: T&M ledger rows name the unbilled actual they record', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [actual] = await readyActuals(api, line.id, { quantity: '2', unitPrice: '100.00' });
    const invoice = await buildConfirmedInvoice(api, contract.id);
    const rows = await ledger(api, `contractId=${contract.id}`);
    assert.deepEqual(
      rows.map((r) => [
        r.type,
        r.sourceType,
        r.sourceId,
        r.reversesId ?? null,
        r.invoiceId ?? null,
      ]),
      [
        ['UnbilledSales', 'Actual', actual.id, null, null],
        ['BilledSales', 'Actual', actual.id, null, invoice.id],
        ['UnbilledSales', 'Actual', actual.id, actual.id, null],
      ],
    );
  });

  it('R68: per contract customer, Chargeable BilledSales equal the confirmed invoices totals', async () => {
    const contract = await buildContract(api, { percents: ['70', '30'] });
    const [a, b] = contract.customerIds as [string, string];
    const tm = await buildLine(api, contract.id);
    const fp = await buildFixedPriceLine(api, contract.id);
    await buildRetainer(api, contract.id, a, { amount: '150.00', ready: true });
    await buildRetainer(api, contract.id, b, { kind: 'Advance', amount: '99.99', ready: true });
    for (const d of await buildDrafts(api, contract.id)) await confirm(api, d.id);
    await readyActuals(api, tm.id, { quantity: '3.5', unitPrice: '123.45' });
    await buildMilestone(api, fp.id, { amount: '777.77', ready: true });
    const invoices = [];
    for (const d of await buildDrafts(api, contract.id)) invoices.push(await confirm(api, d.id));
    const correction = await api.post(`/invoices/${invoices[0].id}/corrections`, {});
    assert.equal(correction.status, 201, JSON.stringify(correction.body));
    await confirm(api, correction.body.id);

    const all = (await api.get(`/invoices?contractId=${contract.id}&limit=500`)).body.items;
    const rows = chargeableBilled(await ledger(api, `contractId=${contract.id}`));
    for (const customerId of [a, b]) {
      const confirmed = all.filter((i: any) => i.customerId === customerId && i.number);
      assert.ok(confirmed.length >= 2);
      assert.equal(
        sum(rows.filter((r) => r.customerId === customerId)),
        confirmed.reduce((s: bigint, i: any) => s + parseMoney(i.total), 0n),
        `customer ${customerId}`,
      );
    }
  });
});
