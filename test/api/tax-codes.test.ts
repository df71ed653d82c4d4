import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { approvedActuals, buildContract, buildDrafts, buildLine } from '../support/factories.js';
import { readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

let n = 0;
/** Codes are installation-wide and unique: each test takes its own. */
const uniqueCode = (prefix: string) => `${prefix}-${TARGET}-${++n}`;

async function createTaxCode(body: Record<string, unknown>) {
  const res = await api.post('/tax-codes', { name: 'A tax code', ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function taxCodeCount(): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tax_codes`.execute(
    api.database.db,
  );
  return r.rows[0]!.n;
}

/** R73 is not built yet: a detail takes a tax code here by SQL, as R73 later will. */
async function putOnInvoice(taxCodeId: string): Promise<string> {
  const contract = await buildContract(api);
  const line = await buildLine(api, contract.id);
  await approvedActuals(api, line.id);
  await readyActuals(api, line.id);
  const [draft] = await buildDrafts(api, contract.id);
  assert.ok(draft, 'a draft was created');
  await api.database.db
    .updateTable('invoice_details')
    .set({ tax_code_id: taxCodeId })
    .where('invoice_id', '=', draft.id)
    .execute();
  return draft.id;
}

describe(`tax codes [${TARGET}]`, () => {
  it('R72: POST /tax-codes answers 201 with the tax code, rate as a two-decimal string', async () => {
    const code = uniqueCode('S19');
    const res = await api.post('/tax-codes', {
      code,
      name: 'Standard rate 19 %',
      category: 'S',
      rate: 19,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      id: res.body.id,
      code,
      name: 'Standard rate 19 %',
      category: 'S',
      rate: '19.00',
      exemptionReason: null,
      inUse: false,
    });
    assert.match(res.body.id, /^\d+$/);
  });

  it('R72: an exempt code carries its exemption reason; a reverse charge too', async () => {
    const exempt = await createTaxCode({
      code: uniqueCode('E'),
      category: 'E',
      rate: '0',
      exemptionReason: 'Exempt under Article 132 of Directive 2006/112/EC',
    });
    assert.equal(exempt.rate, '0.00');
    assert.equal(exempt.exemptionReason, 'Exempt under Article 132 of Directive 2006/112/EC');
    const reverse = await createTaxCode({
      code: uniqueCode('AE'),
      category: 'AE',
      rate: '0.00',
      exemptionReason: 'Reverse charge',
    });
    assert.equal(reverse.category, 'AE');
  });

  it('R72: S with rate 0 is refused naming rate, and nothing is stored', async () => {
    const before = await taxCodeCount();
    const res = await api.post('/tax-codes', {
      code: uniqueCode('S0'),
      name: 'Wrong',
      category: 'S',
      rate: '0',
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(String(res.headers['content-type']), /problem\+json/);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      res.body.errors.map((e: any) => e.field),
      ['rate'],
    );
    assert.equal(await taxCodeCount(), before);
  });

  it('R72: Z, E, AE, K, G, O need rate 0; E, AE, K, G, O an exemption reason', async () => {
    for (const category of ['Z', 'E', 'AE', 'K', 'G', 'O']) {
      const res = await api.post('/tax-codes', {
        code: uniqueCode(category),
        name: 'Wrong',
        category,
        rate: '5.00',
      });
      assert.equal(res.status, 422, `${category}: ${JSON.stringify(res.body)}`);
      const fields = res.body.errors.map((e: any) => e.field);
      assert.ok(fields.includes('rate'), category);
      assert.equal(fields.includes('exemptionReason'), category !== 'Z', category);
    }
  });

  it('R72: malformed input is 400 VALIDATION_FAILED naming each field', async () => {
    const res = await api.post('/tax-codes', {
      code: '',
      name: 'x',
      category: 'VAT',
      rate: '19.001',
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    const fields = res.body.errors.map((e: any) => e.field).sort();
    assert.deepEqual(fields, ['category', 'code', 'rate']);
    const over = await api.post('/tax-codes', {
      code: uniqueCode('S'),
      name: 'x',
      category: 'S',
      rate: '1000',
    });
    assert.equal(over.status, 400, JSON.stringify(over.body));
    const hundredPlus = await api.post('/tax-codes', {
      code: uniqueCode('S'),
      name: 'x',
      category: 'S',
      rate: '100.01',
    });
    assert.equal(hundredPlus.status, 422, JSON.stringify(hundredPlus.body));
    assert.deepEqual(hundredPlus.body.errors, [
      { field: 'rate', message: 'must be a percent from 0 to 100' },
    ]);
  });

  it('R72: a duplicate code (whatever its case) is 409 CONFLICT', async () => {
    const code = uniqueCode('dup');
    await createTaxCode({ code, category: 'S', rate: '7' });
    const again = await api.post('/tax-codes', {
      code: code.toUpperCase(),
      name: 'Again',
      category: 'S',
      rate: '7',
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.code, 'CONFLICT');
    const other = await createTaxCode({ code: uniqueCode('other'), category: 'S', rate: '7' });
    const renamed = await api.patch(`/tax-codes/${other.id}`, { code });
    assert.equal(renamed.status, 409, JSON.stringify(renamed.body));
    assert.equal(renamed.body.code, 'CONFLICT');
  });

  it('§5: GET /tax-codes lists with limit and cursor', async () => {
    for (let i = 0; i < 3; i++)
      await createTaxCode({ code: uniqueCode('L'), category: 'L', rate: '7' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const res = await api.get(`/tax-codes${q}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((t: any) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = await api.get('/tax-codes?limit=500');
    assert.deepEqual(
      seen,
      all.body.items.map((t: any) => t.id),
    );
    assert.ok(seen.length >= 3);
    assert.deepEqual(Object.keys(all.body.items[0]).sort(), [
      'category',
      'code',
      'exemptionReason',
      'id',
      'inUse',
      'name',
      'rate',
    ]);
    const forged = await api.get('/tax-codes?cursor=nope');
    assert.equal(forged.status, 400);
  });

  it('R72: PATCH changes any field of a code not in use, checked by the category rules', async () => {
    const t = await createTaxCode({ code: uniqueCode('S'), category: 'S', rate: '19' });
    const res = await api.patch(`/tax-codes/${t.id}`, { rate: '16.5', name: 'Reduced' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.rate, '16.50');
    assert.equal(res.body.name, 'Reduced');
    const toExempt = await api.patch(`/tax-codes/${t.id}`, { category: 'E' });
    assert.equal(toExempt.status, 422, JSON.stringify(toExempt.body));
    assert.deepEqual(
      toExempt.body.errors.map((e: any) => e.field),
      ['rate', 'exemptionReason'],
    );
    const exempt = await api.patch(`/tax-codes/${t.id}`, {
      category: 'E',
      rate: 0,
      exemptionReason: 'Exempt',
    });
    assert.equal(exempt.status, 200, JSON.stringify(exempt.body));
    const back = await api.patch(`/tax-codes/${t.id}`, {
      category: 'S',
      rate: '19',
      exemptionReason: null,
    });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.exemptionReason, null);
  });

  it('R72: PATCH of an unknown tax code is 404', async () => {
    for (const id of ['987654321', 'abc']) {
      const res = await api.patch(`/tax-codes/${id}`, { name: 'x' });
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.code, 'NOT_FOUND');
    }
  });

  it('R72: a tax code on an invoice is inUse; its category, rate and exemption reason can no longer change (TAX_CODE_IN_USE), its code and name may', async () => {
    const t = await createTaxCode({ code: uniqueCode('S'), category: 'S', rate: '19' });
    await putOnInvoice(t.id);
    const listed = (await api.get('/tax-codes?limit=500')).body.items.find(
      (x: any) => x.id === t.id,
    );
    assert.equal(listed.inUse, true);

    for (const change of [{ rate: '20' }, { category: 'L' }, { exemptionReason: null, rate: 7 }]) {
      const res = await api.patch(`/tax-codes/${t.id}`, change);
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.code, 'TAX_CODE_IN_USE');
      assert.match(String(res.headers['content-type']), /problem\+json/);
    }
    const unchanged = (await api.get('/tax-codes?limit=500')).body.items.find(
      (x: any) => x.id === t.id,
    );
    assert.equal(unchanged.rate, '19.00');
    assert.equal(unchanged.category, 'S');

    const newCode = uniqueCode('S19-old');
    const renamed = await api.patch(`/tax-codes/${t.id}`, {
      code: newCode,
      name: 'Standard 19 % (until 2026)',
      rate: '19.00',
      category: 'S',
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.code, newCode);
    assert.equal(renamed.body.inUse, true);
  });

  it('R72: invoice_details.tax_code_id is a foreign key: an unknown tax code is refused by the database', async () => {
    const t = await createTaxCode({ code: uniqueCode('S'), category: 'S', rate: '7' });
    const draftId = await putOnInvoice(t.id);
    await assert.rejects(
      api.database.db
        .updateTable('invoice_details')
        .set({ tax_code_id: '987654321' })
        .where('invoice_id', '=', draftId)
        .execute(),
    );
  });

  it('R72: only an admin creates or changes tax codes; a viewer reads them', async () => {
    const token = (await api.post('/tokens', { name: 'tax-viewer', role: 'viewer' })).body.token;
    const auth = { authorization: `Bearer ${token}` };
    const list = await api.request('GET', '/tax-codes', undefined, auth);
    assert.equal(list.status, 200);
    const create = await api.request(
      'POST',
      '/tax-codes',
      { code: uniqueCode('S'), name: 'x', category: 'S', rate: '1' },
      auth,
    );
    assert.equal(create.status, 403);
  });
});
