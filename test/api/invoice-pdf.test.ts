/**
 * R78 through the API: `GET /invoices/{id}/document` on the real database. The PDF's text is
 * read back with pdf.js; a confirmed invoice's bytes never change, not even after the seller
 * profile does (R76).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SellerProfile } from '../../src/domain/parties.js';
import { ADMIN_TOKEN, startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildDrafts, buildLine } from '../support/factories.js';
import { pdfPages } from '../support/invoice-document.js';
import { confirm } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const SELLER: SellerProfile = {
  legalName: 'Nordlicht Beratung GmbH',
  address: { line1: 'Hafenstraße 7', city: 'Hamburg', postalCode: '20457', country: 'DE' },
  vatId: 'DE811907980',
  companyId: null,
  email: 'rechnung@nordlicht.example',
  phone: null,
  electronicAddress: null,
  bank: { iban: 'DE89370400440532013000', bic: null, accountName: null },
  paymentInstructions: 'Bank transfer within the payment terms.',
  defaultPaymentTermsDays: 14,
  defaultTaxCodeId: null,
  invoiceFooter: 'Nordlicht Beratung GmbH · Amtsgericht Hamburg',
};

/** The PDF as raw bytes, through Fastify's inject. */
async function documentOf(id: string, token?: string) {
  const res = await api.app.inject({
    method: 'GET',
    url: `/api/v1/invoices/${id}/document`,
    headers: { authorization: `Bearer ${token ?? ADMIN_TOKEN}` },
  });
  return res;
}

/** R70: the seller profile, replaced through the API as an admin would. */
async function putSeller(profile: SellerProfile) {
  const res = await api.request('PUT', '/settings/seller', profile);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

const squeeze = (s: string) => s.replace(/\s+/g, ' ');
const textOf = async (pdf: Buffer) => squeeze((await pdfPages(pdf)).join(' '));

async function readyEntry(lineId: string, description: string, date = '2026-03-02') {
  const res = await api.post('/entries', {
    contractLineId: lineId,
    transactionClass: 'Time',
    date,
    quantity: '8',
    unitPrice: '200.00',
    resource: 'Grace Hopper',
    role: 'Engineer',
    description,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const approved = await api.post(`/entries/${res.body.id}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const ids = approved.body.actuals.map((a: any) => a.id);
  assert.equal((await api.post('/backlog/time-and-material/mark-ready', { ids })).status, 200);
}

/** A contract in EUR with a 19 % line and two described entries on a draft. */
async function draftWithTax() {
  const contract = await buildContract(api, { currency: 'EUR' });
  const code = await api.post('/tax-codes', {
    code: `VAT19-${contract.id}`,
    name: 'Standard 19',
    category: 'S',
    rate: '19',
  });
  assert.equal(code.status, 201, JSON.stringify(code.body));
  // R73: the line's code applies to its details.
  const line = await buildLine(api, contract.id, { name: 'Advisory', taxCodeId: code.body.id });
  await readyEntry(line.id, 'Quarterly architecture review');
  await readyEntry(line.id, 'Migration plan for the €-ledger', '2026-03-03');
  const [draft] = await buildDrafts(api, contract.id);
  return { contract, line, draft };
}

describe(`R78 invoice document API [${TARGET}]`, () => {
  before(async () => {
    await putSeller(SELLER);
  });

  it('R78: a draft renders as a pro forma, marked as not a valid invoice', async () => {
    const { draft } = await draftWithTax();
    const res = await documentOf(draft.id);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(String(res.headers['content-type']), /^application\/pdf/);
    const text = await textOf(res.rawPayload);
    assert.ok(text.includes('Pro forma'), text);
    assert.ok(text.includes('Not a valid invoice'));
    assert.ok(text.includes('Number assigned on confirmation'));
    assert.ok(text.includes('Nordlicht Beratung GmbH'));
    assert.ok(text.includes('Quarterly architecture review'));
  });

  it('R78: a confirmed invoice shows parties, number, dates, every description, tax and the total due', async () => {
    const { contract, draft } = await draftWithTax();
    const confirmed = await confirm(api, draft.id);
    const customer = (await api.get(`/customers/${contract.customerIds[0]}`)).body;
    const text = await textOf((await documentOf(confirmed.id)).rawPayload);
    for (const expected of [
      'Invoice',
      'Nordlicht Beratung GmbH',
      'Hafenstraße 7',
      'VAT ID DE811907980',
      customer.name,
      `Number ${confirmed.number}`,
      `Invoice date ${confirmed.invoiceDate}`,
      // R75: the seller's default of 14 days (no contract or customer terms).
      'Due date',
      '(14 days)',
      `Contract ${contract.body.name}`,
      'Advisory € 3,200.00',
      '2026-03-02 Quarterly architecture review Grace Hopper · Engineer 8 200.00 1,600.00 19% S',
      'Migration plan for the €-ledger',
      'Standard rate (S) 19% 3,200.00 608.00',
      'Subtotal € 3,200.00',
      'Tax € 608.00',
      'Total due € 3,808.00',
      'IBAN DE89 3704 0044 0532 0130 00',
      `Payment reference ${confirmed.number}`,
      'Amtsgericht Hamburg',
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `shows "${expected}"\n${text}`);
    }
    assert.ok(!text.includes('Pro forma'));
  });

  it('R76, R78: a confirmed invoice is the same bytes on every request and after a seller-profile change', async () => {
    const { draft } = await draftWithTax();
    const confirmed = await confirm(api, draft.id);
    const first = (await documentOf(confirmed.id)).rawPayload;
    const second = (await documentOf(confirmed.id)).rawPayload;
    assert.ok(first.equals(second), 'identical across requests');

    await putSeller({
      ...SELLER,
      legalName: 'Nordlicht Consulting AG',
      invoiceFooter: 'A new footer',
    });
    try {
      const third = (await documentOf(confirmed.id)).rawPayload;
      assert.ok(first.equals(third), 'identical after the seller profile changed');
      // The change is real: a draft made now shows it.
      const { draft: later } = await draftWithTax();
      const text = await textOf((await documentOf(later.id)).rawPayload);
      assert.ok(text.includes('Nordlicht Consulting AG'));
    } finally {
      await putSeller(SELLER);
    }
  });

  it('R78: an unknown invoice answers 404 problem+json', async () => {
    const res = await api.get('/invoices/987654321/document');
    assert.equal(res.status, 404);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.body.code, 'NOT_FOUND');
  });

  it('R78: every role may read the document', async () => {
    const { draft } = await draftWithTax();
    for (const role of ['viewer', 'biller', 'approver']) {
      const token = await api.post('/tokens', { name: `document-${role}`, role });
      assert.equal(token.status, 201);
      const res = await documentOf(draft.id, token.body.token);
      assert.equal(res.statusCode, 200, `${role}: ${res.body.slice(0, 200)}`);
      assert.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    }
    const anonymous = await api.app.inject({
      method: 'GET',
      url: `/api/v1/invoices/${draft.id}/document`,
    });
    assert.equal(anonymous.statusCode, 401);
  });
});
