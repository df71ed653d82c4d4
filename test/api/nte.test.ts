import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { approvedActuals, buildContract, buildLine, submitEntry } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const TM = '/backlog/time-and-material';
const nte = (a: any) => [a.nteStatus, a.nteFailedLevel ?? null];

/** A one-customer T&M contract whose contract-level NTE is `limit`. */
async function cappedLine(limit: string, lineBody: Record<string, unknown> = {}) {
  const contract = await buildContract(api, { notToExceed: limit });
  const line = await buildLine(api, contract.id, lineBody);
  return { contract, line };
}

describe(`not-to-exceed on approval [${TARGET}]`, () => {
  it('R21: an actual that brings the contract exactly to its limit is Committed; one cent more Fails', async () => {
    const { line } = await cappedLine('1600.00');
    const [a] = await approvedActuals(api, line.id, { quantity: '8', unitPrice: '200.00' });
    assert.deepEqual(nte(a), ['Committed', null]);
    const [b] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '0.01' });
    assert.deepEqual(nte(b), ['Failed', 'Contract']);
  });

  it('R23: a Failed assessment never blocks the approval', async () => {
    const { line } = await cappedLine('0.00');
    const entryId = await submitEntry(api, line.id);
    const res = await api.post(`/entries/${entryId}/approve`, {});
    assert.equal(res.status, 200);
    assert.equal(res.body.entry.status, 'Approved');
    assert.deepEqual(nte(res.body.actuals[0]), ['Failed', 'Contract']);
    const audit = await api.get(`/audit-events?entityType=Actual&entityId=${res.body.actuals[0].id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['approveEntry', null, 'UnbilledSalesCreated'],
        ['assessNte', null, 'Failed'],
      ],
    );
  });

  it('R20: levels are checked line customer, contract line, contract customer, contract', async () => {
    const contract = await buildContract(api, { notToExceed: '10.00', customerNte: ['10.00'] });
    const [customerId] = contract.customerIds;
    const both = await buildLine(api, contract.id, {
      notToExceed: '10.00',
      customers: [{ customerId, billingSplitPercent: '100', notToExceed: '10.00' }],
    });
    const lineOnly = await buildLine(api, contract.id, {
      notToExceed: '10.00',
      customers: [{ customerId, billingSplitPercent: '100', notToExceed: '500.00' }],
    });
    const none = await buildLine(api, contract.id);
    const over = { quantity: '1', unitPrice: '10.01' };
    assert.deepEqual(nte((await approvedActuals(api, both.id, over))[0]), ['Failed', 'LineCustomer']);
    assert.deepEqual(nte((await approvedActuals(api, lineOnly.id, over))[0]), ['Failed', 'ContractLine']);
    assert.deepEqual(nte((await approvedActuals(api, none.id, over))[0]), ['Failed', 'ContractCustomer']);
    const contractOnly = await buildContract(api, { notToExceed: '10.00' });
    const plain = await buildLine(api, contractOnly.id);
    assert.deepEqual(nte((await approvedActuals(api, plain.id, over))[0]), ['Failed', 'Contract']);
  });

  it('R22: non-chargeable actuals and actuals without any limit are NotApplicable', async () => {
    const { line } = await cappedLine('1000.00');
    const actuals = await approvedActuals(api, line.id, { quantity: '8', unitPrice: '100.00', billableQuantity: '6' });
    assert.deepEqual(
      actuals.map((a) => [a.billingType, a.nteStatus]).sort(),
      [
        ['Chargeable', 'Committed'],
        ['NonChargeable', 'NotApplicable'],
      ],
    );
    const free = await buildContract(api);
    const freeLine = await buildLine(api, free.id);
    assert.equal((await approvedActuals(api, freeLine.id))[0].nteStatus, 'NotApplicable');
  });

  it('R21: the actuals of one approval are evaluated in order, each seeing the ones before', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'], notToExceed: '150.00' });
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, { quantity: '2', unitPrice: '100.00' });
    const byCustomer = Object.fromEntries(actuals.map((a) => [a.customerId, nte(a)]));
    assert.deepEqual(byCustomer, {
      [contract.customerIds[0]!]: ['Committed', null],
      [contract.customerIds[1]!]: ['Failed', 'Contract'],
    });
  });

  it('R21: cancelling an approval releases its committed amount', async () => {
    const { line } = await cappedLine('100.00');
    const entryId = await submitEntry(api, line.id, { quantity: '1', unitPrice: '100.00' });
    assert.equal((await api.post(`/entries/${entryId}/approve`, {})).body.actuals[0].nteStatus, 'Committed');
    assert.equal((await approvedActuals(api, line.id, { quantity: '1', unitPrice: '1.00' }))[0].nteStatus, 'Failed');
    assert.equal((await api.post(`/entries/${entryId}/cancel-approval`)).status, 200);
    assert.equal((await approvedActuals(api, line.id, { quantity: '1', unitPrice: '100.00' }))[0].nteStatus, 'Committed');
  });

  it('R21: committed counts rows on a draft but not posted ones; invoiced counts chargeable BilledSales incl. credits', async () => {
    const { contract, line } = await cappedLine('100.00');
    const [a] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '60.00' });
    const db = api.database.db;
    // The invoicing module's part, done here as it does it: a on a draft, then posted with
    // its BilledSales row written.
    await sql`UPDATE actuals SET billing_status = 'CustomerInvoiceCreated' WHERE id = ${a.id}`.execute(db);
    assert.equal((await approvedActuals(api, line.id, { quantity: '1', unitPrice: '40.01' }))[0].nteStatus, 'Failed');
    await sql`UPDATE actuals SET billing_status = 'CustomerInvoicePosted' WHERE id = ${a.id}`.execute(db);
    const billed = (amount: string) => sql`
      INSERT INTO actuals (contract_id, type, contract_line_id, line_customer_id, customer_id,
        transaction_class, date, quantity, unit_price, amount, billing_type)
      SELECT contract_id, 'BilledSales', contract_line_id, line_customer_id, customer_id,
        transaction_class, date, quantity, unit_price, ${amount}, 'Chargeable'
      FROM actuals WHERE id = ${a.id}`.execute(db);
    await billed('6000');
    assert.equal((await approvedActuals(api, line.id, { quantity: '1', unitPrice: '40.01' }))[0].nteStatus, 'Failed');
    // A credit of 10.00 on a correction frees 10.00.
    await billed('-1000');
    assert.equal((await approvedActuals(api, line.id, { quantity: '1', unitPrice: '40.01' }))[0].nteStatus, 'Committed');
    const usage = await api.get(`/contracts/${contract.id}`);
    assert.equal(usage.status, 200);
  });

  it('R24: a Failed actual cannot be marked ready (NTE_FAILED) while the others in the request succeed', async () => {
    const { line } = await cappedLine('100.00');
    const [ok] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '100.00' });
    const [bad] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '0.01' });
    assert.equal(bad.nteStatus, 'Failed');
    const res = await api.post(`${TM}/mark-ready`, { ids: [bad.id, ok.id] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [bad.id, false, 'NTE_FAILED'],
        [ok.id, true, 'ReadyToInvoice'],
      ],
    );
    const notReady = await api.post(`${TM}/mark-not-ready`, { ids: [bad.id] });
    assert.deepEqual(notReady.body.results, [{ id: bad.id, ok: true, status: 'NotReadyToInvoice' }]);
  });
});
