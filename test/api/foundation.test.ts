import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { buildContract, buildCustomer, buildLine, submitEntry } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

async function counts() {
  const c = await api.database.db
    .selectFrom('contracts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const e = await api.database.db
    .selectFrom('entries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const cu = await api.database.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { contracts: c.n, entries: e.n, customers: cu.n };
}

function assertProblem(
  res: { status: number; body: any; headers: Record<string, unknown> },
  status: number,
  code: string,
) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  for (const key of ['type', 'title', 'status', 'detail', 'code'])
    assert.ok(key in res.body, `problem has ${key}`);
}

describe(`service basics [${TARGET}]`, () => {
  it('health and the OpenAPI document need no token', async () => {
    const health = await api.request('GET', '/health', undefined, { authorization: '' });
    assert.deepEqual(health.body, { status: 'ok' });
    const doc = await api.request('GET', '/openapi.json', undefined, { authorization: '' });
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(
      doc.body.paths['/api/v1/contracts'].post.requestBody,
      'request schemas are in the document',
    );
    assert.ok(doc.body.paths['/api/v1/entries/{id}/approve']);
  });

  it('readiness touches the database', async () => {
    const ready = await api.get('/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.database, api.database.kind);
  });

  it('an unknown route answers problem+json 404', async () => {
    assertProblem(await api.get('/nothing-here'), 404, 'NOT_FOUND');
    assertProblem(await api.get('/contracts/abc'), 404, 'NOT_FOUND');
    assertProblem(await api.get('/contracts/99999999'), 404, 'NOT_FOUND');
  });
});

describe(`authentication and tokens [${TARGET}]`, () => {
  it('answers 401 without a token or with a bad one', async () => {
    assertProblem(
      await api.request('GET', '/contracts', undefined, { authorization: '' }),
      401,
      'UNAUTHORIZED',
    );
    assertProblem(await api.get('/contracts', 'not-a-token'), 401, 'UNAUTHORIZED');
  });

  it('creates role tokens shown once, lists them without secrets, revokes them', async () => {
    const created = await api.post('/tokens', { name: 'reporting', role: 'viewer' });
    assert.equal(created.status, 201);
    const token = created.body.token as string;
    assert.ok(token.length >= 32);
    assert.equal((await api.get('/contracts', token)).status, 200, 'a viewer reads');
    const write = await api.request(
      'POST',
      '/customers',
      { name: 'x' },
      { authorization: `Bearer ${token}` },
    );
    assertProblem(write, 403, 'FORBIDDEN');
    const list = await api.get('/tokens');
    const listed = list.body.items.find((t: any) => t.id === created.body.id);
    assert.equal(listed.name, 'reporting');
    assert.ok(!JSON.stringify(list.body).includes(token), 'the secret is never listed');
    const stored = await api.database.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, token, 'stored hashed');
    assert.equal((await api.del(`/tokens/${created.body.id}`)).status, 204);
    assertProblem(await api.get('/contracts', token), 401, 'UNAUTHORIZED');
    assertProblem(await api.del(`/tokens/${created.body.id}`), 404, 'NOT_FOUND');
  });

  it('roles: a biller cannot approve, an approver cannot set up contracts', async () => {
    const biller = (await api.post('/tokens', { name: 'b', role: 'biller' })).body.token;
    const approver = (await api.post('/tokens', { name: 'a', role: 'approver' })).body.token;
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    assertProblem(
      await api.request(
        'POST',
        `/entries/${entryId}/approve`,
        {},
        { authorization: `Bearer ${biller}` },
      ),
      403,
      'FORBIDDEN',
    );
    assertProblem(
      await api.request(
        'POST',
        '/contracts',
        { name: 'x', currency: 'USD', customers: [] },
        { authorization: `Bearer ${approver}` },
      ),
      403,
      'FORBIDDEN',
    );
    const ok = await api.request(
      'POST',
      `/entries/${entryId}/approve`,
      {},
      { authorization: `Bearer ${approver}` },
    );
    assert.equal(ok.status, 200);
  });
});

describe(`contracts and lines [${TARGET}]`, () => {
  it('creates a contract whose lines default to its customers and splits', async () => {
    const contract = await buildContract(api, {
      percents: ['33.33', '33.33', '33.34'],
      rounding: 2,
    });
    assert.deepEqual(
      contract.body.customers.map((c: any) => [c.billingSplitPercent, c.isRounding]),
      [
        ['33.33', false],
        ['33.33', false],
        ['33.34', true],
      ],
    );
    const line = await buildLine(api, contract.id, { transactionClasses: ['Time', 'Fee'] });
    assert.deepEqual(line.transactionClasses, ['Time', 'Fee']);
    assert.deepEqual(
      line.customers.map((c: any) => [c.customerId, c.billingSplitPercent, c.isRounding]),
      contract.body.customers.map((c: any) => [c.customerId, c.billingSplitPercent, c.isRounding]),
    );
    const fetched = await api.get(`/contracts/${contract.id}`);
    assert.equal(fetched.body.lines.length, 1);
    assert.equal(fetched.body.lines[0].id, line.id);
  });

  it('an even split is the default when no percentages are given', async () => {
    const ids = [await buildCustomer(api), await buildCustomer(api), await buildCustomer(api)];
    const res = await api.post('/contracts', {
      name: 'even',
      currency: 'EUR',
      customers: ids.map((customerId) => ({ customerId })),
    });
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.body.customers.map((c: any) => c.billingSplitPercent),
      ['33.33', '33.33', '33.34'],
    );
    assert.equal(res.body.customers[0].isRounding, true);
  });

  it('an invoice schedule defaults each cut-off to the day before the run date', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, {
      invoiceSchedule: [
        { runDate: '2026-03-01' },
        { runDate: '2026-04-01', cutoffDate: '2026-03-25' },
      ],
    });
    assert.deepEqual(line.invoiceSchedule, [
      { runDate: '2026-03-01', cutoffDate: '2026-02-28' },
      { runDate: '2026-04-01', cutoffDate: '2026-03-25' },
    ]);
  });

  it('lists with a cursor, and refuses a malformed cursor', async () => {
    for (let i = 0; i < 3; i++) await buildCustomer(api);
    const first = await api.get('/customers?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.nextCursor);
    const second = await api.get(`/customers?limit=2&cursor=${first.body.nextCursor}`);
    assert.ok(BigInt(second.body.items[0].id) > BigInt(first.body.items[1].id));
    for (const bad of [
      'garbage',
      Buffer.from('["abc"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      const res = await api.get(`/customers?cursor=${bad}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', bad);
      assert.equal(res.body.errors[0].field, 'cursor');
    }
    assertProblem(await api.get('/customers?limit=501'), 400, 'VALIDATION_FAILED');
  });

  it('a malformed cursor answers 400 VALIDATION_FAILED naming the cursor, on every list of the API', async () => {
    // Every GET the OpenAPI document gives a `cursor` parameter, so a new list is covered too.
    const doc = (await api.get('/openapi.json')).body;
    const lists = Object.entries<any>(doc.paths)
      .filter(([, item]) =>
        (item.get?.parameters ?? []).some((p: any) => p.in === 'query' && p.name === 'cursor'),
      )
      .map(([path]) => path.replace(/^\/api\/v1/, ''))
      .sort();
    assert.deepEqual(lists, [
      '/actuals',
      '/audit-events',
      '/backlog/available-retainers-and-advances',
      '/backlog/fixed-price-milestones',
      '/backlog/retainers-and-advances',
      '/backlog/time-and-material',
      '/contracts',
      '/customers',
      '/entries',
      '/invoice-runs/jobs',
      '/invoices',
      '/tax-codes',
    ]);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const forged = [
      'garbage',
      '%25%25%25',
      b64(['abc']),
      b64({}),
      b64(['2026-01-01', "1' OR 1=1"]),
      b64([1, 2, 3]),
    ];
    for (const path of lists) {
      for (const cursor of forged) {
        const res = await api.get(`${path}?cursor=${cursor}`);
        assertProblem(res, 400, 'VALIDATION_FAILED');
        assert.deepEqual(
          res.body.errors,
          [{ field: 'cursor', message: 'is malformed' }],
          `${path} ${cursor}`,
        );
      }
    }
    // A cursor given out for one sort of a view is malformed for another sort of it.
    const dateCursor = b64(['date', '2026-01-01', '1']);
    for (const path of ['/backlog/time-and-material', '/backlog/fixed-price-milestones']) {
      assertProblem(
        await api.get(`${path}?sort=amount&cursor=${dateCursor}`),
        400,
        'VALIDATION_FAILED',
      );
    }
  });
});

