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
    const audit = await api.get(
      `/audit-events?entityType=Actual&entityId=${res.body.actuals[0].id}`,
    );
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
    assert.deepEqual(nte((await approvedActuals(api, both.id, over))[0]), [
      'Failed',
      'LineCustomer',
    ]);
    assert.deepEqual(nte((await approvedActuals(api, lineOnly.id, over))[0]), [
      'Failed',
      'ContractLine',
    ]);
    assert.deepEqual(nte((await approvedActuals(api, none.id, over))[0]), [
      'Failed',
      'ContractCustomer',
    ]);
    const contractOnly = await buildContract(api, { notToExceed: '10.00' });
    const plain = await buildLine(api, contractOnly.id);
    assert.deepEqual(nte((await approvedActuals(api, plain.id, over))[0]), ['Failed', 'Contract']);
  });

  it('R22: non-chargeable actuals and actuals without any limit are NotApplicable', async () => {
    const { line } = await cappedLine('1000.00');
    const actuals = await approvedActuals(api, line.id, {
      quantity: '8',
      unitPrice: '100.00',
      billableQuantity: '6',
    });
    assert.deepEqual(actuals.map((a) => [a.billingType, a.nteStatus]).sort(), [
      ['Chargeable', 'Committed'],
      ['NonChargeable', 'NotApplicable'],
    ]);
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
    assert.equal(
      (await api.post(`/entries/${entryId}/approve`, {})).body.actuals[0].nteStatus,
      'Committed',
    );
    assert.equal(
      (await approvedActuals(api, line.id, { quantity: '1', unitPrice: '1.00' }))[0].nteStatus,
      'Failed',
    );
    assert.equal((await api.post(`/entries/${entryId}/cancel-approval`)).status, 200);
    assert.equal(
      (await approvedActuals(api, line.id, { quantity: '1', unitPrice: '100.00' }))[0].nteStatus,
      'Committed',
    );
  });

  it('R21: committed counts rows on a draft but not posted ones; invoiced counts chargeable BilledSales incl. credits', async () => {
    const { contract, line } = await cappedLine('100.00');
    const [a] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '60.00' });
    const db = api.database.db;
    // The invoicing module's part, done here as it does it: a on a draft, then posted with
    // its BilledSales row written.
    await sql`UPDATE actuals SET billing_status = 'CustomerInvoiceCreated' WHERE id = ${a.id}`.execute(
      db,
    );
    assert.equal(
      (await approvedActuals(api, line.id, { quantity: '1', unitPrice: '40.01' }))[0].nteStatus,
      'Failed',
    );
    await sql`UPDATE actuals SET billing_status = 'CustomerInvoicePosted' WHERE id = ${a.id}`.execute(
      db,
    );
    const billed = (amount: string) =>
      sql`
      INSERT INTO actuals (contract_id, type, contract_line_id, line_customer_id, customer_id,
        transaction_class, date, quantity, unit_price, amount, billing_type)
      SELECT contract_id, 'BilledSales', contract_line_id, line_customer_id, customer_id,
        transaction_class, date, quantity, unit_price, ${amount}, 'Chargeable'
      FROM actuals WHERE id = ${a.id}`.execute(db);
    await billed('6000');
    assert.equal(
      (await approvedActuals(api, line.id, { quantity: '1', unitPrice: '40.01' }))[0].nteStatus,
      'Failed',
    );
    // A credit of 10.00 on a correction frees 10.00.
    await billed('-1000');
    assert.equal(
      (await approvedActuals(api, line.id, { quantity: '1', unitPrice: '40.01' }))[0].nteStatus,
      'Committed',
    );
    const usage = await api.get(`/contracts/${contract.id}`);
    assert.deepEqual(usage.body.nteUsage, {
      limit: '100.00',
      invoiced: '50.00',
      committed: '40.01',
      headroom: '9.99',
    });
  });

  it('R20/R21: the contract shows NTE usage at every level that has a limit', async () => {
    const contract = await buildContract(api, {
      percents: ['50', '50'],
      notToExceed: '1000.00',
      customerNte: ['400.00', undefined],
    });
    const [c0, c1] = contract.customerIds;
    assert.deepEqual(contract.body.nteUsage, {
      limit: '1000.00',
      invoiced: '0.00',
      committed: '0.00',
      headroom: '1000.00',
    });
    const line = await buildLine(api, contract.id, {
      notToExceed: '300.00',
      customers: [
        { customerId: c0, billingSplitPercent: '50', notToExceed: '120.00' },
        { customerId: c1, billingSplitPercent: '50' },
      ],
    });
    assert.deepEqual(line.nteUsage, {
      limit: '300.00',
      invoiced: '0.00',
      committed: '0.00',
      headroom: '300.00',
    });
    await approvedActuals(api, line.id, { quantity: '1', unitPrice: '200.00' }); // 100 + 100, both fit
    await approvedActuals(api, line.id, { quantity: '1', unitPrice: '60.00' }); // c0 30 fails at 120; c1 30 fits
    const res = await api.get(`/contracts/${contract.id}`);
    const usage = (limit: string, committed: string, headroom: string) => ({
      limit,
      invoiced: '0.00',
      committed,
      headroom,
    });
    assert.deepEqual(res.body.nteUsage, usage('1000.00', '230.00', '770.00'));
    const customers = Object.fromEntries(
      res.body.customers.map((c: any) => [c.customerId, c.nteUsage]),
    );
    assert.deepEqual(customers, { [c0!]: usage('400.00', '100.00', '300.00'), [c1!]: null });
    const shown = res.body.lines.find((l: any) => l.id === line.id);
    assert.deepEqual(shown.nteUsage, usage('300.00', '230.00', '70.00'));
    assert.deepEqual(
      shown.customers.map((lc: any) => lc.nteUsage),
      [usage('120.00', '100.00', '20.00'), null],
    );
    const listed = await api.get(`/contracts?customerId=${c0}`);
    assert.deepEqual(listed.body.items[0].nteUsage, res.body.nteUsage);
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
    assert.deepEqual(notReady.body.results, [
      { id: bad.id, ok: true, status: 'NotReadyToInvoice' },
    ]);
  });
});

