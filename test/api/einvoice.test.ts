/**
 * R80–R82 through the API: a confirmed invoice's e-invoice in both syntaxes, and each R81
 * refusal (422 EINVOICE_INCOMPLETE naming the field, its business term and rule), a draft
 * (409), an unknown invoice (404) and a bad query (400).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { SellerProfile } from '../../src/domain/parties.js';
import { updateCustomer } from '../../src/repositories/customers.js';
import { saveSellerProfile } from '../../src/repositories/seller-profile.js';
import { ADMIN_TOKEN, startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildDrafts, buildLine, submitEntry } from '../support/factories.js';
import { confirm } from '../support/invoicing.js';

let api: TestApi;
let s19: string;
before(async () => {
  api = await startApi();
  const code = await api.post('/tax-codes', {
    code: 'S19',
    name: 'Standard',
    category: 'S',
    rate: '19',
  });
  assert.equal(code.status, 201, JSON.stringify(code.body));
  s19 = code.body.id;
});
after(async () => {
  await api.close();
});

const SELLER: SellerProfile = {
  legalName: 'Muster Consulting GmbH',
  address: { line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  vatId: 'DE123456789',
  companyId: 'HRB 12345',
  email: 'billing@muster.example',
  phone: null,
  electronicAddress: { scheme: '9930', value: 'DE123456789' },
  bank: { iban: 'DE89370400440532013000', bic: null, accountName: null },
  paymentInstructions: null,
  defaultPaymentTermsDays: 30,
  defaultTaxCodeId: null,
  invoiceFooter: null,
};

const BUYER_ADDRESS = {
  line1: 'Rue de la Loi 16',
  city: 'Bruxelles',
  postalCode: '1000',
  country: 'BE',
};

interface Setup {
  seller?: Partial<SellerProfile>;
  currency?: string;
  /** The line's tax code; null: none. */
  taxCodeId?: string | null;
  buyer?: Parameters<typeof updateCustomer>[2];
  confirmed?: boolean;
}

/** One 8 h × 200.00 entry invoiced to a customer with a billing profile (R70, R71, R76). */
async function invoice(setup: Setup = {}): Promise<{ id: string; number: string | null }> {
  const db = api.database.db;
  // The seller profile is frozen at confirmation (R76): set it before confirming.
  await saveSellerProfile(db, { ...SELLER, ...setup.seller });
  const contract = await buildContract(api, { currency: setup.currency ?? 'EUR' });
  await updateCustomer(db, contract.customerIds[0]!, {
    legalName: 'Client SA',
    address: BUYER_ADDRESS,
    vatId: 'BE0123456749',
    electronicAddress: { scheme: '0208', value: '0123456749' },
    buyerReference: 'REF-1',
    ...setup.buyer,
  });
  const line = await buildLine(api, contract.id);
  const taxCodeId = setup.taxCodeId === undefined ? s19 : setup.taxCodeId;
  if (taxCodeId) {
    await db
      .updateTable('contract_lines')
      .set({ tax_code_id: taxCodeId })
      .where('id', '=', line.id)
      .execute();
  }
  const entryId = await submitEntry(api, line.id);
  const approved = await api.post(`/entries/${entryId}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const ready = await api.post('/backlog/time-and-material/mark-ready', {
    ids: approved.body.actuals.map((a: { id: string }) => a.id),
  });
  assert.equal(ready.status, 200);
  const [draft] = await buildDrafts(api, contract.id);
  assert.ok(draft);
  if (setup.confirmed === false) return { id: draft.id, number: null };
  const confirmed = await confirm(api, draft.id);
  return { id: confirmed.id, number: confirmed.number };
}

async function einvoice(id: string, query = '') {
  const res = await api.app.inject({
    method: 'GET',
    url: `/api/v1/invoices/${id}/einvoice${query}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const json = res.headers['content-type']?.toString().includes('json');
  return {
    status: res.statusCode,
    headers: res.headers,
    text: res.body,
    body: json ? JSON.parse(res.body) : undefined,
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
});
const text = (n: any): string => (typeof n === 'object' ? n['#text'] : n);

function assertIncomplete(
  res: Awaited<ReturnType<typeof einvoice>>,
  error: { field: string; message: RegExp },
) {
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.code, 'EINVOICE_INCOMPLETE');
  assert.match(res.headers['content-type']!.toString(), /application\/problem\+json/);
  const found = res.body.errors.find((e: { field: string }) => e.field === error.field);
  assert.ok(found, `errors name ${error.field}: ${JSON.stringify(res.body.errors)}`);
  assert.match(found.message, error.message);
}

