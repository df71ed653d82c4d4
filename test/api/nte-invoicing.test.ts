import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { approvedActuals, buildContract, buildDrafts, buildLine } from '../support/factories.js';
import { allDetails, billingStatusOf, confirm, readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const post = async (path: string, body: unknown) => {
  const res = await api.post(path, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.results as any[];
};

/** A T&M line with an NTE of 1,000.00 for one customer, at 200.00 an hour. */
async function cappedLine() {
  const contract = await buildContract(api);
  const line = await buildLine(api, contract.id, { notToExceed: '1000.00' });
  return { contract, line };
}

describe(`caps that hold on every path (R28, R29) [${TARGET}]`, () => {
  it('R28: a reset actual cannot be marked ready (NTE_NOT_EVALUATED), so a reset cannot bill past the cap', async () => {
    const { contract, line } = await cappedLine();
    const [first] = await approvedActuals(api, line.id, { quantity: '4' });
    assert.equal(first.nteStatus, 'Committed');
    const [reset] = await post('/backlog/time-and-material/reset-nte', { ids: [first.id] });
    assert.equal(reset.status, 'NotEvaluated');
    const [second] = await approvedActuals(api, line.id, { quantity: '4' });
    assert.equal(second.nteStatus, 'Committed');

    const results = await post('/backlog/time-and-material/mark-ready', {
      ids: [first.id, second.id],
    });
    assert.deepEqual(
      results.map((r) => [r.id, r.ok, r.code ?? r.status]),
      [
        [first.id, false, 'NTE_NOT_EVALUATED'],
        [second.id, true, 'ReadyToInvoice'],
      ],
    );
    const drafts = await buildDrafts(api, contract.id);
    assert.deepEqual(
      allDetails(drafts[0]).map((d: any) => d.sourceId),
      [second.id],
    );
    const invoice = await confirm(api, drafts[0].id);
    assert.equal(invoice.total, '800.00');

    // Re-evaluated, the first no longer fits: it stays out of the backlog's ready items.
    const [again] = await post('/backlog/time-and-material/reevaluate-nte', { ids: [first.id] });
    assert.equal(again.status, 'Failed');
    const [refused] = await post('/backlog/time-and-material/mark-ready', { ids: [first.id] });
    assert.equal(refused.code, 'NTE_FAILED');
  });

  it('R28: resetting a ReadyToInvoice actual moves it to NotReadyToInvoice, audited', async () => {
    const { line } = await cappedLine();
    const [actual] = await readyActuals(api, line.id, { quantity: '1' });
    await post('/backlog/time-and-material/reset-nte', { ids: [actual.id] });
    assert.equal(await billingStatusOf(api, actual.id), 'NotReadyToInvoice');
    const audit = await api.get(`/audit-events?entityId=${actual.id}&entityType=Actual`);
    assert.ok(
      audit.body.items.some(
        (e: any) =>
          e.action === 'resetNte' && e.from === 'ReadyToInvoice' && e.to === 'NotReadyToInvoice',
      ),
      JSON.stringify(audit.body.items),
    );
  });

  it('R28: the database refuses a ready, drafted or posted actual that is NotEvaluated or Failed', async () => {
    const { line } = await cappedLine();
    const [actual] = await readyActuals(api, line.id, { quantity: '1' });
    for (const nte of ['NotEvaluated', 'Failed']) {
      const level = nte === 'Failed' ? 'ContractLine' : null;
      await assert.rejects(
        sql`UPDATE actuals SET nte_status = ${nte}, nte_failed_level = ${level} WHERE id = ${actual.id}`.execute(
          api.database.db,
        ),
        /actuals_invoiceable_only_when_checked/,
      );
    }
    assert.equal(await billingStatusOf(api, actual.id), 'ReadyToInvoice');
  });

  it('R29: raising a draft detail beyond the cap is refused with NTE_FAILED naming the level; nothing changes', async () => {
    const { contract, line } = await cappedLine();
    await readyActuals(api, line.id, { quantity: '4' });
    const [draft] = await buildDrafts(api, contract.id);
    const detail = allDetails(draft)[0];
    const res = await api.patch(`/invoices/${draft.id}/details/${detail.id}`, { quantity: '10' });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'NTE_FAILED');
    assert.match(res.body.detail, /ContractLine/);
    const after = (await api.get(`/invoices/${draft.id}`)).body;
    assert.equal(allDetails(after)[0].quantity, '4.00');
    assert.equal(after.total, '800.00');
  });

  it('R29: a raise within the cap counts as committed from then on; lowering is always allowed', async () => {
    const { contract, line } = await cappedLine();
    await readyActuals(api, line.id, { quantity: '4' });
    const [draft] = await buildDrafts(api, contract.id);
    const detail = allDetails(draft)[0];
    const up = await api.patch(`/invoices/${draft.id}/details/${detail.id}`, { quantity: '5' });
    assert.equal(up.status, 200, JSON.stringify(up.body));

    // 1,000.00 is now committed: nothing more fits under the cap.
    const [next] = await approvedActuals(api, line.id, { quantity: '0.5' });
    assert.equal(next.nteStatus, 'Failed');
    const down = await api.patch(`/invoices/${draft.id}/details/${detail.id}`, { quantity: '1' });
    assert.equal(down.status, 200, JSON.stringify(down.body));
    // Lowering releases only the raise: the actual itself still commits its 800.00.
    const [after] = await post('/backlog/time-and-material/reevaluate-nte', { ids: [next.id] });
    assert.equal(after.status, 'Committed');
    const invoice = await confirm(api, draft.id);
    assert.equal(invoice.total, '200.00');
  });

  it('R29: turning a NonChargeable detail Chargeable is checked against the cap', async () => {
    const { contract, line } = await cappedLine();
    // 4 h submitted, 0 billable: all NonChargeable; then 5 h chargeable fill the cap.
    await readyActuals(api, line.id, { quantity: '4', billableQuantity: '0' });
    await readyActuals(api, line.id, { quantity: '5' });
    const [draft] = await buildDrafts(api, contract.id);
    const free = allDetails(draft).find((d: any) => d.billingType === 'NonChargeable');
    const res = await api.patch(`/invoices/${draft.id}/details/${free.id}`, {
      billingType: 'Chargeable',
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'NTE_FAILED');
    const unchanged = (await api.get(`/invoices/${draft.id}`)).body;
    assert.equal(unchanged.total, '1000.00');
  });
});
