import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildCustomer } from '../support/factories.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

async function createRetainer(contractId: string, body: Record<string, unknown>) {
  const res = await api.post(`/contracts/${contractId}/retainers`, {
    kind: 'Retainer',
    date: '2026-01-15',
    ...body,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function view(query: string, available = false) {
  const path = available ? 'available-retainers-and-advances' : 'retainers-and-advances';
  const res = await api.get(`/backlog/${path}?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describe(`retainers and advances [${TARGET}]`, () => {
  it('R50: creates a retainer on a contract customer, NotReadyToInvoice with nothing available', async () => {
    const contract = await buildContract(api, { percents: ['60', '40'] });
    const res = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: contract.customerIds[1],
      kind: 'Advance',
      amount: 5000,
      date: '2026-02-01',
      description: 'Mobilisation advance',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      id: res.body.id,
      kind: 'Advance',
      contractId: contract.id,
      customerId: contract.customerIds[1],
      date: '2026-02-01',
      amount: '5000.00',
      usedAmount: '0.00',
      availableAmount: '0.00',
      reservedAmount: '0.00',
      currency: 'USD',
      billingStatus: 'NotReadyToInvoice',
      description: 'Mobilisation advance',
    });
    const audit = await api.get(`/audit-events?entityType=Retainer&entityId=${res.body.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [['createRetainer', null, 'NotReadyToInvoice']],
    );
  });

  it('R1: amounts follow the contract currency (JPY has no minor unit)', async () => {
    const contract = await buildContract(api, { currency: 'JPY' });
    const r = await createRetainer(contract.id, {
      customerId: contract.customerIds[0],
      amount: '120000',
    });
    assert.equal(r.amount, '120000');
    const bad = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      amount: '10.50',
      date: '2026-01-01',
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.errors.map((e: any) => e.field),
      ['amount'],
    );
  });

  it('R50: a customer not on the contract is refused with VALIDATION_FAILED naming customerId, creating nothing', async () => {
    const contract = await buildContract(api);
    const stranger = await buildCustomer(api);
    const res = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: stranger,
      kind: 'Retainer',
      amount: '100.00',
      date: '2026-01-01',
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      res.body.errors.map((e: any) => e.field),
      ['customerId'],
    );
    assert.equal((await view(`contractId=${contract.id}`)).items.length, 0);
  });

  it('refuses zero, negative and malformed amounts, bad kinds and dates, unknown fields, creating nothing', async () => {
    const contract = await buildContract(api);
    const base = {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      amount: '100.00',
      date: '2026-01-01',
    };
    for (const [patch, field] of [
      [{ amount: '0' }, 'amount'],
      [{ amount: '-5.00' }, 'amount'],
      [{ amount: 'ten' }, 'amount'],
      [{ amount: '1.001' }, 'amount'],
      [{ kind: 'Deposit' }, 'kind'],
      [{ date: '2026-02-30' }, 'date'],
      [{ customerId: 'abc' }, 'customerId'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const res = await api.post(`/contracts/${contract.id}/retainers`, { ...base, ...patch });
      assert.ok([400, 422].includes(res.status), `${JSON.stringify(patch)} → ${res.status}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(
        res.body.errors.some((e: any) => e.field === field),
        JSON.stringify(res.body.errors),
      );
    }
    const unknown = await api.post('/contracts/999999999/retainers', base);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'NOT_FOUND');
    assert.equal((await view(`contractId=${contract.id}`)).items.length, 0);
  });

  it('R34: a body that writes billingStatus or usedAmount-like status is refused with STATUS_READ_ONLY', async () => {
    const contract = await buildContract(api);
    const res = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      amount: '100.00',
      date: '2026-01-01',
      billingStatus: 'CustomerInvoicePosted',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'STATUS_READ_ONLY');
    assert.equal((await view(`contractId=${contract.id}`)).items.length, 0);
  });

  it('R54/R4: a monthly schedule by count divides the total exactly, last part takes the residue, dated as R43', async () => {
    const contract = await buildContract(api);
    const res = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      total: '1000.00',
      frequency: 'monthly',
      startDate: '2026-01-31',
      count: 3,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.retainers.map((r: any) => [r.date, r.amount, r.billingStatus]),
      [
        ['2026-01-31', '333.33', 'NotReadyToInvoice'],
        ['2026-02-28', '333.33', 'NotReadyToInvoice'],
        ['2026-03-31', '333.34', 'NotReadyToInvoice'],
      ],
    );
  });

  it('R54: a schedule by end date covers every period start up to the end, inclusive', async () => {
    const contract = await buildContract(api);
    const res = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
      customerId: contract.customerIds[0],
      kind: 'Advance',
      total: '100.00',
      frequency: 'weekly',
      startDate: '2026-03-02',
      endDate: '2026-03-30',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.retainers.map((r: any) => [r.date, r.amount]),
      [
        ['2026-03-02', '20.00'],
        ['2026-03-09', '20.00'],
        ['2026-03-16', '20.00'],
        ['2026-03-23', '20.00'],
        ['2026-03-30', '20.00'],
      ],
    );
    const quarterly = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      total: '1000.01',
      frequency: 'quarterly',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    assert.deepEqual(
      quarterly.body.retainers.map((r: any) => [r.date, r.amount]),
      [
        ['2026-01-01', '250.00'],
        ['2026-04-01', '250.00'],
        ['2026-07-01', '250.00'],
        ['2026-10-01', '250.01'],
      ],
    );
  });

  it('R54: neither or both of endDate and count, a count over the cap or a total too small is refused, creating nothing', async () => {
    const contract = await buildContract(api);
    const base = {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      total: '100.00',
      frequency: 'monthly',
      startDate: '2026-01-01',
    };
    for (const [patch, field] of [
      [{}, 'count'],
      [{ count: 3, endDate: '2026-06-01' }, 'endDate'],
      [{ count: 1001 }, 'count'],
      [{ count: 0 }, 'count'],
      [{ endDate: '2025-12-31' }, 'endDate'],
      [{ total: '0.02', count: 3 }, 'total'],
      [{ total: '0', count: 3 }, 'total'],
      [{ frequency: 'daily', count: 3 }, 'frequency'],
      [{ count: 2.5 }, 'count'],
    ] as const) {
      const res = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
        ...base,
        ...patch,
      });
      assert.ok([400, 422].includes(res.status), `${JSON.stringify(patch)} → ${res.status}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(
        res.body.errors.some((e: any) => e.field === field),
        `${JSON.stringify(patch)}: ${JSON.stringify(res.body.errors)}`,
      );
    }
    const neither = await api.post(`/contracts/${contract.id}/retainers/schedule`, base);
    assert.equal(neither.status, 422);
    const stranger = await buildCustomer(api);
    const notOnContract = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
      ...base,
      customerId: stranger,
      count: 2,
    });
    assert.equal(notOnContract.status, 422);
    assert.deepEqual(
      notOnContract.body.errors.map((e: any) => e.field),
      ['customerId'],
    );
    assert.equal((await view(`contractId=${contract.id}`)).items.length, 0);
  });

  it('views: filters by contract, customer, kind, status (repeatable) and dates, with totals of the whole filter', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const [a, b] = contract.customerIds as [string, string];
    const r1 = await createRetainer(contract.id, {
      customerId: a,
      amount: '100.00',
      date: '2026-01-10',
    });
    const r2 = await createRetainer(contract.id, {
      customerId: b,
      amount: '200.00',
      date: '2026-02-10',
      kind: 'Advance',
    });
    const r3 = await createRetainer(contract.id, {
      customerId: a,
      amount: '300.00',
      date: '2026-03-10',
      kind: 'Advance',
    });
    await api.post('/backlog/retainers-and-advances/mark-ready', { ids: [r2.id] });

    const all = await view(`contractId=${contract.id}`);
    assert.deepEqual(
      all.items.map((r: any) => r.id),
      [r1.id, r2.id, r3.id],
    );
    assert.deepEqual(all.totals, {
      count: 3,
      amount: '600.00',
      availableAmount: '0.00',
      byCurrency: [{ currency: 'USD', count: 3, amount: '600.00', availableAmount: '0.00' }],
    });
    assert.deepEqual(
      (await view(`contractId=${contract.id}&customerId=${a}`)).items.map((r: any) => r.id),
      [r1.id, r3.id],
    );
    assert.deepEqual(
      (await view(`contractId=${contract.id}&kind=Advance`)).items.map((r: any) => r.id),
      [r2.id, r3.id],
    );
    assert.deepEqual(
      (await view(`contractId=${contract.id}&billingStatus=ReadyToInvoice`)).items.map(
        (r: any) => r.id,
      ),
      [r2.id],
    );
    assert.deepEqual(
      (
        await view(
          `contractId=${contract.id}&billingStatus=ReadyToInvoice&billingStatus=NotReadyToInvoice`,
        )
      ).items.map((r: any) => r.id),
      [r1.id, r2.id, r3.id],
    );
    const dated = await view(`contractId=${contract.id}&dateFrom=2026-02-10&dateTo=2026-03-10`);
    assert.deepEqual(
      dated.items.map((r: any) => r.id),
      [r2.id, r3.id],
    );
    assert.equal(dated.totals.amount, '500.00');
    // Nothing is invoiced yet, so nothing is available (R51).
    const available = await view(`contractId=${contract.id}`, true);
    assert.deepEqual(available.items, []);
    assert.equal(available.totals.count, 0);
  });

  it('views: keyset pages cover every row once, in date then id order; a forged cursor is refused', async () => {
    const contract = await buildContract(api);
    const made = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      total: '700.00',
      frequency: 'weekly',
      startDate: '2026-01-05',
      count: 7,
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await view(
        `contractId=${contract.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(page.totals.count, 7);
      seen.push(...page.items.map((r: any) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen,
      made.body.retainers.map((r: any) => r.id),
    );
    const forged = await api.get('/backlog/retainers-and-advances?cursor=bm90LWEtY3Vyc29y');
    assert.equal(forged.status, 400);
    assert.equal(forged.body.code, 'VALIDATION_FAILED');
    const badStatus = await api.get('/backlog/retainers-and-advances?billingStatus=Paid');
    assert.equal(badStatus.status, 400);
    assert.equal(badStatus.body.code, 'VALIDATION_FAILED');
  });

  it('views: totals amount is null when the rows span several currencies', async () => {
    const usd = await buildContract(api);
    const eur = await buildContract(api, { currency: 'EUR' });
    const customer = usd.customerIds[0] as string;
    await createRetainer(usd.id, { customerId: customer, amount: '10.00' });
    await createRetainer(eur.id, { customerId: eur.customerIds[0], amount: '20.00' });
    const both = await api.get(
      `/backlog/retainers-and-advances?dateFrom=2026-01-15&dateTo=2026-01-15&limit=500`,
    );
    const ours = both.body.totals.byCurrency.map((c: any) => c.currency);
    assert.ok(ours.includes('USD') && ours.includes('EUR'));
    assert.equal(both.body.totals.amount, null);
  });

  it('R31/R33: marks retainers ready and not ready per item in the order given, with audit; unknown ids NOT_FOUND', async () => {
    const contract = await buildContract(api);
    const r1 = await createRetainer(contract.id, {
      customerId: contract.customerIds[0],
      amount: '10.00',
    });
    const r2 = await createRetainer(contract.id, {
      customerId: contract.customerIds[0],
      amount: '20.00',
    });
    const res = await api.post('/backlog/retainers-and-advances/mark-ready', {
      ids: [r2.id, 'nope', r1.id, r2.id, '999999999'],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [r2.id, true, 'ReadyToInvoice'],
        ['nope', false, 'NOT_FOUND'],
        [r1.id, true, 'ReadyToInvoice'],
        [r2.id, true, 'ReadyToInvoice'],
        ['999999999', false, 'NOT_FOUND'],
      ],
    );
    const again = await api.post('/backlog/retainers-and-advances/mark-ready', { ids: [r1.id] });
    assert.deepEqual(again.body.results, [{ id: r1.id, ok: true, status: 'ReadyToInvoice' }]);
    const back = await api.post('/backlog/retainers-and-advances/mark-not-ready', { ids: [r1.id] });
    assert.deepEqual(back.body.results, [{ id: r1.id, ok: true, status: 'NotReadyToInvoice' }]);
    const audit = await api.get(`/audit-events?entityType=Retainer&entityId=${r1.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['createRetainer', null, 'NotReadyToInvoice'],
        ['markReady', 'NotReadyToInvoice', 'ReadyToInvoice'],
        ['markNotReady', 'ReadyToInvoice', 'NotReadyToInvoice'],
      ],
    );
    const rows = await view(`contractId=${contract.id}`);
    assert.deepEqual(
      rows.items.map((r: any) => r.billingStatus),
      ['NotReadyToInvoice', 'ReadyToInvoice'],
    );
  });

  it('R31: marks accept 10,000 ids in one request, answered per id', async () => {
    const contract = await buildContract(api);
    const r = await createRetainer(contract.id, {
      customerId: contract.customerIds[0],
      amount: '10.00',
    });
    const ids = Array.from({ length: 10_000 }, (_, i) =>
      i === 7000 ? r.id : String(900_000_000 + i),
    );
    const res = await api.post('/backlog/retainers-and-advances/mark-ready', { ids });
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 10_000);
    assert.equal(res.body.results[7000].status, 'ReadyToInvoice');
    assert.equal(res.body.results.filter((x: any) => x.code === 'NOT_FOUND').length, 9_999);
  });

  it('marks reject a body whose ids is not a non-empty array of strings, and refuse a viewer', async () => {
    for (const body of [{}, { ids: [] }, { ids: 'a' }, { ids: [1] }]) {
      const res = await api.post('/backlog/retainers-and-advances/mark-ready', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    const token = await api.post('/tokens', { name: 'viewer', role: 'viewer' });
    const res = await api.post(
      '/backlog/retainers-and-advances/mark-ready',
      { ids: ['1'] },
      { authorization: `Bearer ${token.body.token}` },
    );
    assert.equal(res.status, 403);
    const read = await api.get('/backlog/retainers-and-advances', token.body.token);
    assert.equal(read.status, 200);
  });
});
