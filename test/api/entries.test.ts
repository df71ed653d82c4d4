import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

const sum = (xs: string[]) => {
  // Exact: sum cents as bigint.
  const cents = xs.reduce((a, x) => a + BigInt(x.replace('.', '')), 0n);
  return cents;
};

describe(`entries and unbilled actuals [${TARGET}]`, () => {
  it('R10/R3: an 8 h entry at 200.00 over 33.33/33.33/33.34 gives three actuals summing to 1600.00', async () => {
    const contract = await buildContract(api, { percents: ['33.33', '33.33', '33.34'] });
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, { quantity: '8', unitPrice: '200.00' });
    assert.equal(actuals.length, 3);
    assert.equal(sum(actuals.map((a) => a.amount)), 160000n);
    assert.equal(sum(actuals.map((a) => a.quantity)), 800n);
    for (const a of actuals) {
      assert.equal(a.billingStatus, 'UnbilledSalesCreated');
      assert.equal(a.billingType, 'Chargeable');
      assert.equal(a.currency, 'USD');
      assert.equal(a.nteStatus, 'NotApplicable');
      assert.match(a.amount, /^\d+\.\d{2}$/);
    }
    const byCustomer = Object.fromEntries(actuals.map((a) => [a.customerId, a.amount]));
    assert.equal(byCustomer[contract.customerIds[1]!], '533.28');
    assert.equal(byCustomer[contract.customerIds[2]!], '533.44');
    assert.equal(byCustomer[contract.customerIds[0]!], '533.28');
  });

  it('R11: a billable quantity below the submitted one splits into chargeable and non-chargeable', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, {
      quantity: '8',
      unitPrice: '100.00',
      billableQuantity: '6',
    });
    const chargeable = actuals.filter((a) => a.billingType === 'Chargeable');
    const nonChargeable = actuals.filter((a) => a.billingType === 'NonChargeable');
    assert.deepEqual(
      chargeable.map((a) => [a.quantity, a.amount]),
      [['6.00', '600.00']],
    );
    assert.deepEqual(
      nonChargeable.map((a) => [a.quantity, a.amount]),
      [['2.00', '200.00']],
    );
  });

  it('R11: a billable quantity above the submitted one gives one chargeable actual at the higher quantity', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, {
      quantity: '8',
      unitPrice: '100.00',
      billableQuantity: '10',
    });
    assert.deepEqual(
      actuals.map((a) => [a.billingType, a.quantity, a.amount]),
      [['Chargeable', '10.00', '1000.00']],
    );
  });

  it('R10: approving an entry on a fixed-price line creates no sales actual', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, {
      billingMethod: 'FixedPrice',
      contractedAmount: '5000.00',
    });
    const actuals = await approvedActuals(api, line.id);
    assert.deepEqual(actuals, []);
    const ledger = await api.get(`/actuals?contractId=${contract.id}`);
    assert.equal(ledger.body.items.length, 0);
  });

  it('R13: cancelling an approval writes reversals and leaves nothing open', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id, { quantity: '3', unitPrice: '99.99' });
    const approved = await api.post(`/entries/${entryId}/approve`, {});
    assert.equal(approved.status, 200);
    const cancelled = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'Submitted');
    const ledger = await api.get(`/actuals?contractId=${contract.id}`);
    const rows = ledger.body.items;
    assert.equal(rows.length, 4);
    const reversals = rows.filter((r: any) => r.reversesId);
    assert.equal(reversals.length, 2);
    for (const r of reversals) {
      const original = rows.find((o: any) => o.id === r.reversesId);
      assert.equal(r.amount, `-${original.amount}`);
      assert.equal(r.quantity, `-${original.quantity}`);
    }
    assert.equal(sum(rows.map((r: any) => r.amount)), 0n, 'the ledger nets to zero');
    // A second cancel is an invalid transition and writes nothing.
    const again = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'INVALID_TRANSITION');
    assert.equal((await api.get(`/actuals?contractId=${contract.id}`)).body.items.length, 4);
  });

  it('R12: an entry of a class the line does not include is rejected', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { transactionClasses: ['Time'] });
    const res = await api.post('/entries', {
      contractLineId: line.id,
      transactionClass: 'Expense',
      date: '2026-03-01',
      quantity: '1',
      unitPrice: '10',
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.equal(res.body.errors[0].field, 'transactionClass');
  });

  it('R14: approving an entry twice is refused and creates nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    assert.equal((await api.post(`/entries/${entryId}/approve`, {})).status, 200);
    const again = await api.post(`/entries/${entryId}/approve`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'INVALID_TRANSITION');
    assert.equal((await api.get(`/actuals?contractId=${contract.id}`)).body.items.length, 1);
  });

  it('bulk approve answers per id in order, unknown ids NOT_FOUND', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const a = await submitEntry(api, line.id);
    const b = await submitEntry(api, line.id);
    const res = await api.post('/entries/approve', { ids: [b, 'nope', a, b] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [b, true, 'Approved'],
        ['nope', false, 'NOT_FOUND'],
        [a, true, 'Approved'],
        [b, false, 'INVALID_TRANSITION'],
      ],
    );
  });

  it('JPY amounts have no decimals and KWD three', async () => {
    const jpy = await buildContract(api, { currency: 'JPY' });
    const jpyLine = await buildLine(api, jpy.id);
    const [j] = await approvedActuals(api, jpyLine.id, { quantity: '1.5', unitPrice: '333' });
    assert.equal(j.amount, '500');
    const kwd = await buildContract(api, { currency: 'KWD' });
    const kwdLine = await buildLine(api, kwd.id);
    const [k] = await approvedActuals(api, kwdLine.id, { quantity: '2', unitPrice: '1.2345' });
    assert.equal(k.amount, '2.469');
  });
});
