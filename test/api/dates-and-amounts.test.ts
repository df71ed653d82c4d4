/**
 * Issue 19: every date in the API is a real calendar date from 1900-01-01 to 9999-12-31
 * (spec §2, VALIDATION_FAILED naming the range), schedules never shift a year, and an entry
 * whose quantity × unit price the ledger cannot hold is refused at submission.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { buildContract, buildLine } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
let lineId: string;
let fixedLineId: string;
let contractId: string;
let customerId: string;
before(async () => {
  api = await startApi();
  const contract = await buildContract(api);
  contractId = contract.id;
  customerId = contract.customerIds[0]!;
  lineId = (await buildLine(api, contract.id)).id;
  fixedLineId = (
    await buildLine(api, contract.id, { billingMethod: 'FixedPrice', contractedAmount: '900.00' })
  ).id;
});
after(async () => {
  await api.close();
});

const entry = (date: string, quantity = '1', unitPrice = '10.00') => ({
  contractLineId: lineId,
  transactionClass: 'Time',
  date,
  quantity,
  unitPrice,
});

describe(`dates and amount limits [${TARGET}]`, () => {
  it('§2: dates outside 1900-01-01…9999-12-31 or not on the calendar answer 400 naming the range', async () => {
    for (const date of ['0000-01-01', '0099-05-31', '1899-12-31', '2026-02-30', '1900-02-29']) {
      const res = await api.post('/entries', entry(date));
      assert.equal(res.status, 400, date);
      assert.equal(res.body.code, 'VALIDATION_FAILED', date);
      const message = res.body.errors.find((e: any) => e.field === 'date')?.message ?? '';
      assert.match(message, /1900-01-01 to 9999-12-31/, date);
    }
    for (const [url, body] of [
      [
        `/contracts/${contractId}/retainers`,
        { customerId, kind: 'Retainer', amount: '1', date: '0000-01-01' },
      ],
      [
        `/contract-lines/${fixedLineId}/milestones/generate`,
        { startDate: '0099-01-01', endDate: '0099-03-01', frequency: 'monthly' },
      ],
      ['/invoice-runs', { runDate: '0000-01-01', dryRun: true }],
      ['/invoices', { contractId, invoiceDate: '10000-01-01' }],
    ] as const) {
      const res = await api.post(url, body);
      assert.equal(res.status, 400, `${url} ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    const list = await api.get('/backlog/time-and-material?dateFrom=0001-01-01');
    assert.equal(list.status, 400);
    assert.equal(list.body.code, 'VALIDATION_FAILED');
  });

  it('§2: the first and the last day of the range are accepted', async () => {
    for (const date of ['1900-01-01', '9999-12-31']) {
      const res = await api.post('/entries', entry(date));
      assert.equal(res.status, 201, `${date}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.date, date);
    }
  });

  it('R54: a monthly schedule from 1900-01-31 falls on month ends of 1900 (not a leap year), never another year', async () => {
    const res = await api.post(`/contracts/${contractId}/retainers/schedule`, {
      customerId,
      kind: 'Retainer',
      total: '300.00',
      frequency: 'monthly',
      startDate: '1900-01-31',
      count: 3,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.retainers.map((r: any) => r.date),
      ['1900-01-31', '1900-02-28', '1900-03-31'],
    );
  });

  it('R43: generating milestones up to 9999-12-31 creates every period of year 9999', async () => {
    const res = await api.post(`/contract-lines/${fixedLineId}/milestones/generate`, {
      startDate: '9999-10-31',
      endDate: '9999-12-31',
      frequency: 'monthly',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.milestones.map((m: any) => m.date),
      ['9999-10-31', '9999-11-30', '9999-12-31'],
    );
  });

  it('§2: quantity × unit price beyond what the ledger holds is refused at submission with the largest amount named', async () => {
    const res = await api.post('/entries', entry('2026-03-02', '1000000', '1000000000'));
    // 422: the bound depends on the contract's currency, known once the line is found.
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.match(res.body.errors[0].message, /9999999999999\.99 USD/);
  });

  it('§2: the largest amount the ledger holds is accepted and can be approved', async () => {
    const res = await api.post('/entries', entry('2026-03-02', '99999.99', '99999999.99'));
    // 99999.99 × 99999999.99 = 9999998999000.0001 → rounds to 9999998999000.00 < 10^13 USD.
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const approved = await api.post(`/entries/${res.body.id}/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.actuals[0].amount, '9999998999000.00');
  });
});
