import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { buildContract, buildLine, submitEntry } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const cents = (x: string) => BigInt(x.replace('.', ''));
const TM = '/backlog/time-and-material';

/**
 * On PostgreSQL the approvals really run at once (a pool of 20 connections); on the embedded
 * database the single connection serialises them. Either way the contract row lock must keep
 * every level's committed amount within its limit (R21).
 */
describe(`NTE under concurrency [${TARGET}]`, () => {
  it('R21: 24 concurrent approvals never commit past a limit at any level', async () => {
    const contract = await buildContract(api, {
      percents: ['50', '50'],
      notToExceed: '1000.00',
      customerNte: [undefined, '450.00'],
    });
    const [c0, c1] = contract.customerIds;
    const line = await buildLine(api, contract.id, {
      notToExceed: '900.00',
      customers: [
        { customerId: c0, billingSplitPercent: '50', notToExceed: '300.00' },
        { customerId: c1, billingSplitPercent: '50' },
      ],
    });
    const other = await buildLine(api, contract.id);
    const entries: string[] = [];
    for (let i = 0; i < 24; i++) {
      entries.push(
        await submitEntry(api, i % 3 === 0 ? other.id : line.id, {
          quantity: '1',
          unitPrice: '150.00',
        }),
      );
    }
    const approvals = await Promise.all(
      entries.map((id) => api.post(`/entries/${id}/approve`, {})),
    );
    for (const res of approvals) assert.equal(res.status, 200, JSON.stringify(res.body));

    // Re-evaluations racing each other must hold the same line.
    const failedIds = approvals.flatMap((r) =>
      r.body.actuals.filter((a: any) => a.nteStatus === 'Failed').map((a: any) => a.id),
    );
    assert.ok(failedIds.length > 0, 'the limits were reached');
    const racing = await Promise.all([
      api.post(`${TM}/reevaluate-nte`, { ids: failedIds }),
      api.post(`${TM}/reevaluate-nte`, { ids: [...failedIds].reverse() }),
      api.post(`${TM}/mark-ready`, { ids: failedIds }),
    ]);
    for (const res of racing) assert.equal(res.status, 200, JSON.stringify(res.body));

    const rows = (await api.get(`${TM}?contractId=${contract.id}&nteStatus=Committed&limit=500`))
      .body.items;
    const sum = (pick: (r: any) => boolean) =>
      rows.filter(pick).reduce((s: bigint, r: any) => s + cents(r.amount), 0n);
    const shown = (await api.get(`/contracts/${contract.id}`)).body;
    const lineShown = shown.lines.find((l: any) => l.id === line.id);
    const checks: [string, bigint, any][] = [
      ['contract', sum(() => true), shown.nteUsage],
      [
        'contract customer',
        sum((r) => r.customerId === c1),
        shown.customers.find((c: any) => c.customerId === c1).nteUsage,
      ],
      ['line', sum((r) => r.contractLineId === line.id), lineShown.nteUsage],
      [
        'line customer',
        sum((r) => r.contractLineId === line.id && r.customerId === c0),
        lineShown.customers[0].nteUsage,
      ],
    ];
    for (const [level, committed, usage] of checks) {
      assert.equal(committed, cents(usage.committed), `${level}: the shown usage is the ledger's`);
      assert.ok(
        committed <= cents(usage.limit),
        `${level}: committed ${committed} within ${usage.limit}`,
      );
      assert.ok(cents(usage.headroom) >= 0n, level);
    }
    // Whatever the order, 13 actuals of 75.00 fit the contract's 1000.00 (the other levels
    // leave room for 18): the cap is used, never exceeded and never lost.
    assert.equal(shown.nteUsage.committed, '975.00');
    const failedNow = (await api.get(`${TM}?contractId=${contract.id}&nteStatus=Failed&limit=500`))
      .body.items;
    for (const r of failedNow)
      assert.notEqual(r.billingStatus, 'ReadyToInvoice', 'R24: nothing Failed is ready');
  });
});
