import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildLine } from '../support/factories.js';
import {
  allDetails,
  billingStatusOf,
  confirm,
  createInvoices,
  readyActuals,
} from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

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

describe(`invoices: draft edits [${TARGET}]`, () => {
  it('R62: a changed quantity gives amount = round_half_up(originalAmount × q / Q)', async () => {
    // 33.33 % of 8 h × 100.00 = 266.64 for 2.67 h; at 1 h: 266.64 / 2.67 = 99.865… → 99.87
    // (the second customer's share; the first is the rounding customer)
    const { invoices } = await draftWith({
      percents: ['33.33', '33.33', '33.34'],
      quantity: '8',
      unitPrice: '100',
    });
    const invoice = invoices[1];
    const detail = allDetails(invoice)[0];
    assert.equal(detail.quantity, '2.67');
    assert.equal(detail.amount, '266.64');
    const res = await api.patch(`/invoices/${invoice.id}/details/${detail.id}`, { quantity: '1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const changed = allDetails(res.body)[0];
    assert.deepEqual(
      [changed.quantity, changed.amount, changed.originalQuantity, changed.originalAmount],
      ['1.00', '99.87', '2.67', '266.64'],
    );
    assert.equal(res.body.total, '99.87');
    const up = await api.patch(`/invoices/${invoice.id}/details/${detail.id}`, { quantity: '3' });
    assert.equal(allDetails(up.body)[0].amount, '299.60');
  });

  it('R62 / R61: a billing type change keeps the amount shown but out of the total', async () => {
    const { invoice, detail } = await draftWith();
    const res = await api.patch(`/invoices/${invoice.id}/details/${detail.id}`, {
      billingType: 'Complimentary',
    });
    assert.equal(res.status, 200);
    assert.equal(allDetails(res.body)[0].amount, '1600.00');
    assert.equal(allDetails(res.body)[0].billingType, 'Complimentary');
    assert.equal(res.body.lines[0].amount, '0.00');
    assert.equal(res.body.total, '0.00');
  });

  it('R32: removing a detail returns its item to ReadyToInvoice, and it can be invoiced again', async () => {
    const { contract, invoice, detail, actuals } = await draftWith();
    const res = await api.del(`/invoices/${invoice.id}/details/${detail.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.lines, []);
    assert.equal(res.body.total, '0.00');
    assert.equal(await billingStatusOf(api, actuals[0].id), 'ReadyToInvoice');
    const again = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' });
    assert.equal(allDetails(again[0])[0].sourceId, actuals[0].id);
    const audit = await api.get(`/audit-events?entityType=Actual&entityId=${actuals[0].id}`);
    assert.deepEqual(audit.body.items.map((e: any) => [e.action, e.to]).slice(-3), [
      ['createInvoice', 'CustomerInvoiceCreated'],
      ['removeFromInvoice', 'ReadyToInvoice'],
      ['createInvoice', 'CustomerInvoiceCreated'],
    ]);
  });

  it('R32: deleting a draft answers 204 and returns every item to ReadyToInvoice', async () => {
    const { invoice, actuals } = await draftWith();
    const res = await api.del(`/invoices/${invoice.id}`);
    assert.equal(res.status, 204);
    assert.equal((await api.get(`/invoices/${invoice.id}`)).status, 404);
    assert.equal(await billingStatusOf(api, actuals[0].id), 'ReadyToInvoice');
    assert.equal((await api.del(`/invoices/${invoice.id}`)).status, 404);
  });

  it('R63: a confirmed invoice cannot be edited or deleted (INVOICE_CONFIRMED), nothing changes', async () => {
    const { invoice, detail } = await draftWith();
    const confirmed = await confirm(api, invoice.id);
    for (const res of [
      await api.patch(`/invoices/${invoice.id}/details/${detail.id}`, { quantity: '1' }),
      await api.del(`/invoices/${invoice.id}/details/${detail.id}`),
      await api.del(`/invoices/${invoice.id}`),
    ]) {
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'INVOICE_CONFIRMED');
    }
    assert.deepEqual((await api.get(`/invoices/${invoice.id}`)).body, confirmed);
  });

  it('a detail of another invoice, or no detail, is 404; bad bodies are 400; nothing changes', async () => {
    const a = await draftWith();
    const b = await draftWith();
    assert.equal(
      (await api.patch(`/invoices/${a.invoice.id}/details/${b.detail.id}`, { quantity: '1' }))
        .status,
      404,
    );
    assert.equal((await api.del(`/invoices/${a.invoice.id}/details/${b.detail.id}`)).status, 404);
    assert.equal(
      (await api.patch(`/invoices/${a.invoice.id}/details/abc`, { quantity: '1' })).status,
      404,
    );
    assert.equal(
      (await api.patch(`/invoices/999999999/details/${a.detail.id}`, { quantity: '1' })).status,
      404,
    );
    for (const body of [
      {},
      { quantity: '-1' },
      { quantity: '1.001' },
      { quantity: 'x' },
      { billingType: 'Free' },
      { amount: '1' },
    ]) {
      const res = await api.patch(`/invoices/${a.invoice.id}/details/${a.detail.id}`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    const huge = await api.patch(`/invoices/${a.invoice.id}/details/${a.detail.id}`, {
      quantity: '999999999999',
    });
    assert.equal(huge.status, 422);
    assert.equal(huge.body.errors[0].field, 'quantity');
    const res = await api.patch(`/invoices/${a.invoice.id}/details/${a.detail.id}`, {
      billingStatus: 'ReadyToInvoice',
    });
    assert.equal(res.body.code, 'STATUS_READ_ONLY');
    assert.deepEqual((await api.get(`/invoices/${a.invoice.id}`)).body, a.invoice);
    assert.deepEqual((await api.get(`/invoices/${b.invoice.id}`)).body, b.invoice);
  });
});
