/**
 * R75–R77 through the API: terms and references taken when the draft is made and edited on
 * it, data frozen at confirmation, and the work detail from entry to invoice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import {
  buildContract,
  buildCustomer,
  buildDrafts,
  buildLine,
  buildRetainer,
} from '../support/factories.js';
import { allDetails, confirm, readyActuals } from '../support/invoicing.js';
import { loadInvoiceDocument } from '../../src/views/invoice-document.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const ADDRESS = { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

async function putSeller(extra: Record<string, unknown> = {}) {
  const res = await api.request('PUT', '/settings/seller', {
    legalName: 'Seller GmbH',
    address: ADDRESS,
    vatId: 'DE123456789',
    bank: { iban: 'DE89370400440532013000' },
    ...extra,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function contractWith(
  body: Record<string, unknown>,
): Promise<{ id: string; customerId: string }> {
  const customerId = await buildCustomer(api);
  const res = await api.post('/contracts', {
    name: `Terms ${TARGET} ${Math.random()}`,
    currency: 'EUR',
    customers: [{ customerId }],
    ...body,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, customerId };
}

async function oneDraft(contractId: string, invoiceDate = '2026-03-31') {
  const line = await buildLine(api, contractId);
  await readyActuals(api, line.id, { date: '2026-03-10' });
  const [draft] = await buildDrafts(api, contractId, { invoiceDate });
  assert.ok(draft);
  return draft;
}

describe(`terms and references (R75) [${TARGET}]`, () => {
  it('R75: the contract’s terms and references, shown on the contract and taken by the draft', async () => {
    const c = await contractWith({
      purchaseOrder: 'PO-4711',
      buyerReference: 'DEPT-9',
      paymentTermsDays: 14,
    });
    const got = await api.get(`/contracts/${c.id}`);
    assert.equal(got.body.purchaseOrder, 'PO-4711');
    assert.equal(got.body.buyerReference, 'DEPT-9');
    assert.equal(got.body.paymentTermsDays, 14);
    const draft = await oneDraft(c.id);
    assert.equal(draft.dueDate, '2026-04-14');
    assert.equal(draft.purchaseOrder, 'PO-4711');
    assert.equal(draft.buyerReference, 'DEPT-9');
    assert.equal(draft.note, null);
  });

  it('R75: else the customer’s terms and buyer reference, else the seller’s default; 0 = due on receipt', async () => {
    const c = await contractWith({});
    await api.patch(`/customers/${c.customerId}`, {
      paymentTermsDays: 0,
      buyerReference: 'CUST-REF',
    });
    const draft = await oneDraft(c.id);
    assert.equal(draft.dueDate, '2026-03-31');
    assert.equal(draft.buyerReference, 'CUST-REF');
    assert.equal(draft.purchaseOrder, null);

    await putSeller({ defaultPaymentTermsDays: 10 });
    try {
      const d = await contractWith({});
      const second = await oneDraft(d.id);
      assert.equal(second.dueDate, '2026-04-10');
    } finally {
      await putSeller();
    }
  });

  it('R75: PATCH /invoices/{id} edits date and references on a draft; the due date follows', async () => {
    const c = await contractWith({ paymentTermsDays: 20 });
    const draft = await oneDraft(c.id);
    const res = await api.patch(`/invoices/${draft.id}`, {
      invoiceDate: '2026-04-30',
      purchaseOrder: 'PO-NEW',
      buyerReference: 'REF-NEW',
      note: 'Thank you for your business.',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.invoiceDate, '2026-04-30');
    assert.equal(res.body.dueDate, '2026-05-20');
    assert.equal(res.body.purchaseOrder, 'PO-NEW');
    assert.equal(res.body.buyerReference, 'REF-NEW');
    assert.equal(res.body.note, 'Thank you for your business.');
    const cleared = await api.patch(`/invoices/${draft.id}`, { note: null });
    assert.equal(cleared.body.note, null);
    assert.equal(cleared.body.purchaseOrder, 'PO-NEW');
  });

  it('R75: an invoice date before a detail’s date is refused naming invoiceDate; nothing changes', async () => {
    const c = await contractWith({});
    const draft = await oneDraft(c.id);
    const res = await api.patch(`/invoices/${draft.id}`, {
      invoiceDate: '2026-03-09',
      note: 'should not stay',
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.ok(res.body.errors.some((e: any) => e.field === 'invoiceDate'));
    const same = await api.get(`/invoices/${draft.id}`);
    assert.deepEqual(same.body, draft);
    // The detail's own date is allowed.
    const ok = await api.patch(`/invoices/${draft.id}`, { invoiceDate: '2026-03-10' });
    assert.equal(ok.status, 200);
  });

  it('R75: bad bodies are 400 naming the field; a confirmed invoice is 409 INVOICE_CONFIRMED', async () => {
    const c = await contractWith({});
    const draft = await oneDraft(c.id);
    const bad = await api.patch(`/invoices/${draft.id}`, { invoiceDate: '2026-02-30' });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.errors.some((e: any) => e.field === 'invoiceDate'));
    const status = await api.patch(`/invoices/${draft.id}`, { status: 'Confirmed' });
    assert.equal(status.status, 400);
    assert.equal(status.body.code, 'STATUS_READ_ONLY');
    await confirm(api, draft.id);
    const late = await api.patch(`/invoices/${draft.id}`, { note: 'too late' });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'INVOICE_CONFIRMED');
    const missing = await api.patch('/invoices/999999', { note: 'x' });
    assert.equal(missing.status, 404);
  });

  it('R75: a contract refuses bad terms naming the field', async () => {
    const customerId = await buildCustomer(api);
    const res = await api.post('/contracts', {
      name: 'bad terms',
      currency: 'EUR',
      customers: [{ customerId }],
      paymentTermsDays: -3,
    });
    assert.equal(res.status, 400);
    assert.ok(res.body.errors.some((e: any) => e.field === 'paymentTermsDays'));
  });
});

describe(`frozen at confirmation (R76) [${TARGET}]`, () => {
  it('R76: seller, buyer, tax and terms are frozen; later changes leave the invoice and its document alone', async () => {
    await putSeller();
    const code = await api.post('/tax-codes', {
      code: `S19-frozen-${TARGET}`,
      name: 'Standard',
      category: 'S',
      rate: '19',
    });
    const c = await contractWith({ paymentTermsDays: 30, purchaseOrder: 'PO-1' });
    await api.patch(`/customers/${c.customerId}`, {
      legalName: 'Buyer Ltd',
      address: { line1: '1 High St', city: 'Dublin', postalCode: 'D01', country: 'IE' },
      vatId: 'IE1234567T',
    });
    const line = await buildLine(api, c.id, { taxCodeId: code.body.id });
    await readyActuals(api, line.id, { quantity: '1', unitPrice: '1000' });
    const [draft] = await buildDrafts(api, c.id, { invoiceDate: '2026-03-31' });
    const confirmed = await confirm(api, draft.id);
    assert.equal(confirmed.seller.legalName, 'Seller GmbH');
    assert.equal(confirmed.seller.bank.iban, 'DE89370400440532013000');
    assert.equal(confirmed.buyer.legalName, 'Buyer Ltd');
    assert.equal(confirmed.buyer.address.country, 'IE');
    const before = await api.get(`/invoices/${confirmed.id}`);
    const docBefore = await loadInvoiceDocument(api.database.db, confirmed.id);

    await putSeller({ legalName: 'Renamed Seller AG', bank: null, defaultPaymentTermsDays: 5 });
    await api.patch(`/customers/${c.customerId}`, { legalName: 'Renamed Buyer', vatId: null });
    await api.patch(`/tax-codes/${code.body.id}`, { code: `S19-renamed-${TARGET}` });

    const afterRes = await api.get(`/invoices/${confirmed.id}`);
    assert.deepEqual(afterRes.body, before.body);
    assert.equal(afterRes.body.seller.legalName, 'Seller GmbH');
    assert.equal(allDetails(afterRes.body)[0].taxCode, `S19-frozen-${TARGET}`);
    assert.equal(afterRes.body.dueDate, '2026-04-30');
    assert.deepEqual(await loadInvoiceDocument(api.database.db, confirmed.id), docBefore);
    // A draft reads the profiles as they are now.
    const other = await oneDraft(c.id, '2026-12-31');
    const doc = await loadInvoiceDocument(api.database.db, other.id);
    assert.equal(doc?.seller.legalName, 'Renamed Seller AG');
    assert.equal(doc?.buyer.legalName, 'Renamed Buyer');
    assert.equal(doc?.kind, 'ProForma');
    await putSeller();
  });

  it('R76, R64: bulk confirm freezes the parties too; a draft shows none', async () => {
    await putSeller();
    const c = await contractWith({});
    const draft = await oneDraft(c.id);
    assert.equal(draft.seller, undefined);
    const res = await api.post('/invoices/confirm', { ids: [draft.id] });
    assert.equal(res.status, 200);
    assert.ok(res.body.results[0].ok);
    const got = await api.get(`/invoices/${draft.id}`);
    assert.equal(got.body.seller.legalName, 'Seller GmbH');
    assert.equal(got.body.buyer.legalName, (await api.get(`/customers/${c.customerId}`)).body.name);
  });

  it('R76, R65: a credit note freezes its own parties and names the invoice it corrects', async () => {
    await putSeller();
    const c = await contractWith({});
    const draft = await oneDraft(c.id);
    const original = await confirm(api, draft.id);
    const corr = await api.post(`/invoices/${original.id}/corrections`, {});
    assert.equal(corr.status, 201);
    const credit = await confirm(api, corr.body.id);
    assert.equal(credit.seller.legalName, 'Seller GmbH');
    const doc = await loadInvoiceDocument(api.database.db, credit.id);
    assert.equal(doc?.kind, 'CreditNote');
    assert.equal(doc?.correctsNumber, original.number);
    assert.equal(doc?.correctsInvoiceDate, original.invoiceDate);
    assert.equal(doc?.total, -BigInt(Math.round(Number(original.total) * 100)));
  });
});

describe(`work detail (R77) [${TARGET}]`, () => {
  it('R77: resource, role, category, description travel from entry to T&M row to invoice detail', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entry = await api.post('/entries', {
      contractLineId: line.id,
      transactionClass: 'Expense',
      date: '2026-03-02',
      quantity: '1',
      unitPrice: '250',
      resource: 'Grace Hopper',
      role: 'Engineer',
      category: 'Travel',
      description: 'Flight to the customer',
    });
    assert.equal(entry.status, 201);
    const approved = await api.post(`/entries/${entry.body.id}/approve`, {});
    assert.equal(approved.body.actuals[0].description, 'Flight to the customer');
    const rows = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
    assert.equal(rows.status, 200);
    const row = rows.body.items[0];
    assert.deepEqual(
      [row.resource, row.role, row.category, row.description],
      ['Grace Hopper', 'Engineer', 'Travel', 'Flight to the customer'],
    );
    await api.post('/backlog/time-and-material/mark-ready', { ids: [row.id] });
    const [draft] = await buildDrafts(api, contract.id);
    const detail = allDetails(draft)[0];
    assert.deepEqual(
      [detail.resource, detail.role, detail.category, detail.description],
      ['Grace Hopper', 'Engineer', 'Travel', 'Flight to the customer'],
    );
    // Still there once posted, and on the returned actual of a correction.
    const confirmed = await confirm(api, draft.id);
    assert.equal(allDetails(confirmed)[0].description, 'Flight to the customer');
    const corr = await api.post(`/invoices/${confirmed.id}/corrections`, {});
    assert.equal(allDetails(corr.body)[0].description, 'Flight to the customer');
    await confirm(api, corr.body.id);
    const back = await api.get(
      `/backlog/time-and-material?contractId=${contract.id}&billingStatus=UnbilledSalesCreated`,
    );
    assert.equal(back.body.items[0].resource, 'Grace Hopper');
  });

  it('R77: a row without work detail leaves the fields out', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id);
    const rows = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
    assert.equal(rows.body.items[0].description, undefined);
  });

  it('R77: a retainer detail carries its description, else its kind', async () => {
    const contract = await buildContract(api);
    const customer = contract.customerIds[0]!;
    await buildRetainer(api, contract.id, customer, {
      ready: true,
      description: 'Q1 retainer',
      date: '2026-01-01',
    });
    await buildRetainer(api, contract.id, customer, {
      ready: true,
      kind: 'Advance',
      date: '2026-01-02',
    });
    const [draft] = await buildDrafts(api, contract.id);
    assert.deepEqual(
      allDetails(draft).map((d: any) => d.description),
      ['Q1 retainer', 'Advance'],
    );
  });
});
