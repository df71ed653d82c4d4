import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import {
  approvedActuals,
  buildContract,
  buildDrafts,
  buildFixedPriceLine,
  buildLine,
  buildMilestone,
  buildRetainer,
} from '../support/factories.js';
import { allDetails, billingStatusOf, confirm, readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const shape = (r: any) => [r.id, r.ok, r.code ?? r.status];

describe(`adding ready items to a draft (R69) [${TARGET}]`, () => {
  it('R69: ready items of the contract and customer join the draft; each id is answered in its place', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const fp = await buildFixedPriceLine(api, contract.id);
    await readyActuals(api, line.id, { quantity: '1' });
    const [draft] = await buildDrafts(api, contract.id, { invoiceDate: '2026-06-30' });
    const [later] = await readyActuals(api, line.id, { quantity: '2', date: '2026-06-01' });
    const m = await buildMilestone(api, fp.id, { date: '2026-06-30', ready: true });
    const [notReady] = await approvedActuals(api, line.id, { quantity: '3' });
    const [tooLate] = await readyActuals(api, line.id, { date: '2026-07-01' });

    const ids = [later.id, m.splits[0].id, notReady.id, tooLate.id, 'nope', later.id];
    const res = await api.post(`/invoices/${draft.id}/items`, { itemIds: ids });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.results.map(shape), [
      [later.id, true, 'CustomerInvoiceCreated'],
      [m.splits[0].id, true, 'CustomerInvoiceCreated'],
      [notReady.id, false, 'INVALID_TRANSITION'],
      [tooLate.id, false, 'INVALID_TRANSITION'],
      ['nope', false, 'NOT_FOUND'],
      [later.id, true, 'CustomerInvoiceCreated'],
    ]);
    assert.match(res.body.results[3].message, /after the invoice date/);
    assert.equal(res.body.invoice.id, draft.id);
    assert.deepEqual(
      allDetails(res.body.invoice)
        .map((d: any) => d.sourceId)
        .sort(),
      [allDetails(draft)[0].sourceId, later.id, m.splits[0].id].sort(),
    );
    assert.equal(await billingStatusOf(api, later.id), 'CustomerInvoiceCreated');
    assert.equal(await billingStatusOf(api, tooLate.id), 'ReadyToInvoice');
    const audit = await api.get(`/audit-events?entityId=${later.id}&entityType=Actual`);
    assert.ok(audit.body.items.some((e: any) => e.action === 'addToInvoice'));
  });

  it('R69: items of another contract or another customer fail with INVALID_TRANSITION and change nothing', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    const actuals = await readyActuals(api, line.id, { quantity: '2' });
    const drafts = await buildDrafts(api, contract.id, { customerIds: [contract.customerIds[0]] });
    const other = await buildContract(api);
    const [foreign] = await readyActuals(api, (await buildLine(api, other.id)).id);
    const mineB = actuals.find((a) => a.customerId === contract.customerIds[1]);

    const res = await api.post(`/invoices/${drafts[0].id}/items`, {
      itemIds: [foreign.id, mineB.id],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.results.map(shape), [
      [foreign.id, false, 'INVALID_TRANSITION'],
      [mineB.id, false, 'INVALID_TRANSITION'],
    ]);
    assert.match(res.body.results[0].message, /contract/);
    assert.match(res.body.results[1].message, /customer/);
    assert.equal(await billingStatusOf(api, foreign.id), 'ReadyToInvoice');
    assert.equal(await billingStatusOf(api, mineB.id), 'ReadyToInvoice');
  });

  it('R69 / R52: adding work re-applies available retainers over the new total', async () => {
    const contract = await buildContract(api);
    const [customerId] = contract.customerIds as [string];
    await buildRetainer(api, contract.id, customerId, { amount: '1000.00', ready: true });
    await confirm(api, (await buildDrafts(api, contract.id))[0].id);
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id, { quantity: '1', unitPrice: '300.00' });
    const [draft] = await buildDrafts(api, contract.id);
    assert.equal(draft.retainerApplied, '300.00');
    const [more] = await readyActuals(api, line.id, { quantity: '2', unitPrice: '300.00' });
    const res = await api.post(`/invoices/${draft.id}/items`, { itemIds: [more.id] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.invoice.subtotal, res.body.invoice.retainerApplied, res.body.invoice.total],
      ['900.00', '900.00', '0.00'],
    );
  });

  it('R69: bad input answers problem+json and changes nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id);
    const [draft] = await buildDrafts(api, contract.id);
    for (const body of [{}, { itemIds: [] }, { itemIds: 'x' }, { itemIds: [1] }, { ids: ['1'] }]) {
      const res = await api.post(`/invoices/${draft.id}/items`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(res.body.errors.length > 0);
    }
    const unknown = await api.post('/invoices/99999999/items', { itemIds: ['1'] });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'NOT_FOUND');
    const confirmed = await confirm(api, draft.id);
    const late = await api.post(`/invoices/${confirmed.id}/items`, { itemIds: ['1'] });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'INVOICE_CONFIRMED');
  });
});
