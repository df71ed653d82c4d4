/**
 * R70, R71: the seller profile and customer billing profiles through the API, with the
 * checks a finance user expects; bad input answers problem+json naming the field and
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildCustomer } from '../support/factories.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const SELLER = {
  legalName: 'Northwind Consulting GmbH',
  address: {
    line1: 'Hauptstraße 1',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  },
  vatId: 'DE123456789',
  email: 'billing@northwind.example',
  electronicAddress: { scheme: '9930', value: 'DE123456789' },
  bank: { iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', accountName: 'Northwind' },
  paymentInstructions: 'Please quote the invoice number.',
  invoiceFooter: 'Registered in Berlin HRB 12345',
};

function assertProblem(
  res: { status: number; body: any; headers: any },
  status: number,
  field: string,
) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.equal(res.body.code, 'VALIDATION_FAILED');
  assert.ok(
    res.body.errors?.some((e: any) => e.field === field),
    `errors name ${field}: ${JSON.stringify(res.body.errors)}`,
  );
}

describe(`seller profile (R70) [${TARGET}]`, () => {
  it('R70: GET before any PUT answers 404 NOT_FOUND', async () => {
    const res = await api.get('/settings/seller');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'NOT_FOUND');
  });

  it('R70: bad input is refused naming the field and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ ...SELLER, bank: { iban: 'DE89370400440532013001' } }, 'bank.iban'],
      [{ ...SELLER, address: { ...SELLER.address, country: 'XX' } }, 'address.country'],
      [{ ...SELLER, address: { ...SELLER.address, country: 'Germany' } }, 'address.country'],
      [{ ...SELLER, vatId: '123' }, 'vatId'],
      [{ ...SELLER, email: 'not-an-email' }, 'email'],
      [
        { ...SELLER, electronicAddress: { scheme: '1234', value: 'x' } },
        'electronicAddress.scheme',
      ],
      [{ ...SELLER, defaultPaymentTermsDays: -1 }, 'defaultPaymentTermsDays'],
      [{ ...SELLER, legalName: '' }, 'legalName'],
    ];
    for (const [body, field] of cases) {
      assertProblem(await api.request('PUT', '/settings/seller', body), 400, field);
    }
    const unknownCode = await api.request('PUT', '/settings/seller', {
      ...SELLER,
      defaultTaxCodeId: '999999',
    });
    assertProblem(unknownCode, 422, 'defaultTaxCodeId');
    assert.equal((await api.get('/settings/seller')).status, 404, 'nothing was stored');
  });

  it('R70: PUT stores the whole profile (IBAN normalised, default terms 30) and GET answers it', async () => {
    const res = await api.request('PUT', '/settings/seller', SELLER);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const expected = {
      legalName: 'Northwind Consulting GmbH',
      address: {
        line1: 'Hauptstraße 1',
        line2: null,
        city: 'Berlin',
        postalCode: '10115',
        countrySubdivision: null,
        country: 'DE',
      },
      vatId: 'DE123456789',
      companyId: null,
      email: 'billing@northwind.example',
      phone: null,
      electronicAddress: { scheme: '9930', value: 'DE123456789' },
      bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountName: 'Northwind' },
      paymentInstructions: 'Please quote the invoice number.',
      defaultPaymentTermsDays: 30,
      defaultTaxCodeId: null,
      invoiceFooter: 'Registered in Berlin HRB 12345',
    };
    assert.deepEqual(res.body, expected);
    assert.deepEqual((await api.get('/settings/seller')).body, expected);
  });

  it('R70: PUT replaces the whole profile: fields left out become empty', async () => {
    await api.request('PUT', '/settings/seller', SELLER);
    const res = await api.request('PUT', '/settings/seller', {
      legalName: 'Northwind AG',
      address: SELLER.address,
      defaultPaymentTermsDays: 14,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.legalName, 'Northwind AG');
    assert.equal(res.body.bank, null);
    assert.equal(res.body.vatId, null);
    assert.equal(res.body.defaultPaymentTermsDays, 14);
  });

  it('R70: only an admin may PUT; any role may read', async () => {
    const token = await api.post('/tokens', { name: `biller-${TARGET}`, role: 'biller' });
    assert.equal(token.status, 201);
    const put = await api.request('PUT', '/settings/seller', SELLER, {
      authorization: `Bearer ${token.body.token}`,
    });
    assert.equal(put.status, 403);
    const get = await api.get('/settings/seller', token.body.token);
    assert.equal(get.status, 200);
  });
});

describe(`customer billing profile (R71) [${TARGET}]`, () => {
  it('R71: a new customer answers an empty profile', async () => {
    const id = await buildCustomer(api, 'Contoso');
    const res = await api.get(`/customers/${id}`);
    assert.deepEqual(res.body, {
      id,
      name: 'Contoso',
      legalName: null,
      address: null,
      vatId: null,
      companyId: null,
      invoiceEmail: null,
      buyerReference: null,
      paymentTermsDays: null,
      taxCodeId: null,
      electronicAddress: null,
    });
  });

  it('R71: PATCH sets the given fields, keeps the others, null clears one; GET shows them', async () => {
    const id = await buildCustomer(api, 'Fabrikam');
    const code = await api.post('/tax-codes', {
      code: `RC-${TARGET}`,
      name: 'Reverse charge',
      category: 'AE',
      rate: '0',
      exemptionReason: 'Reverse charge',
    });
    assert.equal(code.status, 201);
    const first = await api.patch(`/customers/${id}`, {
      legalName: 'Fabrikam SAS',
      address: { line1: '1 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
      vatId: 'fr 12 345678901',
      invoiceEmail: 'ap@fabrikam.example',
      buyerReference: 'FAB-REF',
      paymentTermsDays: 45,
      taxCodeId: code.body.id,
      electronicAddress: { scheme: '0009', value: '12345678901234' },
    });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.vatId, 'FR12345678901');
    assert.equal(first.body.taxCodeId, code.body.id);
    const second = await api.patch(`/customers/${id}`, {
      paymentTermsDays: null,
      name: 'Fabrikam',
    });
    assert.equal(second.status, 200);
    assert.equal(second.body.paymentTermsDays, null);
    assert.equal(second.body.name, 'Fabrikam');
    assert.equal(second.body.legalName, 'Fabrikam SAS');
    const got = await api.get(`/customers/${id}`);
    assert.deepEqual(got.body, second.body);
    const list = await api.get('/customers?limit=500');
    assert.deepEqual(
      list.body.items.find((c: any) => c.id === id),
      second.body,
    );
  });

  it('R71: bad input names the field and changes nothing', async () => {
    const id = await buildCustomer(api, 'Litware');
    const before = (await api.get(`/customers/${id}`)).body;
    const cases: [unknown, number, string][] = [
      [
        { address: { line1: 'x', city: 'y', postalCode: '1', country: 'ZZ' } },
        400,
        'address.country',
      ],
      [{ vatId: 'DE1' }, 400, 'vatId'],
      [{ invoiceEmail: 'ap@' }, 400, 'invoiceEmail'],
      [{ electronicAddress: { scheme: 'XX', value: 'a' } }, 400, 'electronicAddress.scheme'],
      [{ paymentTermsDays: 1.5 }, 400, 'paymentTermsDays'],
      [{ taxCodeId: '999999', legalName: 'Changed' }, 422, 'taxCodeId'],
    ];
    for (const [body, status, field] of cases) {
      assertProblem(await api.patch(`/customers/${id}`, body), status, field);
    }
    assert.deepEqual((await api.get(`/customers/${id}`)).body, before);
  });

  it('R71: PATCH of an unknown customer is 404', async () => {
    const res = await api.patch('/customers/999999', { legalName: 'Nobody' });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'NOT_FOUND');
  });
});
