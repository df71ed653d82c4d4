import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { approvedActuals, buildContract, buildLine } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

describe(`T&M mark ready / not ready [${TARGET}]`, () => {
  it('R31: marks ready and not ready per item, in the order given, unknown ids NOT_FOUND', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    const [a, b] = await approvedActuals(api, line.id);
    const res = await api.post('/backlog/time-and-material/mark-ready', {
      ids: [b.id, 'x', a.id, b.id, '999999999'],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [b.id, true, 'ReadyToInvoice'],
        ['x', false, 'NOT_FOUND'],
        [a.id, true, 'ReadyToInvoice'],
        [b.id, true, 'ReadyToInvoice'],
        ['999999999', false, 'NOT_FOUND'],
      ],
    );
    const back = await api.post('/backlog/time-and-material/mark-not-ready', { ids: [a.id] });
    assert.deepEqual(back.body.results, [{ id: a.id, ok: true, status: 'NotReadyToInvoice' }]);
    const audit = await api.get(`/audit-events?entityType=Actual&entityId=${a.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['approveEntry', null, 'UnbilledSalesCreated'],
        ['markReady', 'UnbilledSalesCreated', 'ReadyToInvoice'],
        ['markNotReady', 'ReadyToInvoice', 'NotReadyToInvoice'],
      ],
    );
  });

  it('rejects a body whose ids is not a non-empty array of strings, changing nothing', async () => {
    for (const body of [{}, { ids: [] }, { ids: 'a' }, { ids: [1] }, { ids: [null] }]) {
      const res = await api.post('/backlog/time-and-material/mark-ready', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.equal(res.body.errors[0].field.split('.')[0], 'ids');
    }
  });

  it('R34: a body that writes billingStatus is refused with STATUS_READ_ONLY', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [a] = await approvedActuals(api, line.id);
    const res = await api.post('/backlog/time-and-material/mark-ready', {
      ids: [a.id],
      billingStatus: 'ReadyToInvoice',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'STATUS_READ_ONLY');
    const ledger = await api.get(`/audit-events?entityType=Actual&entityId=${a.id}`);
    assert.equal(ledger.body.items.length, 1, 'nothing but the approval happened');
  });

  it('accepts 10,000 ids in one request', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [a] = await approvedActuals(api, line.id);
    const ids = Array.from({ length: 10_000 }, (_, i) =>
      i === 5000 ? a.id : String(900_000_000 + i),
    );
    const res = await api.post('/backlog/time-and-material/mark-ready', { ids });
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 10_000);
    assert.equal(res.body.results[5000].status, 'ReadyToInvoice');
    assert.equal(res.body.results.filter((r: any) => r.code === 'NOT_FOUND').length, 9_999);
  });
});
