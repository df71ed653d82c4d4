import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildFixedPriceLine, buildMilestone } from '../support/factories.js';
import { allDetails, confirm, createInvoices } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

/** A fixed-price line of two customers (50/50) with a ready milestone of 1000.00. */
async function readyMilestone(date = '2026-03-31') {
  const contract = await buildContract(api, { percents: ['50', '50'] });
  const line = await buildFixedPriceLine(api, contract.id, '5000.00');
  const milestone = await buildMilestone(api, line.id, {
    name: 'Design',
    date,
    amount: '1000.00',
    ready: true,
  });
  return { contract, line, milestone, splits: milestone.splits };
}

const milestone = async (id: string) => (await api.get(`/milestones/${id}`)).body;

describe(`invoices: milestone splits [${TARGET}]`, () => {
  it('R60 / R32: ready milestone splits go on one draft per customer and become CustomerInvoiceCreated', async () => {
    const { contract, line, milestone: m, splits } = await readyMilestone();
    const invoices = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-04-01',
    });
    assert.equal(invoices.length, 2);
    const detail = allDetails(invoices[0])[0];
    assert.deepEqual(
      [
        detail.sourceType,
        detail.sourceId,
        detail.quantity,
        detail.unitPrice,
        detail.amount,
        detail.billingType,
      ],
      ['MilestoneSplit', splits[0].id, '1.00', '500.00', '500.00', 'Chargeable'],
    );
    assert.equal(invoices[0].lines[0].contractLineId, line.id);
    assert.equal(invoices[0].total, '500.00');
    const after = await milestone(m.id);
    assert.deepEqual(
      after.splits.map((s: any) => s.billingStatus),
      ['CustomerInvoiceCreated', 'CustomerInvoiceCreated'],
    );
    const view = await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}`);
    assert.deepEqual(
      view.body.items.map((r: any) => r.invoiceId).sort(),
      invoices.map((i: any) => i.id).sort(),
    );
  });

  it('R60: a split dated after the invoice date is not taken', async () => {
    const { contract } = await readyMilestone('2026-06-30');
    assert.deepEqual(
      await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-06-29' }),
      [],
    );
  });

  it("R62: a milestone detail's amount may not change; removing it returns the split to ReadyToInvoice", async () => {
    const { contract, milestone: m } = await readyMilestone();
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-04-01' });
    const detail = allDetails(inv)[0];
    const res = await api.patch(`/invoices/${inv.id}/details/${detail.id}`, { quantity: '0.5' });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.deepEqual((await api.get(`/invoices/${inv.id}`)).body, inv);
    await api.del(`/invoices/${inv.id}/details/${detail.id}`);
    assert.equal((await milestone(m.id)).splits[0].billingStatus, 'ReadyToInvoice');
  });

  it('R63 / R65: confirm posts the split; a correction credits it only in full and returns it to ReadyToInvoice', async () => {
    const { contract, milestone: m } = await readyMilestone();
    const [inv] = await createInvoices(api, {
      contractId: contract.id,
      customerIds: [contract.customerIds[0]],
      invoiceDate: '2026-04-01',
    });
    const confirmed = await confirm(api, inv.id);
    assert.equal((await milestone(m.id)).splits[0].billingStatus, 'CustomerInvoicePosted');
    const detail = allDetails(confirmed)[0];
    const partial = await api.post(`/invoices/${inv.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '0.5' }],
    });
    assert.equal(partial.status, 422);
    assert.equal(partial.body.errors[0].field, 'details.0.quantity');
    const full = await api.post(`/invoices/${inv.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '0' }],
    });
    assert.equal(full.status, 201);
    assert.equal(full.body.total, '-500.00');
    await confirm(api, full.body.id);
    assert.equal((await milestone(m.id)).splits[0].billingStatus, 'ReadyToInvoice');
    // released: it can be invoiced again
    const [again] = await createInvoices(api, {
      contractId: contract.id,
      customerIds: [contract.customerIds[0]],
      invoiceDate: '2026-04-01',
    });
    assert.equal(allDetails(again)[0].sourceId, m.splits[0].id);
  });

  it('R66: a run takes every ready milestone split dated on or before the run date', async () => {
    const { contract } = await readyMilestone('2027-09-15');
    const res = await api.post('/invoice-runs', { runDate: '2027-09-15' });
    assert.equal(res.status, 201);
    const mine = res.body.invoices.filter((i: any) => i.contractId === contract.id);
    assert.equal(mine.length, 2);
    assert.equal(mine[0].invoiceDate, '2027-09-15');
    assert.equal(allDetails(mine[0])[0].sourceType, 'MilestoneSplit');
  });
});
