import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildLine, submitEntry } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { allDetails, confirm, createInvoices, ledger } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const cents = (xs: string[]) => xs.reduce((a, x) => a + BigInt(x.replace('.', '')), 0n);

/** An entry of 8 h × 200.00 over two customers, approved, invoiced and confirmed. */
async function postedEntry() {
  const contract = await buildContract(api, { percents: ['50', '50'] });
  const line = await buildLine(api, contract.id);
  const entryId = await submitEntry(api, line.id, { quantity: '8', unitPrice: '200.00' });
  const approved = await api.post(`/entries/${entryId}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const ids = approved.body.actuals.map((a: any) => a.id);
  const marked = await api.post('/backlog/time-and-material/mark-ready', { ids });
  assert.ok(marked.body.results.every((r: any) => r.ok));
  const drafts = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' });
  assert.equal(drafts.length, 2);
  const invoices = [];
  for (const d of drafts) invoices.push(await confirm(api, d.id));
  return { contract, line, entryId, invoices };
}

/** Corrects each invoice (all details, or the given quantity) and confirms the correction. */
async function credit(invoices: any[], quantity?: string) {
  for (const invoice of invoices) {
    const body =
      quantity === undefined
        ? {}
        : { details: allDetails(invoice).map((d: any) => ({ detailId: d.id, quantity })) };
    const draft = await api.post(`/invoices/${invoice.id}/corrections`, body);
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    await confirm(api, draft.body.id);
  }
}

const entryLedger = async (contractId: string, entryId: string) =>
  (await ledger(api, `contractId=${contractId}`)).filter((r: any) => r.entryId === entryId);

describe(`R15: cancelling an approval after a full credit [${TARGET}]`, () => {
  it('R15: approve → invoice → confirm → full correction → confirm: cancelling succeeds and the ledger nets to zero', async () => {
    const { contract, entryId, invoices } = await postedEntry();
    const refused = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(refused.status, 409, 'posted and not credited');
    assert.equal(refused.body.code, 'INVALID_TRANSITION');
    await credit(invoices);
    const before = await entryLedger(contract.id, entryId);
    const returned = before.filter(
      (r: any) => r.type === 'UnbilledSales' && !r.reversesId && r.invoiceId == null,
    );
    const res = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'Cancelled');
    const rows = await entryLedger(contract.id, entryId);
    for (const type of ['UnbilledSales', 'BilledSales']) {
      const of = rows.filter((r: any) => r.type === type);
      assert.equal(cents(of.map((r: any) => r.amount)), 0n, `${type} nets to zero`);
      assert.equal(cents(of.map((r: any) => r.quantity)), 0n, `${type} quantities net to zero`);
    }
    // The returned actuals were reversed and left the backlog.
    const reversals = rows.filter(
      (r: any) => r.reversesId && returned.some((x: any) => x.id === r.reversesId),
    );
    assert.equal(reversals.length, returned.length);
    const backlog = await api.get(`/backlog/time-and-material?contractId=${contract.id}&limit=500`);
    assert.deepEqual(backlog.body.items, []);
    const events = (await api.get(`/audit-events?entityId=${entryId}&entityType=Entry`)).body.items;
    assert.deepEqual(events.at(-1) && [events.at(-1).from, events.at(-1).to], [
      'Approved',
      'Cancelled',
    ]);
    const again = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(again.status, 409);
    // The ledger's invariants (a cancelled entry keeps no live actual, reversals mirror
    // their rows, the ledger nets to the backlog) hold.
    assert.deepEqual(await checkInvariants(api.database.db), []);
  });

  it('R15: after a partial credit cancelling is still refused, naming what is still billed', async () => {
    const { contract, entryId, invoices } = await postedEntry();
    await credit(invoices, '3');
    const before = await ledger(api, `contractId=${contract.id}`);
    const res = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_TRANSITION');
    assert.match(res.body.detail, /not fully credited/);
    assert.match(res.body.detail, /600\.00 still billed/);
    assert.equal((await ledger(api, `contractId=${contract.id}`)).length, before.length);
    assert.equal((await api.get(`/entries/${entryId}`)).body.status, 'Approved');
  });

  it('R15: credited in two corrections that together credit everything, cancelling succeeds', async () => {
    const { contract, entryId, invoices } = await postedEntry();
    await credit(invoices, '3');
    await credit(invoices, '0');
    const res = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const rows = await entryLedger(contract.id, entryId);
    assert.equal(cents(rows.map((r: any) => r.amount)), 0n);
  });

  it('R15: a correction still on a draft does not count: refused', async () => {
    const { entryId, invoices } = await postedEntry();
    for (const invoice of invoices) await api.post(`/invoices/${invoice.id}/corrections`, {});
    const res = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(res.status, 409);
    assert.match(res.body.detail, /not fully credited/);
  });

  it('R15: a returned actual on a draft invoice refuses the cancel', async () => {
    const { contract, entryId, invoices } = await postedEntry();
    await credit(invoices);
    const returned = (await entryLedger(contract.id, entryId)).filter(
      (r: any) => r.type === 'UnbilledSales' && !r.reversesId && r.invoiceId == null,
    );
    const open = (
      await api.get(`/backlog/time-and-material?contractId=${contract.id}&limit=500`)
    ).body.items.map((r: any) => r.id);
    assert.ok(open.length > 0, 'the credit returned actuals to the backlog');
    const marked = await api.post('/backlog/time-and-material/mark-ready', { ids: open });
    assert.ok(
      marked.body.results.every((r: any) => r.ok),
      JSON.stringify(marked.body),
    );
    const drafts = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-12-31',
    });
    assert.ok(drafts.length > 0);
    const before = await ledger(api, `contractId=${contract.id}`);
    const res = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_TRANSITION');
    assert.match(res.body.detail, /on a draft invoice/);
    assert.equal((await ledger(api, `contractId=${contract.id}`)).length, before.length);
    assert.ok(returned.length > 0);
  });

  it('R13: an actual on a draft refuses the cancel, as before', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    const approved = await api.post(`/entries/${entryId}/approve`, {});
    await api.post('/backlog/time-and-material/mark-ready', {
      ids: approved.body.actuals.map((a: any) => a.id),
    });
    await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-12-31' });
    const res = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'INVALID_TRANSITION');
    assert.equal((await api.get(`/entries/${entryId}`)).body.status, 'Approved');
  });

  it('R16: cancelling the approval of an unknown entry is 404, of a Submitted or Rejected one 409', async () => {
    const unknown = await api.post('/entries/987654321/cancel-approval');
    assert.equal(unknown.status, 404);
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const submitted = await submitEntry(api, line.id);
    assert.equal((await api.post(`/entries/${submitted}/cancel-approval`)).status, 409);
    await api.post(`/entries/${submitted}/reject`, { reason: 'no' });
    assert.equal((await api.post(`/entries/${submitted}/cancel-approval`)).status, 409);
  });
});
