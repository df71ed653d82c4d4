/**
 * R90: the setup can change. PATCH a contract, a contract customer, a line and a line
 * customer; every change is audited by field; bad input names each field and changes
 * nothing; a raised limit releases Failed actuals only when they are re-evaluated (R26).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import {
  approvedActuals,
  buildContract,
  buildFixedPriceLine,
  buildLine,
  buildDrafts,
  buildMilestone,
  markReady,
} from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const fieldsOf = (body: any) => (body.errors ?? []).map((e: any) => e.field).sort();
const changesOf = async (entityType: string, entityId: string) =>
  (await api.get(`/audit-events?entityType=${entityType}&entityId=${entityId}`)).body.items
    .filter((e: any) => e.field !== null)
    .map((e: any) => [e.action, e.field, e.from, e.to]);

describe(`R90 editing the setup [${TARGET}]`, () => {
  it('R90: a contract changes name and limit, each field one audit event with old and new value', async () => {
    const contract = await buildContract(api, { notToExceed: '1000.00' });
    const res = await api.patch(`/contracts/${contract.id}`, {
      name: 'Renamed contract',
      notToExceed: '2500.5',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, 'Renamed contract');
    assert.equal(res.body.notToExceed, '2500.50');
    assert.equal(res.body.nteUsage.headroom, '2500.50');
    assert.deepEqual(await changesOf('Contract', contract.id), [
      ['changeContract', 'name', contract.body.name, 'Renamed contract'],
      ['changeContract', 'notToExceed', '1000.00', '2500.50'],
    ]);
  });

  it('R90: null removes a contract limit; an unchanged value leaves no audit event', async () => {
    const contract = await buildContract(api, { notToExceed: '10.00' });
    const res = await api.patch(`/contracts/${contract.id}`, {
      name: contract.body.name,
      notToExceed: null,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.notToExceed, null);
    assert.equal(res.body.nteUsage, null);
    assert.deepEqual(await changesOf('Contract', contract.id), [
      ['changeContract', 'notToExceed', '10.00', null],
    ]);
  });

  it('R90/R26: a raised limit leaves Failed actuals Failed until they are re-evaluated', async () => {
    const contract = await buildContract(api, { notToExceed: '100.00' });
    const line = await buildLine(api, contract.id);
    const [failed] = await approvedActuals(api, line.id, { quantity: '2', unitPrice: '80.00' });
    assert.equal(failed.nteStatus, 'Failed');
    const raised = await api.patch(`/contracts/${contract.id}`, { notToExceed: '160.00' });
    assert.equal(raised.status, 200);
    const still = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
    assert.deepEqual(
      still.body.items.map((r: any) => r.nteStatus),
      ['Failed'],
    );
    const re = await api.post('/backlog/time-and-material/reevaluate-nte', { ids: [failed.id] });
    assert.deepEqual(
      re.body.results.map((r: any) => [r.ok, r.status]),
      [[true, 'Committed']],
    );
  });

  it('R20/R90: a contract customer limit and a line customer limit are set and removed', async () => {
    const contract = await buildContract(api);
    const [customerId] = contract.customerIds;
    const cc = await api.patch(`/contracts/${contract.id}/customers/${customerId}`, {
      notToExceed: '300',
    });
    assert.equal(cc.status, 200, JSON.stringify(cc.body));
    assert.equal(cc.body.customers[0].notToExceed, '300.00');
    assert.equal(cc.body.customers[0].nteUsage.limit, '300.00');
    const line = await buildLine(api, contract.id);
    const lc = await api.patch(`/contract-lines/${line.id}/customers/${customerId}`, {
      notToExceed: '50.00',
    });
    assert.equal(lc.status, 200, JSON.stringify(lc.body));
    assert.equal(lc.body.customers[0].notToExceed, '50.00');
    const removed = await api.patch(`/contract-lines/${line.id}/customers/${customerId}`, {
      notToExceed: null,
    });
    assert.equal(removed.body.customers[0].notToExceed, null);
    assert.deepEqual(await changesOf('LineCustomer', line.customers[0].id), [
      ['changeLineCustomer', 'notToExceed', null, '50.00'],
      ['changeLineCustomer', 'notToExceed', '50.00', null],
    ]);
    const elsewhere = await api.patch(`/contracts/${contract.id}/customers/999999999`, {
      notToExceed: '1',
    });
    assert.equal(elsewhere.status, 404);
  });

  it('R90: a line changes name, limit, classes, schedule and split while nothing is allocated', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const [a, b] = contract.customerIds;
    const line = await buildLine(api, contract.id);
    const res = await api.patch(`/contract-lines/${line.id}`, {
      name: 'Advisory',
      notToExceed: '900.00',
      transactionClasses: ['Time', 'Expense'],
      invoiceSchedule: [{ runDate: '2026-05-01' }],
      customers: [
        { customerId: a, billingSplitPercent: '30' },
        { customerId: b, billingSplitPercent: '70', isRounding: true },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, 'Advisory');
    assert.equal(res.body.notToExceed, '900.00');
    assert.deepEqual(res.body.transactionClasses, ['Time', 'Expense']);
    assert.deepEqual(res.body.invoiceSchedule, [
      { runDate: '2026-05-01', cutoffDate: '2026-04-30' },
    ]);
    assert.deepEqual(
      res.body.customers.map((c: any) => [c.customerId, c.billingSplitPercent, c.isRounding]),
      [
        [a, '30.00', false],
        [b, '70.00', true],
      ],
    );
    const fields = (await changesOf('ContractLine', line.id)).map((c: any[]) => c[1]);
    assert.deepEqual(fields.sort(), [
      'customers',
      'invoiceSchedule',
      'name',
      'notToExceed',
      'transactionClasses',
    ]);
  });

  it('R90: split percentages that do not sum to 100 are refused by field and change nothing', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const [a, b] = contract.customerIds;
    const line = await buildLine(api, contract.id);
    const res = await api.patch(`/contract-lines/${line.id}`, {
      name: 'Should not stick',
      customers: [
        { customerId: a, billingSplitPercent: '40' },
        { customerId: b, billingSplitPercent: '50' },
      ],
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.ok(fieldsOf(res.body).includes('customers'), JSON.stringify(res.body));
    const now = await api.get(`/contracts/${contract.id}`);
    assert.equal(now.body.lines[0].name, line.name);
    assert.deepEqual(
      now.body.lines[0].customers.map((c: any) => c.billingSplitPercent),
      ['50.00', '50.00'],
    );
    assert.deepEqual(await changesOf('ContractLine', line.id), []);
  });

  it('R90: a split change on a line with actuals is a CONFLICT and changes nothing', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const [a, b] = contract.customerIds;
    const line = await buildLine(api, contract.id);
    await approvedActuals(api, line.id, { quantity: '1', unitPrice: '10.00' });
    const res = await api.patch(`/contract-lines/${line.id}`, {
      name: 'Should not stick',
      customers: [
        { customerId: a, billingSplitPercent: '60' },
        { customerId: b, billingSplitPercent: '40' },
      ],
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'CONFLICT');
    assert.deepEqual(fieldsOf(res.body), ['customers']);
    const now = await api.get(`/contracts/${contract.id}`);
    assert.equal(now.body.lines[0].name, line.name);
    assert.deepEqual(await changesOf('ContractLine', line.id), []);
  });

  it('R44/R90: a contracted amount below the milestones is refused; at their sum it is taken', async () => {
    const contract = await buildContract(api);
    const line = await buildFixedPriceLine(api, contract.id, '1000.00');
    await buildMilestone(api, line.id, { amount: '400.00' });
    await buildMilestone(api, line.id, { amount: '200.00' });
    const below = await api.patch(`/contract-lines/${line.id}`, { contractedAmount: '599.99' });
    assert.equal(below.status, 422);
    assert.deepEqual(fieldsOf(below.body), ['contractedAmount']);
    assert.match(below.body.errors[0].message, /600\.00/);
    const removed = await api.patch(`/contract-lines/${line.id}`, { contractedAmount: null });
    assert.deepEqual(fieldsOf(removed.body), ['contractedAmount']);
    const unchanged = await api.get(`/contracts/${contract.id}`);
    assert.equal(unchanged.body.lines[0].contractedAmount, '1000.00');
    const exact = await api.patch(`/contract-lines/${line.id}`, { contractedAmount: '600' });
    assert.equal(exact.status, 200);
    assert.equal(exact.body.contractedAmount, '600.00');
  });

  it('R20/R90: a limit on a fixed-price line, and bad fields, are refused by name', async () => {
    const contract = await buildContract(api);
    const line = await buildFixedPriceLine(api, contract.id);
    const fp = await api.patch(`/contract-lines/${line.id}`, { notToExceed: '10.00' });
    assert.equal(fp.status, 422);
    assert.deepEqual(fieldsOf(fp.body), ['notToExceed']);
    const bad = await api.patch(`/contract-lines/${line.id}`, {
      name: '',
      transactionClasses: ['Time', 'Nonsense'],
      contractedAmount: '-1',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(bad.body), ['contractedAmount', 'name', 'transactionClasses.1']);
    const empty = await api.patch(`/contracts/${contract.id}`, {});
    assert.equal(empty.status, 400);
    const unknown = await api.patch(`/contracts/${contract.id}`, { currency: 'EUR' });
    assert.equal(unknown.status, 400);
    const cents = await api.patch(`/contracts/${contract.id}`, { notToExceed: '1.005' });
    assert.equal(cents.status, 422);
    assert.deepEqual(fieldsOf(cents.body), ['notToExceed']);
    assert.equal((await api.patch('/contracts/999999999', { name: 'x' })).status, 404);
    assert.equal((await api.patch('/contract-lines/abc', { name: 'x' })).status, 404);
  });

  it('R90: only an admin may change the setup', async () => {
    const contract = await buildContract(api);
    const token = (await api.post('/tokens', { name: 'a biller', role: 'biller' })).body.token;
    const res = await api.request(
      'PATCH',
      `/contracts/${contract.id}`,
      { name: 'nope' },
      { authorization: `Bearer ${token}` },
    );
    assert.equal(res.status, 403);
  });
});

describe(`audit filters for the audit page [${TARGET}]`, () => {
  it('filters by action, actor and contract, newest first with order=desc', async () => {
    const contract = await buildContract(api);
    await api.patch(`/contracts/${contract.id}`, { name: 'First rename' });
    await api.patch(`/contracts/${contract.id}`, { name: 'Second rename' });
    const res = await api.get(
      `/audit-events?action=changeContract&actor=admin-token&contractId=${contract.id}&order=desc`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.items.map((e: any) => [e.field, e.to]),
      [
        ['name', 'Second rename'],
        ['name', 'First rename'],
      ],
    );
    const page1 = await api.get(`/audit-events?contractId=${contract.id}&order=desc&limit=1`);
    const page2 = await api.get(
      `/audit-events?contractId=${contract.id}&order=desc&limit=1&cursor=${page1.body.nextCursor}`,
    );
    assert.equal(page2.body.items[0].to, 'First rename');
    const nobody = await api.get(`/audit-events?contractId=not-an-id`);
    assert.deepEqual(nobody.body.items, []);
  });
});

describe(`GET /me [${TARGET}]`, () => {
  it('answers the caller: a stored token by id and name, the ADMIN_TOKEN by its name', async () => {
    const created = (await api.post('/tokens', { name: 'Pat the viewer', role: 'viewer' })).body;
    const me = await api.get('/me', created.token);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { tokenId: created.id, name: 'Pat the viewer', role: 'viewer' });
    const admin = await api.get('/me');
    assert.deepEqual(admin.body, { tokenId: null, name: 'ADMIN_TOKEN', role: 'admin' });
    assert.equal((await api.get('/me', 'not-a-token')).status, 401);
  });
});

describe(`R90 with R72/R75: contract terms and a line's tax code [${TARGET}]`, () => {
  it('R90/R75: purchase order, buyer reference and terms change, are audited, and a later draft takes them', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const res = await api.patch(`/contracts/${contract.id}`, {
      purchaseOrder: 'PO-77',
      buyerReference: 'BR-9',
      paymentTermsDays: 14,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.purchaseOrder, 'PO-77');
    assert.equal(res.body.paymentTermsDays, 14);
    assert.deepEqual(await changesOf('Contract', contract.id), [
      ['changeContract', 'purchaseOrder', null, 'PO-77'],
      ['changeContract', 'buyerReference', null, 'BR-9'],
      ['changeContract', 'paymentTermsDays', null, '14'],
    ]);

    await markReady(api, 'time-and-material', await approvedActuals(api, line.id));
    const [draft] = await buildDrafts(api, contract.id, { invoiceDate: '2026-12-01' });
    assert.equal(draft.purchaseOrder, 'PO-77');
    assert.equal(draft.buyerReference, 'BR-9');
    assert.equal(draft.dueDate, '2026-12-15');

    const removed = await api.patch(`/contracts/${contract.id}`, { purchaseOrder: null });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.purchaseOrder, null);
  });

  it("R90/R72: a line's tax code changes (drafts made later take it); an unknown code is named and changes nothing", async () => {
    const code = await api.post('/tax-codes', {
      code: `S19-${TARGET}`,
      name: 'Standard',
      category: 'S',
      rate: '19',
    });
    assert.equal(code.status, 201, JSON.stringify(code.body));
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);

    const unknown = await api.patch(`/contract-lines/${line.id}`, {
      taxCodeId: '999999999',
      name: 'Not applied',
    });
    assert.ok(unknown.status >= 400 && unknown.status < 500, JSON.stringify(unknown.body));
    assert.deepEqual(fieldsOf(unknown.body), ['taxCodeId']);
    const unchanged = await api.get(`/contracts/${contract.id}`);
    const lineNow = unchanged.body.lines.find((l: any) => l.id === line.id);
    assert.equal(lineNow.name, line.name);
    assert.equal(lineNow.taxCodeId, null);

    const set = await api.patch(`/contract-lines/${line.id}`, { taxCodeId: code.body.id });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(await changesOf('ContractLine', line.id), [
      ['changeContractLine', 'taxCodeId', null, code.body.id],
    ]);
    await markReady(api, 'time-and-material', await approvedActuals(api, line.id));
    const [draft] = await buildDrafts(api, contract.id);
    const detail = draft.lines[0].details[0];
    assert.equal(detail.taxCode, `S19-${TARGET}`);
    assert.equal(detail.taxRate, '19.00');
  });
});
