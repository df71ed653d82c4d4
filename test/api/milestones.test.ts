import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SplitBillingStatus } from '../../src/db/schema.js';
import {
  lockReadyMilestoneSplits,
  setMilestoneSplitsBillingStatus,
} from '../../src/repositories/milestones.js';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildCustomer, buildLine } from '../support/factories.js';
import { confirm, createInvoices } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

/** A contract with one fixed-price line; percents as in buildContract (first is rounding). */
async function fixedPriceLine(contractedAmount = '1000.00', percents = ['100'], currency = 'USD') {
  const contract = await buildContract(api, { percents, currency });
  const line = await buildLine(api, contract.id, { billingMethod: 'FixedPrice', contractedAmount });
  return { contract, line };
}

async function createMilestone(lineId: string, body: Record<string, unknown> = {}) {
  const res = await api.post(`/contract-lines/${lineId}/milestones`, {
    name: 'Design approved',
    date: '2026-03-31',
    amount: '100.00',
    ...body,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const backlogOfLine = async (lineId: string, query = '') =>
  (await api.get(`/backlog/fixed-price-milestones?contractLineId=${lineId}${query}`)).body;

/** Stands in for the invoicing work: moves splits onto an invoice through the exported repository call. */
async function putOnInvoice(
  contractId: string,
  splitIds: string[],
  to: SplitBillingStatus,
  invoiceId = '42',
) {
  await api.database.db.transaction().execute((trx) =>
    setMilestoneSplitsBillingStatus(
      trx,
      splitIds.map((id) => ({ contractId, id })),
      to,
      { invoiceId },
    ),
  );
}

describe(`fixed-price milestones [${TARGET}]`, () => {
  it('R40: a milestone on a T&M line is refused with MILESTONE_ON_TM_LINE and creates nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const res = await api.post(`/contract-lines/${line.id}/milestones`, {
      name: 'M',
      date: '2026-03-31',
      amount: '10',
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'MILESTONE_ON_TM_LINE');
    const gen = await api.post(`/contract-lines/${line.id}/milestones/generate`, {
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      frequency: 'monthly',
    });
    assert.equal(gen.body.code, 'MILESTONE_ON_TM_LINE');
    assert.equal((await backlogOfLine(line.id)).items.length, 0);
  });

  it('an unknown contract line answers 404', async () => {
    const res = await api.post('/contract-lines/987654321/milestones', {
      name: 'M',
      date: '2026-03-31',
      amount: '10',
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'NOT_FOUND');
  });

  it('R41/R3: 1000.00 over 33.33 (rounding) / 33.33 / 33.34 splits 333.30 / 333.30 / 333.40, all NotReadyToInvoice', async () => {
    const { contract, line } = await fixedPriceLine('5000.00', ['33.33', '33.33', '33.34']);
    const m = await createMilestone(line.id, { amount: '1000.00' });
    assert.equal(m.contractLineId, line.id);
    assert.equal(m.name, 'Design approved');
    assert.equal(m.date, '2026-03-31');
    assert.equal(m.amount, '1000.00');
    assert.equal(m.headerStatus, 'NotStarted');
    assert.deepEqual(
      m.splits.map((s: any) => [s.customerId, s.amount, s.billingStatus]),
      [
        [contract.customerIds[0], '333.30', 'NotReadyToInvoice'],
        [contract.customerIds[1], '333.30', 'NotReadyToInvoice'],
        [contract.customerIds[2], '333.40', 'NotReadyToInvoice'],
      ],
    );
    const got = await api.get(`/milestones/${m.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, m);
  });

  it('R41/R3: an amount that does not divide evenly over three customers still sums exactly', async () => {
    const { line } = await fixedPriceLine('5000.00', ['33.33', '33.33', '33.34']);
    const m = await createMilestone(line.id, { amount: '100.01' });
    // 100.01 × 33.33 % = 33.333… → 33.33; × 33.34 % = 33.343… → 33.34; the rounding customer takes the rest.
    assert.deepEqual(
      m.splits.map((s: any) => s.amount),
      ['33.34', '33.33', '33.34'],
    );
    const cents = m.splits.reduce(
      (sum: bigint, s: any) => sum + BigInt(s.amount.replace('.', '')),
      0n,
    );
    assert.equal(cents, 10001n);
  });

  it('R42: header NotStarted → InProgress as splits are marked ready, and back; audited per split (R35)', async () => {
    const { line } = await fixedPriceLine('1000.00', ['50', '50']);
    const m = await createMilestone(line.id);
    const [a, b] = m.splits;
    const ready = await api.post('/backlog/fixed-price-milestones/mark-ready', { ids: [a.id] });
    assert.deepEqual(ready.body.results, [{ id: a.id, ok: true, status: 'ReadyToInvoice' }]);
    assert.equal((await api.get(`/milestones/${m.id}`)).body.headerStatus, 'InProgress');
    const rows = (await backlogOfLine(line.id)).items;
    assert.deepEqual(
      rows.map((r: any) => [r.id, r.billingStatus, r.headerStatus]),
      [
        [a.id, 'ReadyToInvoice', 'InProgress'],
        [b.id, 'NotReadyToInvoice', 'InProgress'],
      ],
    );
    await api.post('/backlog/fixed-price-milestones/mark-ready', { ids: [b.id] });
    assert.equal((await api.get(`/milestones/${m.id}`)).body.headerStatus, 'InProgress');
    await api.post('/backlog/fixed-price-milestones/mark-not-ready', { ids: [a.id, b.id] });
    assert.equal((await api.get(`/milestones/${m.id}`)).body.headerStatus, 'NotStarted');
    const audit = await api.get(`/audit-events?entityType=MilestoneSplit&entityId=${a.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['createMilestone', null, 'NotReadyToInvoice'],
        ['markReady', 'NotReadyToInvoice', 'ReadyToInvoice'],
        ['markNotReady', 'ReadyToInvoice', 'NotReadyToInvoice'],
      ],
    );
  });

  it('R42: the header reads Completed once every split is posted, InProgress while one is only on a draft', async () => {
    const { contract, line } = await fixedPriceLine('1000.00', ['50', '50']);
    const m = await createMilestone(line.id);
    const [a, b] = m.splits;
    await putOnInvoice(contract.id, [a.id, b.id], 'CustomerInvoiceCreated');
    assert.equal((await api.get(`/milestones/${m.id}`)).body.headerStatus, 'InProgress');
    await putOnInvoice(contract.id, [a.id], 'CustomerInvoicePosted');
    assert.equal((await api.get(`/milestones/${m.id}`)).body.headerStatus, 'InProgress');
    // The header in the view is derived from all splits, even when the filter shows only one.
    const posted = (await backlogOfLine(line.id, '&billingStatus=CustomerInvoicePosted')).items;
    assert.deepEqual(
      posted.map((r: any) => [r.id, r.headerStatus]),
      [[a.id, 'InProgress']],
    );
    await putOnInvoice(contract.id, [b.id], 'CustomerInvoicePosted');
    const got = (await api.get(`/milestones/${m.id}`)).body;
    assert.equal(got.headerStatus, 'Completed');
    assert.deepEqual(
      got.splits.map((s: any) => s.invoiceId),
      ['42', '42'],
    );
    const rows = (await backlogOfLine(line.id)).items;
    assert.deepEqual(
      rows.map((r: any) => [r.headerStatus, r.invoiceId]),
      [
        ['Completed', '42'],
        ['Completed', '42'],
      ],
    );
  });

  it('R34: a body carrying headerStatus or billingStatus is refused with STATUS_READ_ONLY and changes nothing', async () => {
    const { line } = await fixedPriceLine();
    const create = await api.post(`/contract-lines/${line.id}/milestones`, {
      name: 'M',
      date: '2026-03-31',
      amount: '10',
      headerStatus: 'Completed',
    });
    assert.equal(create.status, 400);
    assert.equal(create.body.code, 'STATUS_READ_ONLY');
    assert.equal((await backlogOfLine(line.id)).items.length, 0);
    const m = await createMilestone(line.id);
    for (const body of [
      { headerStatus: 'Completed' },
      { name: 'X', splits: [{ billingStatus: 'CustomerInvoicePosted' }] },
    ]) {
      const res = await api.patch(`/milestones/${m.id}`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'STATUS_READ_ONLY');
    }
    assert.deepEqual((await api.get(`/milestones/${m.id}`)).body, m);
  });

  it('bad input (zero, negative, not a number, too many decimals, missing fields) creates nothing', async () => {
    const { line } = await fixedPriceLine();
    const cases: [Record<string, unknown>, number][] = [
      [{ name: 'M', date: '2026-03-31', amount: '0' }, 400],
      [{ name: 'M', date: '2026-03-31', amount: '0.00' }, 400],
      [{ name: 'M', date: '2026-03-31', amount: '-5.00' }, 400],
      [{ name: 'M', date: '2026-03-31', amount: 'ten' }, 400],
      [{ name: 'M', date: '2026-03-31', amount: '1.005' }, 422],
      [{ name: 'M', date: '2026-02-30', amount: '1' }, 400],
      [{ name: '', date: '2026-03-31', amount: '1' }, 400],
      [{ date: '2026-03-31', amount: '1' }, 400],
      [{ name: 'M', date: '2026-03-31', amount: '1', extra: true }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await api.post(`/contract-lines/${line.id}/milestones`, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED', JSON.stringify(body));
      assert.ok(res.body.errors.length > 0);
    }
    assert.equal((await backlogOfLine(line.id)).items.length, 0);
  });

  it('R44: milestones may sum to exactly the contracted amount, not one cent more', async () => {
    const { line } = await fixedPriceLine('1000.00');
    await createMilestone(line.id, { amount: '600.00' });
    const over = await api.post(`/contract-lines/${line.id}/milestones`, {
      name: 'M2',
      date: '2026-04-30',
      amount: '400.01',
    });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'VALIDATION_FAILED');
    assert.equal(over.body.errors[0].field, 'amount');
    assert.match(over.body.errors[0].message, /400\.00 left/);
    await createMilestone(line.id, { amount: '400.00' });
    const full = await api.post(`/contract-lines/${line.id}/milestones`, {
      name: 'M3',
      date: '2026-05-31',
      amount: '0.01',
    });
    assert.equal(full.status, 422);
    const rows = (await backlogOfLine(line.id)).items;
    assert.deepEqual(
      rows.map((r: any) => r.amount),
      ['600.00', '400.00'],
    );
  });

  it('R44: two concurrent creations cannot together exceed the contracted amount', async () => {
    const { line } = await fixedPriceLine('1000.00');
    const body = (name: string) => ({ name, date: '2026-03-31', amount: '600.00' });
    const results = await Promise.all([
      api.post(`/contract-lines/${line.id}/milestones`, body('A')),
      api.post(`/contract-lines/${line.id}/milestones`, body('B')),
      api.post(`/contract-lines/${line.id}/milestones`, body('C')),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 422, 422]);
    const view = await backlogOfLine(line.id);
    assert.equal(view.totals.amount, '600.00');
  });

  it('PATCH re-splits a new amount (split ids and statuses kept), moves the date, keeps R44', async () => {
    const { contract, line } = await fixedPriceLine('1000.00', ['33.33', '33.33', '33.34']);
    const m = await createMilestone(line.id, { amount: '300.00' });
    await createMilestone(line.id, { amount: '500.00', name: 'Other' });
    await api.post('/backlog/fixed-price-milestones/mark-ready', { ids: [m.splits[1].id] });
    const res = await api.patch(`/milestones/${m.id}`, {
      amount: '500.00',
      date: '2026-06-30',
      name: 'Go-live',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.amount, '500.00');
    assert.equal(res.body.name, 'Go-live');
    assert.equal(res.body.date, '2026-06-30');
    assert.deepEqual(
      res.body.splits.map((s: any) => [s.id, s.customerId, s.amount, s.billingStatus]),
      [
        [m.splits[0].id, contract.customerIds[0], '166.65', 'NotReadyToInvoice'],
        [m.splits[1].id, contract.customerIds[1], '166.65', 'ReadyToInvoice'],
        [m.splits[2].id, contract.customerIds[2], '166.70', 'NotReadyToInvoice'],
      ],
    );
    const rows = (await backlogOfLine(line.id, `&dateFrom=2026-06-30`)).items;
    assert.deepEqual(
      rows.map((r: any) => [r.id, r.date, r.name]),
      m.splits.map((s: any) => [s.id, '2026-06-30', 'Go-live']),
    );
    const over = await api.patch(`/milestones/${m.id}`, { amount: '500.01' });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'VALIDATION_FAILED');
    assert.equal((await api.get(`/milestones/${m.id}`)).body.amount, '500.00');
    const empty = await api.patch(`/milestones/${m.id}`, {});
    assert.equal(empty.status, 400);
    const zero = await api.patch(`/milestones/${m.id}`, { amount: '0' });
    assert.equal(zero.status, 400);
  });

  it('DELETE removes the milestone and its splits from the view; unknown ids answer 404', async () => {
    const { line } = await fixedPriceLine();
    const m = await createMilestone(line.id);
    const res = await api.del(`/milestones/${m.id}`);
    assert.equal(res.status, 204);
    assert.equal((await api.get(`/milestones/${m.id}`)).status, 404);
    assert.equal((await backlogOfLine(line.id)).items.length, 0);
    assert.equal((await api.del(`/milestones/${m.id}`)).status, 404);
    assert.equal((await api.patch('/milestones/abc', { name: 'x' })).status, 404);
    // The room is free again (R44).
    await createMilestone(line.id, { amount: '1000.00' });
  });

  it('R45: a split on a draft refuses PATCH and DELETE with INVALID_TRANSITION; posted with INVOICE_CONFIRMED', async () => {
    const { contract, line } = await fixedPriceLine('1000.00', ['50', '50']);
    const m = await createMilestone(line.id);
    await putOnInvoice(contract.id, [m.splits[0].id], 'CustomerInvoiceCreated');
    for (const res of [
      await api.patch(`/milestones/${m.id}`, { amount: '50.00' }),
      await api.del(`/milestones/${m.id}`),
    ]) {
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'INVALID_TRANSITION');
    }
    await putOnInvoice(contract.id, [m.splits[0].id], 'CustomerInvoicePosted');
    for (const res of [
      await api.patch(`/milestones/${m.id}`, { name: 'x' }),
      await api.del(`/milestones/${m.id}`),
    ]) {
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'INVOICE_CONFIRMED');
    }
    const got = (await api.get(`/milestones/${m.id}`)).body;
    assert.equal(got.amount, '100.00');
    assert.equal(got.name, 'Design approved');
  });

  it('R33: splits on an invoice cannot be marked; unknown ids answer NOT_FOUND, in the order given', async () => {
    const { contract, line } = await fixedPriceLine('1000.00', ['50', '50']);
    const m = await createMilestone(line.id);
    const [a, b] = m.splits;
    await putOnInvoice(contract.id, [b.id], 'CustomerInvoiceCreated');
    const res = await api.post('/backlog/fixed-price-milestones/mark-ready', {
      ids: [b.id, 'x', a.id, a.id, '999999999'],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [b.id, false, 'INVALID_TRANSITION'],
        ['x', false, 'NOT_FOUND'],
        [a.id, true, 'ReadyToInvoice'],
        [a.id, true, 'ReadyToInvoice'],
        ['999999999', false, 'NOT_FOUND'],
      ],
    );
    const bad = await api.post('/backlog/fixed-price-milestones/mark-not-ready', { ids: [] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
  });
});

describe(`milestone permissions and volume [${TARGET}]`, () => {
  it('admins set milestones up, billers mark splits, viewers read', async () => {
    const { line } = await fixedPriceLine();
    const m = await createMilestone(line.id);
    const token = async (role: string) =>
      (await api.post('/tokens', { name: `t ${role}`, role })).body.token as string;
    const biller = { authorization: `Bearer ${await token('biller')}` };
    const viewer = { authorization: `Bearer ${await token('viewer')}` };
    const body = { name: 'M', date: '2026-03-31', amount: '1' };
    assert.equal(
      (await api.post(`/contract-lines/${line.id}/milestones`, body, biller)).status,
      403,
    );
    assert.equal(
      (await api.request('PATCH', `/milestones/${m.id}`, { name: 'x' }, biller)).status,
      403,
    );
    assert.equal(
      (await api.request('DELETE', `/milestones/${m.id}`, undefined, biller)).status,
      403,
    );
    const marked = await api.post(
      '/backlog/fixed-price-milestones/mark-ready',
      { ids: [m.splits[0].id] },
      biller,
    );
    assert.equal(marked.status, 200);
    assert.equal(
      (
        await api.post(
          '/backlog/fixed-price-milestones/mark-not-ready',
          { ids: [m.splits[0].id] },
          viewer,
        )
      ).status,
      403,
    );
    assert.equal((await api.request('GET', `/milestones/${m.id}`, undefined, viewer)).status, 200);
    assert.equal(
      (await api.request('GET', '/backlog/fixed-price-milestones', undefined, viewer)).status,
      200,
    );
  });

  it('accepts 10,000 split ids in one mark request', async () => {
    const { line } = await fixedPriceLine();
    const m = await createMilestone(line.id);
    const ids = Array.from({ length: 10_000 }, (_, i) =>
      i === 5000 ? m.splits[0].id : String(900_000_000 + i),
    );
    const res = await api.post('/backlog/fixed-price-milestones/mark-ready', { ids });
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 10_000);
    assert.equal(res.body.results[5000].status, 'ReadyToInvoice');
    assert.equal(res.body.results.filter((r: any) => r.code === 'NOT_FOUND').length, 9_999);
  });
});

describe(`R43 periodic milestone generation [${TARGET}]`, () => {
  const generate = (lineId: string, body: Record<string, unknown>) =>
    api.post(`/contract-lines/${lineId}/milestones/generate`, body);

  it('R43: monthly 2026-01-01..2026-03-31 creates Jan 1, Feb 1, Mar 1 dividing the contracted amount by R4', async () => {
    const { line } = await fixedPriceLine('1000.00', ['50', '50']);
    const res = await generate(line.id, {
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      frequency: 'monthly',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.milestones.map((m: any) => [m.date, m.amount, m.headerStatus, m.splits.length]),
      [
        ['2026-01-01', '333.33', 'NotStarted', 2],
        ['2026-02-01', '333.33', 'NotStarted', 2],
        ['2026-03-01', '333.34', 'NotStarted', 2],
      ],
    );
    assert.deepEqual(
      res.body.milestones[2].splits.map((s: any) => s.amount),
      ['166.67', '166.67'],
    );
    const view = await backlogOfLine(line.id);
    assert.equal(view.totals.count, 6);
    assert.equal(view.totals.amount, '1000.00');
  });

  it('R43: from the 31st across month ends in a leap year: Jan 31 → Feb 29 → Mar 31 → Apr 30', async () => {
    const { line } = await fixedPriceLine('1000.00');
    const res = await generate(line.id, {
      startDate: '2028-01-31',
      endDate: '2028-04-30',
      frequency: 'monthly',
    });
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.body.milestones.map((m: any) => [m.date, m.amount]),
      [
        ['2028-01-31', '250.00'],
        ['2028-02-29', '250.00'],
        ['2028-03-31', '250.00'],
        ['2028-04-30', '250.00'],
      ],
    );
  });

  it('R43: from the 31st in a common year: Feb 28, then back to Mar 31; quarterly and weekly too', async () => {
    const monthly = await fixedPriceLine('100.00');
    const m = await generate(monthly.line.id, {
      startDate: '2027-01-31',
      endDate: '2027-03-31',
      frequency: 'monthly',
    });
    assert.deepEqual(
      m.body.milestones.map((x: any) => x.date),
      ['2027-01-31', '2027-02-28', '2027-03-31'],
    );
    const quarterly = await fixedPriceLine('100.00');
    const q = await generate(quarterly.line.id, {
      startDate: '2026-11-30',
      endDate: '2027-06-01',
      frequency: 'quarterly',
    });
    assert.deepEqual(
      q.body.milestones.map((x: any) => x.date),
      ['2026-11-30', '2027-02-28', '2027-05-30'],
    );
    const weekly = await fixedPriceLine('100.00');
    const w = await generate(weekly.line.id, {
      startDate: '2028-02-22',
      endDate: '2028-03-07',
      frequency: 'weekly',
    });
    assert.deepEqual(
      w.body.milestones.map((x: any) => [x.date, x.amount]),
      [
        ['2028-02-22', '33.33'],
        ['2028-02-29', '33.33'],
        ['2028-03-07', '33.34'],
      ],
    );
  });

  it('R43: end before start, an unknown frequency or a missing date is refused and creates nothing', async () => {
    const { line } = await fixedPriceLine('1000.00');
    const cases: [Record<string, unknown>, number, string][] = [
      [{ startDate: '2026-03-01', endDate: '2026-02-28', frequency: 'monthly' }, 422, 'endDate'],
      [{ startDate: '2026-01-01', endDate: '2026-03-31', frequency: 'yearly' }, 400, 'frequency'],
      [{ startDate: '2026-01-01', endDate: '2026-03-31', frequency: 'Monthly' }, 400, 'frequency'],
      [{ startDate: '2026-01-01', frequency: 'monthly' }, 400, 'endDate'],
      [{ startDate: '2026-01-01', endDate: '2026-13-01', frequency: 'monthly' }, 400, 'endDate'],
      [{ startDate: '2026-01-01', endDate: '2126-01-01', frequency: 'weekly' }, 422, 'endDate'],
    ];
    for (const [body, status, field] of cases) {
      const res = await generate(line.id, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.equal(res.body.errors[0].field, field, JSON.stringify(res.body));
    }
    assert.equal((await backlogOfLine(line.id)).items.length, 0);
  });

  it('R44: generation is refused when the line already has milestones it would push over the contracted amount', async () => {
    const { line } = await fixedPriceLine('1000.00');
    await createMilestone(line.id, { amount: '0.01' });
    const res = await generate(line.id, {
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      frequency: 'monthly',
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.equal((await backlogOfLine(line.id)).items.length, 1);
  });

  it('R4: more periods than minor units would leave zero milestones and is refused', async () => {
    const { line } = await fixedPriceLine('0.05');
    const res = await generate(line.id, {
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      frequency: 'weekly',
    });
    assert.equal(res.status, 422);
    assert.equal((await backlogOfLine(line.id)).items.length, 0);
  });
});

describe(`Fixed Price Milestones view [${TARGET}]`, () => {
  it('filters by contract, customer, repeated billingStatus and dates; sorts; pages by keyset; totals the filter', async () => {
    const { contract, line } = await fixedPriceLine('10000.00', ['60', '40']);
    const [c0, c1] = contract.customerIds;
    const ms = [];
    for (const [date, amount] of [
      ['2026-01-15', '100.00'],
      ['2026-02-15', '300.00'],
      ['2026-03-15', '200.00'],
    ] as const) {
      ms.push(await createMilestone(line.id, { date, amount, name: `M ${date}` }));
    }
    await api.post('/backlog/fixed-price-milestones/mark-ready', {
      ids: [ms[0].splits[0].id, ms[1].splits[1].id],
    });

    const all = (await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}`)).body;
    assert.equal(all.items.length, 6);
    assert.deepEqual(all.totals, {
      count: 6,
      amount: '600.00',
      byCurrency: [{ currency: 'USD', count: 6, amount: '600.00' }],
    });
    const first = all.items[0];
    assert.deepEqual(Object.keys(first).sort(), [
      'amount',
      'billingStatus',
      'contractId',
      'contractLineId',
      'contractLineName',
      'contractName',
      'currency',
      'customerId',
      'customerName',
      'date',
      'headerStatus',
      'id',
      'milestoneId',
      'name',
    ]);
    assert.deepEqual(
      [first.milestoneId, first.name, first.customerId, first.amount, first.currency],
      [ms[0].id, 'M 2026-01-15', c0, '60.00', 'USD'],
    );

    const byCustomer = (
      await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}&customerId=${c1}`)
    ).body;
    assert.deepEqual(
      byCustomer.items.map((r: any) => r.amount),
      ['40.00', '120.00', '80.00'],
    );
    assert.equal(byCustomer.totals.amount, '240.00');

    const ready = (
      await api.get(
        `/backlog/fixed-price-milestones?contractId=${contract.id}&billingStatus=ReadyToInvoice`,
      )
    ).body;
    assert.deepEqual(
      ready.items.map((r: any) => r.id),
      [ms[0].splits[0].id, ms[1].splits[1].id],
    );
    const both = (
      await api.get(
        `/backlog/fixed-price-milestones?contractId=${contract.id}&billingStatus=ReadyToInvoice&billingStatus=NotReadyToInvoice`,
      )
    ).body;
    assert.equal(both.totals.count, 6);

    const dated = (
      await api.get(
        `/backlog/fixed-price-milestones?contractId=${contract.id}&dateFrom=2026-02-15&dateTo=2026-02-15`,
      )
    ).body;
    assert.deepEqual(
      dated.items.map((r: any) => r.milestoneId),
      [ms[1].id, ms[1].id],
    );
    assert.equal(dated.totals.amount, '300.00');

    const byAmountDesc = (
      await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}&sort=-amount`)
    ).body;
    assert.deepEqual(
      byAmountDesc.items.map((r: any) => r.amount),
      ['180.00', '120.00', '120.00', '80.00', '60.00', '40.00'],
    );
    const byDateDesc = (
      await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}&sort=-date`)
    ).body;
    assert.deepEqual(
      byDateDesc.items.map((r: any) => r.date),
      ['2026-03-15', '2026-03-15', '2026-02-15', '2026-02-15', '2026-01-15', '2026-01-15'],
    );

    for (const sort of ['date', '-date', 'amount', '-amount']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/backlog/fixed-price-milestones?contractId=${contract.id}&sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
        const page: any = (await api.get(url)).body;
        assert.equal(page.totals.count, 6);
        seen.push(...page.items.map((r: any) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      const whole = (
        await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}&sort=${sort}`)
      ).body;
      assert.deepEqual(
        seen,
        whole.items.map((r: any) => r.id),
        sort,
      );
    }
  });

  it('totals answer amount null when the rows span several currencies', async () => {
    const shared = await buildCustomer(api);
    for (const currency of ['USD', 'JPY']) {
      const contract = await api.post('/contracts', {
        name: `C ${currency}`,
        currency,
        customers: [{ customerId: shared }],
      });
      const line = await buildLine(api, contract.body.id, {
        billingMethod: 'FixedPrice',
        contractedAmount: '1000',
      });
      await createMilestone(line.id, { amount: '100' });
    }
    const view = (await api.get(`/backlog/fixed-price-milestones?customerId=${shared}`)).body;
    assert.equal(view.totals.count, 2);
    assert.equal(view.totals.amount, null);
    assert.deepEqual(view.totals.byCurrency, [
      { currency: 'JPY', count: 1, amount: '100' },
      { currency: 'USD', count: 1, amount: '100.00' },
    ]);
  });

  it('rejects a forged cursor, an unknown billingStatus or sort with VALIDATION_FAILED; a non-id filter names nothing', async () => {
    for (const q of [
      'cursor=abc',
      'billingStatus=UnbilledSalesCreated',
      'sort=name',
      'dateFrom=2026-1-1',
    ]) {
      const res = await api.get(`/backlog/fixed-price-milestones?${q}`);
      assert.ok([400, 422].includes(res.status), q);
      assert.equal(res.body.code, 'VALIDATION_FAILED', q);
    }
    const none = (await api.get('/backlog/fixed-price-milestones?contractId=abc')).body;
    assert.deepEqual(none, {
      items: [],
      nextCursor: null,
      totals: { count: 0, amount: '0', byCurrency: [] },
    });
  });
});

describe(`invoicing interface for milestone splits [${TARGET}]`, () => {
  it('R32: lockReadyMilestoneSplits finds only ReadyToInvoice splits of the contract up to the date, by customer or id', async () => {
    const { contract, line } = await fixedPriceLine('1000.00', ['50', '50']);
    const early = await createMilestone(line.id, { date: '2026-01-31', amount: '100.00' });
    const late = await createMilestone(line.id, { date: '2026-02-28', amount: '100.00' });
    const notReady = await createMilestone(line.id, { date: '2026-01-15', amount: '100.00' });
    await api.post('/backlog/fixed-price-milestones/mark-ready', {
      ids: [...early.splits, ...late.splits].map((s: any) => s.id),
    });
    const db = api.database.db;
    const found = await db
      .transaction()
      .execute((trx) =>
        lockReadyMilestoneSplits(trx, { contractId: contract.id, onOrBefore: '2026-01-31' }),
      );
    assert.deepEqual(
      found.map((s) => [s.id, s.amount, s.date, s.milestone_id]).sort(),
      early.splits.map((s: any) => [s.id, '5000', '2026-01-31', early.id]).sort(),
    );
    assert.ok(!found.some((s) => notReady.splits.some((n: any) => n.id === s.id)));
    const one = await db.transaction().execute((trx) =>
      lockReadyMilestoneSplits(trx, {
        contractId: contract.id,
        onOrBefore: '2026-12-31',
        customerIds: [contract.customerIds[1] as string],
      }),
    );
    assert.deepEqual(
      one.map((s) => s.id),
      [early.splits[1].id, late.splits[1].id],
    );
    const byId = await db.transaction().execute((trx) =>
      lockReadyMilestoneSplits(trx, {
        contractId: contract.id,
        onOrBefore: '2026-12-31',
        splitIds: [late.splits[0].id],
      }),
    );
    assert.deepEqual(
      byId.map((s) => s.id),
      [late.splits[0].id],
    );

    // Leaving an invoice clears the invoice id and brings the split back as ready.
    await putOnInvoice(contract.id, [late.splits[0].id], 'CustomerInvoiceCreated', '7');
    assert.equal((await api.get(`/milestones/${late.id}`)).body.splits[0].invoiceId, '7');
    await putOnInvoice(contract.id, [late.splits[0].id], 'ReadyToInvoice');
    const back = (await api.get(`/milestones/${late.id}`)).body.splits[0];
    assert.deepEqual([back.billingStatus, back.invoiceId], ['ReadyToInvoice', undefined]);
  });

  it('R67: a split locked by one invoicing transaction is skipped by a concurrent one (SKIP LOCKED)', async (t) => {
    if (TARGET !== 'postgres') {
      t.diagnostic('needs two connections: runs on PostgreSQL only');
      return;
    }
    const { contract, line } = await fixedPriceLine('1000.00');
    const m = await createMilestone(line.id);
    await api.post('/backlog/fixed-price-milestones/mark-ready', { ids: [m.splits[0].id] });
    const db = api.database.db;
    const q = { contractId: contract.id, onOrBefore: '2026-12-31' };
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const first = db.transaction().execute(async (trx) => {
      const rows = await lockReadyMilestoneSplits(trx, q);
      locked();
      await held;
      return rows;
    });
    await isLocked;
    const second = await db.transaction().execute((trx) => lockReadyMilestoneSplits(trx, q));
    release();
    assert.equal((await first).length, 1);
    assert.equal(second.length, 0);
  });

  it('R6/R41/R42: a 0 % rounding customer gets no split, and the milestone completes when the others are posted', async () => {
    // The first customer is the rounding one, at 0 %.
    const { contract, line } = await fixedPriceLine('5000.00', ['0', '60', '40']);
    const m = await createMilestone(line.id, { amount: '1000.00' });
    assert.deepEqual(
      m.splits.map((s: any) => [s.customerId, s.amount]),
      [
        [contract.customerIds[1], '600.00'],
        [contract.customerIds[2], '400.00'],
      ],
    );
    assert.equal(m.headerStatus, 'NotStarted');
    const view = await backlogOfLine(line.id);
    assert.equal(view.items.length, 2);
    assert.ok(view.items.every((r: any) => r.amount !== '0.00'));
    const marked = await api.post('/backlog/fixed-price-milestones/mark-ready', {
      ids: m.splits.map((s: any) => s.id),
    });
    assert.ok(marked.body.results.every((r: any) => r.ok));
    const invoices = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-04-01',
    });
    assert.equal(invoices.length, 2, 'one invoice per customer with a split, none for 0.00');
    for (const invoice of invoices) await confirm(api, invoice.id);
    const after = (await api.get(`/milestones/${m.id}`)).body;
    assert.equal(after.headerStatus, 'Completed');
    assert.deepEqual(
      after.splits.map((s: any) => s.billingStatus),
      ['CustomerInvoicePosted', 'CustomerInvoicePosted'],
    );
  });

  it('R6: changing the amount adds or removes the split of a customer whose part stops or starts being 0', async () => {
    // 50 / 50 with a 0 % rounding customer: 0.01 rounds up twice, the first customer gives back.
    const { contract, line } = await fixedPriceLine('5000.00', ['0', '50', '50']);
    const m = await createMilestone(line.id, { amount: '0.01' });
    assert.deepEqual(
      m.splits.map((s: any) => [s.customerId, s.amount]),
      [[contract.customerIds[2], '0.01']],
    );
    const grown = await api.patch(`/milestones/${m.id}`, { amount: '100.00' });
    assert.equal(grown.status, 200, JSON.stringify(grown.body));
    assert.deepEqual(
      grown.body.splits.map((s: any) => [s.customerId, s.amount, s.billingStatus]).sort(),
      [
        [contract.customerIds[1], '50.00', 'NotReadyToInvoice'],
        [contract.customerIds[2], '50.00', 'NotReadyToInvoice'],
      ].sort(),
    );
    assert.equal(
      grown.body.splits.find((s: any) => s.customerId === contract.customerIds[2]).id,
      m.splits[0].id,
      'the existing split keeps its id',
    );
    const shrunk = await api.patch(`/milestones/${m.id}`, { amount: '0.01' });
    assert.equal(shrunk.status, 200, JSON.stringify(shrunk.body));
    assert.deepEqual(
      shrunk.body.splits.map((s: any) => [s.id, s.amount]),
      [[m.splits[0].id, '0.01']],
    );
    assert.equal((await backlogOfLine(line.id)).items.length, 1);
  });
});