describe(`bad input changes nothing [${TARGET}]`, () => {
  it('rejects contract and entry bodies that break the rules, naming the fields', async () => {
    const a = await buildCustomer(api);
    const b = await buildCustomer(api);
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const before = await counts();
    const cases: [string, unknown, number, string[]][] = [
      [
        '/contracts',
        {
          name: 'x',
          currency: 'USD',
          customers: [
            { customerId: a, billingSplitPercent: '60' },
            { customerId: b, billingSplitPercent: '30' },
          ],
        },
        422,
        ['customers'],
      ],
      [
        '/contracts',
        {
          name: 'x',
          currency: 'USD',
          customers: [
            { customerId: a, billingSplitPercent: '50', isRounding: true },
            { customerId: b, billingSplitPercent: '50', isRounding: true },
          ],
        },
        422,
        ['customers'],
      ],
      [
        '/contracts',
        { name: 'x', currency: 'XYZ', customers: [{ customerId: a }] },
        422,
        ['currency'],
      ],
      [
        '/contracts',
        { name: 'x', currency: 'usd', customers: [{ customerId: a }] },
        400,
        ['currency'],
      ],
      [
        '/contracts',
        { name: 'x', currency: 'USD', customers: [{ customerId: '987654321' }] },
        422,
        ['customers.0.customerId'],
      ],
      [
        '/contracts',
        { name: 'x', currency: 'USD', customers: [{ customerId: a, billingSplitPercent: '-5' }] },
        400,
        ['customers.0.billingSplitPercent'],
      ],
      [
        '/contracts',
        { name: 'x', currency: 'JPY', customers: [{ customerId: a }], notToExceed: '10.5' },
        422,
        ['notToExceed'],
      ],
      [
        '/contracts',
        { name: 'x', currency: 'USD', customers: [{ customerId: a }], extra: true },
        400,
        ['extra'],
      ],
      ['/contracts', { name: 42, currency: 'USD', customers: 'all' }, 400, ['name', 'customers']],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: '-1',
          unitPrice: '10',
        },
        400,
        ['quantity'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: 0,
          unitPrice: '10',
        },
        400,
        ['quantity'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '2026-02-30',
          quantity: '1',
          unitPrice: '10',
        },
        400,
        ['date'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '01/03/2026',
          quantity: '1',
          unitPrice: '10',
        },
        400,
        ['date'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: '1.001',
          unitPrice: '10',
        },
        400,
        ['quantity'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: '1e3',
          unitPrice: '10',
        },
        400,
        ['quantity'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: '1',
          unitPrice: '1'.repeat(100),
        },
        400,
        ['unitPrice'],
      ],
      [
        '/entries',
        {
          contractLineId: line.id,
          transactionClass: 'Holiday',
          date: '2026-03-01',
          quantity: '1',
          unitPrice: '10',
        },
        400,
        ['transactionClass'],
      ],
      [
        '/entries',
        {
          contractLineId: 'abc',
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: '1',
          unitPrice: '10',
        },
        400,
        ['contractLineId'],
      ],
      [
        '/entries',
        {
          contractLineId: '99999999',
          transactionClass: 'Time',
          date: '2026-03-01',
          quantity: '1',
          unitPrice: '10',
        },
        422,
        ['contractLineId'],
      ],
      [
        `/contracts/${contract.id}/lines`,
        { name: 'fp', billingMethod: 'FixedPrice' },
        422,
        ['contractedAmount'],
      ],
      [
        `/contracts/${contract.id}/lines`,
        { name: 'fp', billingMethod: 'FixedPrice', contractedAmount: '10', notToExceed: '5' },
        422,
        ['notToExceed'],
      ],
      [
        `/contracts/${contract.id}/lines`,
        {
          name: 'x',
          billingMethod: 'TimeAndMaterial',
          customers: [{ customerId: a, billingSplitPercent: '100' }],
        },
        422,
        ['customers.0.customerId'],
      ],
      [
        `/contracts/${contract.id}/lines`,
        {
          name: 'x',
          billingMethod: 'TimeAndMaterial',
          invoiceSchedule: [{ runDate: '2026-03-01', cutoffDate: '2026-03-02' }],
        },
        422,
        ['invoiceSchedule.0.cutoffDate'],
      ],
    ];
    for (const [url, body, status, fields] of cases) {
      const res = await api.post(url, body);
      assertProblem(res, status, 'VALIDATION_FAILED');
      const named = res.body.errors.map((e: any) => e.field);
      for (const f of fields)
        assert.ok(
          named.includes(f),
          `${JSON.stringify(body)} names ${f}: ${JSON.stringify(named)}`,
        );
    }
    assert.deepEqual(await counts(), before);
  });

  it('malformed JSON, a non-object body and an oversized body are refused', async () => {
    const before = await counts();
    assertProblem(await api.post('/customers', '{"name": '), 400, 'VALIDATION_FAILED');
    assertProblem(await api.post('/customers', '[1,2]'), 400, 'VALIDATION_FAILED');
    assertProblem(await api.post('/customers', 'null'), 400, 'VALIDATION_FAILED');
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    assertProblem(await api.post('/customers', big), 413, 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(await counts(), before);
  });

  it('R34: a create body carrying a status is refused with STATUS_READ_ONLY before unknown fields', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const before = await counts();
    const res = await api.post('/entries', {
      contractLineId: line.id,
      transactionClass: 'Time',
      date: '2026-03-01',
      quantity: '1',
      unitPrice: '10',
      status: 'Approved',
    });
    assertProblem(res, 400, 'STATUS_READ_ONLY');
    assert.equal(res.body.errors[0].field, 'status');
    const nested = await api.post('/contracts', {
      name: 'x',
      currency: 'USD',
      customers: [{ customerId: contract.customerIds[0], billingStatus: 'ReadyToInvoice' }],
    });
    assertProblem(nested, 400, 'STATUS_READ_ONLY');
    assert.deepEqual(await counts(), before);
  });
});

describe(`idempotency [${TARGET}]`, () => {
  it('a repeated POST with the same key and body returns the first response and does nothing again', async () => {
    const before = await counts();
    const key = { 'idempotency-key': `k-${Date.now()}` };
    const first = await api.post('/customers', { name: 'Once' }, key);
    const again = await api.post('/customers', { name: 'Once' }, key);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(Number((await counts()).customers), Number(before.customers) + 1);
    const other = await api.post('/customers', { name: 'Other' }, key);
    assertProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(Number((await counts()).customers), Number(before.customers) + 1);
  });
});