describe(`e-invoice API [${TARGET}]`, () => {
  it('R80, R82: a confirmed invoice answers UBL 2.1 by default, with its amounts and tax', async () => {
    const inv = await invoice();
    const res = await einvoice(inv.id);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers['content-type']!.toString(), /^application\/xml/);
    const doc = parser.parse(res.text).Invoice;
    assert.equal(doc['cbc:ID'], inv.number);
    assert.equal(doc['cbc:InvoiceTypeCode'], '380');
    assert.equal(doc['cbc:CustomizationID'], 'urn:cen.eu:en16931:2017');
    assert.equal(doc['cbc:BuyerReference'], 'REF-1');
    assert.equal(
      doc['cac:AccountingCustomerParty']['cac:Party']['cac:PartyLegalEntity'][
        'cbc:RegistrationName'
      ],
      'Client SA',
    );
    const line = doc['cac:InvoiceLine'];
    assert.equal(text(line['cbc:InvoicedQuantity']), '8.00');
    assert.equal(line['cbc:InvoicedQuantity']['@unitCode'], 'HUR');
    assert.equal(text(line['cbc:LineExtensionAmount']), '1600.00');
    assert.equal(text(doc['cac:TaxTotal']['cbc:TaxAmount']), '304.00');
    assert.equal(text(doc['cac:LegalMonetaryTotal']['cbc:PayableAmount']), '1904.00');
    assert.equal(
      doc['cac:PaymentMeans']['cac:PayeeFinancialAccount']['cbc:ID'],
      'DE89370400440532013000',
    );
  });

  it('R80: syntax=cii answers a CrossIndustryInvoice; profile=peppol adds the Peppol ids', async () => {
    const inv = await invoice();
    const res = await einvoice(inv.id, '?syntax=cii&profile=peppol');
    assert.equal(res.status, 200, res.text);
    const cii = parser.parse(res.text)['rsm:CrossIndustryInvoice'];
    assert.equal(cii['rsm:ExchangedDocument']['ram:ID'], inv.number);
    assert.equal(
      cii['rsm:ExchangedDocumentContext']['ram:BusinessProcessSpecifiedDocumentContextParameter'][
        'ram:ID'
      ],
      'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
    );
    const sum =
      cii['rsm:SupplyChainTradeTransaction']['ram:ApplicableHeaderTradeSettlement'][
        'ram:SpecifiedTradeSettlementHeaderMonetarySummation'
      ];
    assert.equal(sum['ram:DuePayableAmount'], '1904.00');
  });

  it('R81: a missing seller VAT id under category S is 422 naming BT-31 and BR-S-02', async () => {
    const inv = await invoice({ seller: { vatId: null } });
    assertIncomplete(await einvoice(inv.id), {
      field: 'seller.vatId',
      message: /^BT-31 is required for VAT category S \(BR-S-02\)$/,
    });
  });

  it('R81: a missing buyer country is 422 naming BT-55 (BR-11)', async () => {
    const inv = await invoice({ buyer: { address: null } });
    assertIncomplete(await einvoice(inv.id, '?syntax=cii'), {
      field: 'buyer.address.country',
      message: /BT-55.*BR-11/,
    });
  });

  it('R81: a detail without tax code is 422 naming the detail (BT-151)', async () => {
    const inv = await invoice({ taxCodeId: null });
    assertIncomplete(await einvoice(inv.id), {
      field: 'lines.0.details.0.taxCode',
      message: /BT-151.*BR-CO-04/,
    });
  });

  it('R81: a currency with 3 decimals (KWD) is 422 naming BT-5', async () => {
    const inv = await invoice({ currency: 'KWD' });
    assertIncomplete(await einvoice(inv.id), {
      field: 'currency',
      message: /BT-5 KWD has 3 decimals/,
    });
  });

  it('R81: Peppol without buyer reference or purchase order is 422 (PEPPOL-EN16931-R003); EN 16931 alone is fine', async () => {
    const inv = await invoice({ buyer: { buyerReference: null } });
    assertIncomplete(await einvoice(inv.id, '?profile=peppol'), {
      field: 'buyerReference',
      message: /BT-10.*PEPPOL-EN16931-R003/,
    });
    assert.equal((await einvoice(inv.id, '?profile=en16931')).status, 200);
  });

  it('R80: a draft is 409 INVALID_TRANSITION', async () => {
    const draft = await invoice({ confirmed: false });
    const res = await einvoice(draft.id);
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.code, 'INVALID_TRANSITION');
  });

  it('an unknown invoice is 404; a bad syntax, profile or query key is 400', async () => {
    for (const id of ['999999', 'not-an-id']) {
      const res = await einvoice(id);
      assert.equal(res.status, 404, res.text);
      assert.equal(res.body.code, 'NOT_FOUND');
    }
    const inv = await invoice();
    for (const query of ['?syntax=pdf', '?profile=xrechnung', '?format=ubl']) {
      const res = await einvoice(inv.id, query);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
  });

  it('R76: a confirmed invoice keeps its e-invoice after the seller profile changes', async () => {
    const inv = await invoice();
    const before = await einvoice(inv.id);
    await saveSellerProfile(api.database.db, { ...SELLER, legalName: 'Renamed GmbH', vatId: null });
    const after = await einvoice(inv.id);
    assert.equal(after.status, 200, after.text);
    assert.equal(after.text, before.text);
  });
});
