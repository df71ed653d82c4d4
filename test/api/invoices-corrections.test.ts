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

/** A confirmed invoice of 8 h × 200.00 for one customer. */
async function confirmedInvoice() {
  const contract = await buildContract(api);
  const line = await buildLine(api, contract.id);
  const actuals = await readyActuals(api, line.id, { quantity: '8', unitPrice: '200' });
  const [draft] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' });
  const invoice = await confirm(api, draft.id);
  return { contract, line, actuals, invoice, detail: allDetails(invoice)[0] };
}

describe(`invoices: corrections [${TARGET}]`, () => {
  it('R65: crediting 2 h of a 200.00/h detail gives a corrective draft with total -400.00', async () => {
    const { invoice, detail } = await confirmedInvoice();
    const res = await api.post(`/invoices/${invoice.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '6' }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'Draft');
    assert.equal(res.body.correctsInvoiceId, invoice.id);
    assert.equal(res.body.customerId, invoice.customerId);
    const [credit] = allDetails(res.body);
    assert.deepEqual(
      [credit.kind, credit.sourceId, credit.correctsDetailId, credit.quantity, credit.amount],
      ['credit', detail.sourceId, detail.id, '-2.00', '-400.00'],
    );
    assert.equal(res.body.total, '-400.00');
  });

  it('R65: confirming the correction returns the credited quantity as new Chargeable unbilled actuals', async () => {
    const { contract, invoice, detail, actuals } = await confirmedInvoice();
    const draft = await api.post(`/invoices/${invoice.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '6' }],
    });
    const corrective = await confirm(api, draft.body.id);
    assert.match(corrective.number, /^INV-\d{6}$/);
    const rows = await ledger(api, `contractId=${contract.id}`);
    const billed = rows
      .filter((r: any) => r.type === 'BilledSales')
      .map((r: any) => [r.invoiceId, r.quantity, r.amount, r.billingType]);
    assert.deepEqual(billed, [
      [invoice.id, '8.00', '1600.00', 'Chargeable'],
      [corrective.id, '-2.00', '-400.00', 'Chargeable'],
    ]);
    const returned = rows.filter(
      (r: any) => r.type === 'UnbilledSales' && !r.reversesId && r.id !== actuals[0].id,
    );
    assert.equal(returned.length, 1);
    assert.deepEqual(
      [returned[0].quantity, returned[0].amount, returned[0].billingType],
      ['2.00', '400.00', 'Chargeable'],
    );
    assert.equal(await billingStatusOf(api, returned[0].id), 'UnbilledSalesCreated');
    assert.equal(await billingStatusOf(api, actuals[0].id), 'CustomerInvoicePosted');
    // R67: the original claim is released by its correction.
    const claim = await api.database.db
      .selectFrom('invoice_details')
      .select('active')
      .where('id', '=', detail.id)
      .executeTakeFirstOrThrow();
    assert.equal(claim.active, false);
    // The returned work is a backlog item like any other: it can be invoiced again.
    await api.post('/backlog/time-and-material/mark-ready', { ids: [returned[0].id] });
    const [again] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-12-31',
    });
    assert.equal(allDetails(again)[0].sourceId, returned[0].id);
    assert.equal(again.total, '400.00');
  });

  it('R65: no details named = full credit of every chargeable detail; a second correction credits the rest', async () => {
    const { invoice, detail } = await confirmedInvoice();
    const partial = await api.post(`/invoices/${invoice.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '5' }],
    });
    // only one open correction per invoice at a time
    const blocked = await api.post(`/invoices/${invoice.id}/corrections`, {});
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.code, 'CONFLICT');
    await confirm(api, partial.body.id);
    const rest = await api.post(`/invoices/${invoice.id}/corrections`);
    assert.equal(rest.status, 201, JSON.stringify(rest.body));
    assert.deepEqual(
      allDetails(rest.body).map((d: any) => [d.quantity, d.amount]),
      [['-5.00', '-1000.00']],
    );
    await confirm(api, rest.body.id);
    const none = await api.post(`/invoices/${invoice.id}/corrections`, {});
    assert.equal(none.status, 422);
    assert.equal(none.body.code, 'VALIDATION_FAILED');
  });

  it('R65: a corrective draft can be deleted; the ledger is untouched until it is confirmed', async () => {
    const { contract, invoice } = await confirmedInvoice();
    const before = await ledger(api, `contractId=${contract.id}`);
    const draft = await api.post(`/invoices/${invoice.id}/corrections`, {});
    assert.equal(draft.body.total, '-1600.00');
    assert.deepEqual(await ledger(api, `contractId=${contract.id}`), before);
    assert.equal((await api.del(`/invoices/${draft.body.id}`)).status, 204);
    assert.equal((await api.post(`/invoices/${invoice.id}/corrections`, {})).status, 201);
  });

  it('R65: only a confirmed original can be corrected; bad input changes nothing', async () => {
    const { contract, invoice, detail } = await confirmedInvoice();
    const other = await confirmedInvoice();
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id);
    const [draft] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-12-31',
    });
    const onDraft = await api.post(`/invoices/${draft.id}/corrections`, {});
    assert.equal(onDraft.status, 409);
    assert.equal(onDraft.body.code, 'INVALID_TRANSITION');
    for (const [body, status, field] of [
      [{ details: [{ detailId: other.detail.id, quantity: '0' }] }, 422, 'details.0.detailId'],
      [{ details: [{ detailId: detail.id, quantity: '9' }] }, 422, 'details.0.quantity'],
      [{ details: [{ detailId: detail.id, quantity: '8' }] }, 422, 'details.0.quantity'],
      [{ details: [{ detailId: detail.id }, { detailId: detail.id }] }, 422, 'details.1.detailId'],
      [{ details: [{ detailId: detail.id, quantity: '-1' }] }, 400, 'details.0.quantity'],
      [{ details: [] }, 400, 'details'],
      [{ lines: [] }, 400, 'lines'],
    ] as const) {
      const res = await api.post(`/invoices/${invoice.id}/corrections`, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.equal(res.body.errors[0].field, field, JSON.stringify(res.body));
    }
    assert.equal((await api.post('/invoices/999999999/corrections', {})).status, 404);
    const list = await api.get(`/invoices?contractId=${contract.id}`);
    assert.equal(list.body.items.length, 2, 'the original and the unrelated draft only');
    const corrective = await confirm(
      api,
      (await api.post(`/invoices/${invoice.id}/corrections`, {})).body.id,
    );
    const again = await api.post(`/invoices/${corrective.id}/corrections`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'INVALID_TRANSITION');
  });

  it('ledger: chargeable approved = unbilled backlog + billed − credited', async () => {
    const { contract, invoice, detail } = await confirmedInvoice();
    const draft = await api.post(`/invoices/${invoice.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '3' }],
    });
    await confirm(api, draft.body.id);
    const rows = await ledger(api, `contractId=${contract.id}`);
    const cents = (r: any) => BigInt(r.amount.replace('.', ''));
    const approved = rows.filter(
      (r: any) => r.type === 'UnbilledSales' && r.entryId && !r.reversesId,
    );
    const openUnbilled = rows
      .filter((r: any) => r.type === 'UnbilledSales')
      .reduce((s: bigint, r: any) => s + cents(r), 0n);
    const billed = rows
      .filter((r: any) => r.type === 'BilledSales' && cents(r) > 0n)
      .reduce((s: bigint, r: any) => s + cents(r), 0n);
    const credited = -rows
      .filter((r: any) => r.type === 'BilledSales' && cents(r) < 0n)
      .reduce((s: bigint, r: any) => s + cents(r), 0n);
    const chargeableApproved = 160000n;
    assert.equal(openUnbilled, 100000n, 'the 5 h credited are back in the backlog');
    assert.equal(chargeableApproved, openUnbilled + billed - credited);
    assert.ok(approved.length >= 1);
  });
});
