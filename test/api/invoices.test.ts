import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { approvedActuals, buildContract, buildLine } from '../support/factories.js';
import { allDetails, billingStatusOf, createInvoices, readyActuals } from '../support/invoicing.js';
import { activeInvoiceOfItems } from '../../src/repositories/invoices.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

describe(`invoices: create drafts [${TARGET}]`, () => {
  it('R60: one draft per contract customer with ready items dated on or before the invoice date', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    const [a1, b1] = await readyActuals(api, line.id, {
      date: '2026-03-02',
      quantity: '8',
      unitPrice: '200',
    });
    const later = await readyActuals(api, line.id, { date: '2026-03-20' });
    const notReady = await approvedActuals(api, line.id, { date: '2026-03-03' });
    const invoices = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-10',
    });
    assert.equal(invoices.length, 2);
    assert.deepEqual(
      invoices.map((i: any) => i.customerId),
      contract.customerIds,
    );
    for (const inv of invoices) {
      assert.equal(inv.status, 'Draft');
      assert.equal(inv.number, null);
      assert.equal(inv.invoiceDate, '2026-03-10');
      assert.equal(inv.currency, 'USD');
      assert.equal(inv.lines.length, 1);
      assert.equal(inv.lines[0].contractLineId, line.id);
      assert.deepEqual(inv.appliedRetainers, []);
      assert.equal(inv.retainerApplied, '0.00');
      assert.equal(inv.subtotal, '800.00');
      assert.equal(inv.total, '800.00');
    }
    assert.deepEqual(
      allDetails(invoices[0]).map((d: any) => [
        d.sourceType,
        d.sourceId,
        d.quantity,
        d.amount,
        d.billingType,
      ]),
      [['Actual', a1.id, '4.00', '800.00', 'Chargeable']],
    );
    assert.equal(allDetails(invoices[1])[0].sourceId, b1.id);
    // R32: on the draft → CustomerInvoiceCreated; the others are untouched.
    assert.equal(await billingStatusOf(api, a1.id), 'CustomerInvoiceCreated');
    assert.equal(await billingStatusOf(api, later[0].id), 'ReadyToInvoice');
    assert.equal(await billingStatusOf(api, notReady[0].id), 'UnbilledSalesCreated');
    const got = await api.get(`/invoices/${invoices[0].id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, invoices[0]);
  });

  it('R60: nothing ready answers 201 with no invoices, and is not an error', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    await approvedActuals(api, line.id);
    const res = await api.post('/invoices', { contractId: contract.id, invoiceDate: '2026-12-31' });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { invoices: [] });
  });

  it('R60: customerIds and itemIds narrow what is taken', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    const [a1, b1] = await readyActuals(api, line.id);
    const [a2, b2] = await readyActuals(api, line.id);
    const onlyB = await createInvoices(api, {
      contractId: contract.id,
      customerIds: [contract.customerIds[1]],
      invoiceDate: '2026-12-31',
    });
    assert.deepEqual(
      onlyB.map((i: any) => allDetails(i).map((d: any) => d.sourceId)),
      [[b1.id, b2.id]],
    );
    const picked = await createInvoices(api, {
      contractId: contract.id,
      itemIds: [a2.id],
      invoiceDate: '2026-12-31',
    });
    assert.deepEqual(
      picked.map((i: any) => allDetails(i).map((d: any) => d.sourceId)),
      [[a2.id]],
    );
    assert.equal(await billingStatusOf(api, a1.id), 'ReadyToInvoice');
  });

  it('R61: one line per contract line; NonChargeable details show their amount but add 0', async () => {
    const contract = await buildContract(api);
    const line1 = await buildLine(api, contract.id);
    const line2 = await buildLine(api, contract.id);
    await readyActuals(api, line1.id, { quantity: '8', unitPrice: '100', billableQuantity: '6' });
    await readyActuals(api, line2.id, { quantity: '1', unitPrice: '50' });
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' });
    assert.deepEqual(
      inv.lines.map((l: any) => [
        l.contractLineId,
        l.amount,
        l.details.map((d: any) => [d.billingType, d.amount]),
      ]),
      [
        [
          line1.id,
          '600.00',
          [
            ['Chargeable', '600.00'],
            ['NonChargeable', '200.00'],
          ],
        ],
        [line2.id, '50.00', [['Chargeable', '50.00']]],
      ],
    );
    assert.equal(inv.subtotal, '650.00');
    assert.equal(inv.total, '650.00');
  });

  it('R67: an item on a draft is not taken again, and the database refuses a second active claim', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [a] = await readyActuals(api, line.id);
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' });
    assert.deepEqual(
      await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' }),
      [],
    );
    const detail = allDetails(inv)[0];
    await assert.rejects(
      api.database.db
        .insertInto('invoice_details')
        .values({
          contract_id: contract.id,
          invoice_id: inv.id,
          source_type: 'Actual',
          source_id: a.id,
          kind: 'charge',
          contract_line_id: line.id,
          customer_id: contract.customerIds[0]!,
          transaction_class: 'Time',
          date: detail.date,
          original_quantity: '8',
          quantity: '8',
          unit_price: '200',
          original_amount: '160000',
          amount: '160000',
          billing_type: 'Chargeable',
          corrects_detail_id: null,
        })
        .execute(),
      (e: any) => e.code === '23505',
    );
  });

  it('fills invoiceId for backlog rows on an invoice (activeInvoiceOfItems)', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [a] = await readyActuals(api, line.id);
    const [b] = await readyActuals(api, line.id, { date: '2026-06-01' });
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-04-01' });
    const map = await activeInvoiceOfItems(api.database.db, 'Actual', [
      { contractId: contract.id, id: a.id },
      { contractId: contract.id, id: b.id },
    ]);
    assert.deepEqual([...map], [[a.id, inv.id]]);
  });

  it('bad input is refused with VALIDATION_FAILED and creates nothing', async () => {
    const contract = await buildContract(api);
    const other = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [a] = await readyActuals(api, line.id);
    for (const [body, status, field] of [
      [{}, 400, 'contractId'],
      [{ contractId: contract.id, invoiceDate: '2026-02-30' }, 400, 'invoiceDate'],
      [{ contractId: contract.id, customerIds: [] }, 400, 'customerIds'],
      [{ contractId: contract.id, itemIds: ['x'] }, 400, 'itemIds.0'],
      [{ contractId: contract.id, extra: 1 }, 400, 'extra'],
      [{ contractId: '999999999' }, 422, 'contractId'],
      [{ contractId: contract.id, customerIds: [other.customerIds[0]] }, 422, 'customerIds.0'],
    ] as const) {
      const res = await api.post('/invoices', body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.equal(res.body.errors[0].field, field, JSON.stringify(res.body));
    }
    const res = await api.post('/invoices', { contractId: contract.id, status: 'Confirmed' });
    assert.equal(res.body.code, 'STATUS_READ_ONLY');
    assert.equal(await billingStatusOf(api, a.id), 'ReadyToInvoice');
    const list = await api.get(`/invoices?contractId=${contract.id}`);
    assert.deepEqual(list.body.items, []);
  });

  it('a viewer may not create invoices (403)', async () => {
    const token = await api.post('/tokens', { name: 'viewer', role: 'viewer' });
    const contract = await buildContract(api);
    const res = await api.request(
      'POST',
      '/invoices',
      { contractId: contract.id },
      { authorization: `Bearer ${token.body.token}` },
    );
    assert.equal(res.status, 403);
  });

  it('Idempotency-Key: a repeated create answers the first response and creates nothing again', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id);
    const body = { contractId: contract.id, invoiceDate: '2026-12-31' };
    const first = await api.post('/invoices', body, { 'idempotency-key': `create-${contract.id}` });
    await readyActuals(api, line.id);
    const again = await api.post('/invoices', body, { 'idempotency-key': `create-${contract.id}` });
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    const list = await api.get(`/invoices?contractId=${contract.id}`);
    assert.equal(list.body.items.length, 1);
  });

  it('GET /invoices filters by status, contract and customer, with keyset pages', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id);
    const created = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-12-31',
    });
    const page1 = await api.get(`/invoices?contractId=${contract.id}&limit=1`);
    assert.equal(page1.body.items.length, 1);
    assert.ok(page1.body.nextCursor);
    const page2 = await api.get(
      `/invoices?contractId=${contract.id}&limit=1&cursor=${page1.body.nextCursor}`,
    );
    assert.deepEqual(
      [...page1.body.items, ...page2.body.items].map((i: any) => i.id),
      created.map((i: any) => i.id),
    );
    assert.equal(page2.body.nextCursor, null);
    const byCustomer = await api.get(`/invoices?customerId=${contract.customerIds[1]}`);
    assert.deepEqual(
      byCustomer.body.items.map((i: any) => i.id),
      [created[1].id],
    );
    const confirmed = await api.get(`/invoices?contractId=${contract.id}&status=Confirmed`);
    assert.deepEqual(confirmed.body.items, []);
    assert.equal((await api.get('/invoices?status=Posted')).status, 400);
    assert.equal((await api.get('/invoices?cursor=garbage')).body.code, 'VALIDATION_FAILED');
    assert.equal((await api.get('/invoices/abc')).status, 404);
    assert.equal((await api.get('/invoices/999999999')).status, 404);
  });
});