describe(`reset and re-evaluate NTE [${TARGET}]`, () => {
  const row = async (contractId: string, id: string) => {
    const res = await api.get(`${TM}?contractId=${contractId}&limit=500`);
    return res.body.items.find((r: any) => r.id === id);
  };

  it('R25/R26: reset releases the cap, re-evaluating the failed one first hands it the cap', async () => {
    const { contract, line } = await cappedLine('100.00');
    const [a] = await approvedActuals(api, line.id, {
      date: '2026-03-01',
      quantity: '1',
      unitPrice: '100.00',
    });
    const [b] = await approvedActuals(api, line.id, {
      date: '2026-03-02',
      quantity: '1',
      unitPrice: '100.00',
    });
    assert.deepEqual([a.nteStatus, b.nteStatus], ['Committed', 'Failed']);
    const reset = await api.post(`${TM}/reset-nte`, { ids: [a.id] });
    assert.deepEqual(reset.body.results, [{ id: a.id, ok: true, status: 'NotEvaluated' }]);
    const reB = await api.post(`${TM}/reevaluate-nte`, { ids: [b.id] });
    assert.deepEqual(reB.body.results, [{ id: b.id, ok: true, status: 'Committed' }]);
    const reA = await api.post(`${TM}/reevaluate-nte`, { ids: [a.id] });
    assert.deepEqual(
      reA.body.results,
      [{ id: a.id, ok: true, status: 'Failed' }],
      'a failed evaluation is a result',
    );
    assert.deepEqual(nte(await row(contract.id, a.id)), ['Failed', 'Contract']);
    assert.deepEqual(nte(await row(contract.id, b.id)), ['Committed', null]);
    const audit = await api.get(`/audit-events?entityType=Actual&entityId=${a.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['approveEntry', null, 'UnbilledSalesCreated'],
        ['assessNte', null, 'Committed'],
        ['resetNte', 'Committed', 'NotEvaluated'],
        ['reevaluateNte', 'NotEvaluated', 'Failed'],
      ],
    );
  });

  it('R26: one request evaluates in date order, answers in the order of the ids', async () => {
    const { contract, line } = await cappedLine('100.00');
    const [late] = await approvedActuals(api, line.id, {
      date: '2026-03-05',
      quantity: '1',
      unitPrice: '60.00',
    });
    const [early] = await approvedActuals(api, line.id, {
      date: '2026-03-01',
      quantity: '1',
      unitPrice: '60.00',
    });
    assert.deepEqual([late.nteStatus, early.nteStatus], ['Committed', 'Failed']);
    await api.post(`${TM}/reset-nte`, { ids: [late.id] });
    const res = await api.post(`${TM}/reevaluate-nte`, { ids: [late.id, early.id, late.id] });
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status]),
      [
        [late.id, true, 'Failed'],
        [early.id, true, 'Committed'],
        [late.id, true, 'Failed'],
      ],
    );
    assert.equal((await row(contract.id, early.id)).nteStatus, 'Committed');
  });

  it('R26: a committed actual is judged with its own amount excluded, so re-evaluating keeps it', async () => {
    const { line } = await cappedLine('100.00');
    const [a] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '100.00' });
    const res = await api.post(`${TM}/reevaluate-nte`, { ids: [a.id] });
    assert.deepEqual(res.body.results, [{ id: a.id, ok: true, status: 'Committed' }]);
    const again = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '0.01' });
    assert.equal(again[0].nteStatus, 'Failed', 'still counted exactly once');
  });

  it('R25/R26: non-chargeable, NotApplicable and invoiced rows are skipped, unknown ids NOT_FOUND, order kept', async () => {
    const { contract, line } = await cappedLine('10000.00');
    const [charge, nonCharge] = await approvedActuals(api, line.id, {
      quantity: '2',
      unitPrice: '10.00',
      billableQuantity: '1',
    });
    assert.equal(nonCharge.billingType, 'NonChargeable');
    const [onDraft] = await approvedActuals(api, line.id);
    await sql`UPDATE actuals SET billing_status = 'CustomerInvoiceCreated' WHERE id = ${onDraft.id}`.execute(
      api.database.db,
    );
    const free = await buildContract(api);
    const [unlimited] = await approvedActuals(api, (await buildLine(api, free.id)).id);
    const ids = [
      nonCharge.id,
      'nope',
      charge.id,
      unlimited.id,
      onDraft.id,
      charge.id,
      '9999999999',
    ];
    const reset = await api.post(`${TM}/reset-nte`, { ids });
    assert.equal(reset.status, 200);
    const shape = (r: any) => [r.id, r.ok, r.skipped ?? false, r.status ?? r.code];
    assert.deepEqual(reset.body.results.map(shape), [
      [nonCharge.id, true, true, 'NotApplicable'],
      ['nope', false, false, 'NOT_FOUND'],
      [charge.id, true, false, 'NotEvaluated'],
      [unlimited.id, true, true, 'NotApplicable'],
      [onDraft.id, true, true, 'Committed'],
      [charge.id, true, false, 'NotEvaluated'],
      ['9999999999', false, false, 'NOT_FOUND'],
    ]);
    // Reset again: NotEvaluated is not a status reset takes, so it is skipped too.
    const twice = await api.post(`${TM}/reset-nte`, { ids: [charge.id] });
    assert.deepEqual(twice.body.results.map(shape), [[charge.id, true, true, 'NotEvaluated']]);
    const re = await api.post(`${TM}/reevaluate-nte`, { ids });
    assert.deepEqual(re.body.results.map(shape), [
      [nonCharge.id, true, true, 'NotApplicable'],
      ['nope', false, false, 'NOT_FOUND'],
      [charge.id, true, false, 'Committed'],
      [unlimited.id, true, true, 'NotApplicable'],
      [onDraft.id, true, true, 'Committed'],
      [charge.id, true, false, 'Committed'],
      ['9999999999', false, false, 'NOT_FOUND'],
    ]);
    const skippedOne = re.body.results[0];
    assert.equal(typeof skippedOne.message, 'string');
    assert.equal(
      (await row(contract.id, onDraft.id)).nteStatus,
      'Committed',
      'a row on a draft keeps its NTE',
    );
  });

  it('R26/R28: a ready item that fails re-evaluation goes back to NotReadyToInvoice', async () => {
    const { contract, line } = await cappedLine('100.00');
    const [a] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '100.00' });
    await api.post(`${TM}/mark-ready`, { ids: [a.id] });
    // A lower limit (the setup changed since the approval) applies from the next evaluation.
    await sql`UPDATE contracts SET nte_limit = 5000 WHERE id = ${contract.id}`.execute(
      api.database.db,
    );
    assert.equal((await row(contract.id, a.id)).billingStatus, 'ReadyToInvoice');
    const res = await api.post(`${TM}/reevaluate-nte`, { ids: [a.id] });
    assert.deepEqual(res.body.results, [{ id: a.id, ok: true, status: 'Failed' }]);
    const after = await row(contract.id, a.id);
    assert.deepEqual([after.billingStatus, after.nteStatus], ['NotReadyToInvoice', 'Failed']);
    const ready = await api.post(`${TM}/mark-ready`, { ids: [a.id] });
    assert.equal(ready.body.results[0].code, 'NTE_FAILED');
  });

  it('R25/R26: ids must be a non-empty array of strings; a status in the body is STATUS_READ_ONLY', async () => {
    for (const path of ['reset-nte', 'reevaluate-nte']) {
      for (const body of [{}, { ids: [] }, { ids: 'a' }, { ids: [7] }]) {
        const res = await api.post(`${TM}/${path}`, body);
        assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
      }
      const res = await api.post(`${TM}/${path}`, { ids: ['1'], nteStatus: 'Committed' });
      assert.equal(res.body.code, 'STATUS_READ_ONLY');
    }
  });

  it('§5: reset and re-evaluate accept 10,000 ids in one request', async () => {
    const { line } = await cappedLine('100.00');
    const [a] = await approvedActuals(api, line.id, { quantity: '1', unitPrice: '100.00' });
    const ids = Array.from({ length: 10_000 }, (_, i) =>
      i === 7000 ? a.id : String(800_000_000 + i),
    );
    for (const [path, status] of [
      ['reset-nte', 'NotEvaluated'],
      ['reevaluate-nte', 'Committed'],
    ]) {
      const res = await api.post(`${TM}/${path}`, { ids });
      assert.equal(res.status, 200);
      assert.equal(res.body.results.length, 10_000);
      assert.deepEqual(res.body.results[7000], { id: a.id, ok: true, status });
      assert.equal(res.body.results.filter((r: any) => r.code === 'NOT_FOUND').length, 9_999);
    }
  });
});
