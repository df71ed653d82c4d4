import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import {
  approvedActuals,
  buildContract,
  buildLine,
  buildMilestone,
  buildRetainer,
} from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

describe(`one id space for backlog items [${TARGET}]`, () => {
  it('actuals, milestone splits and retainers never share an id, so itemIds picks exactly the items named', async () => {
    const contract = await buildContract(api);
    const tm = await buildLine(api, contract.id);
    const fixed = await buildLine(api, contract.id, {
      billingMethod: 'FixedPrice',
      contractedAmount: '3000.00',
    });
    const ids: { kind: string; id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const [actual] = await approvedActuals(api, tm.id, { date: '2026-03-02' });
      ids.push({ kind: 'actual', id: actual.id });
      const milestone = await buildMilestone(api, fixed.id, {
        name: `M${i}`,
        date: '2026-03-02',
        amount: '100.00',
      });
      ids.push({ kind: 'split', id: milestone.splits[0].id });
      const retainer = await buildRetainer(api, contract.id, contract.customerIds[0] as string, {
        kind: 'Advance',
        amount: '50.00',
        date: '2026-03-02',
      });
      ids.push({ kind: 'retainer', id: retainer.id });
    }
    assert.equal(new Set(ids.map((i) => i.id)).size, ids.length, JSON.stringify(ids));

    const split = ids.find((i) => i.kind === 'split')!;
    const actual = ids.find((i) => i.kind === 'actual')!;
    assert.equal(
      (await api.post('/backlog/fixed-price-milestones/mark-ready', { ids: [split.id] })).body
        .results[0].ok,
      true,
    );
    assert.equal(
      (await api.post('/backlog/time-and-material/mark-ready', { ids: [actual.id] })).body
        .results[0].ok,
      true,
    );
    const created = await api.post('/invoices', {
      contractId: contract.id,
      itemIds: [split.id],
      invoiceDate: '2026-12-31',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const details = created.body.invoices.flatMap((inv: any) =>
      inv.lines.flatMap((l: any) => l.details),
    );
    assert.deepEqual(
      details.map((d: any) => [d.sourceType, d.sourceId]),
      [['MilestoneSplit', split.id]],
    );
  });
});

describe(`T&M rows name their invoice [${TARGET}]`, () => {
  it('a row on a draft shows CustomerInvoiceCreated with its invoiceId; a row not on one has none', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [onDraft] = await approvedActuals(api, line.id, { date: '2026-03-02' });
    const [waiting] = await approvedActuals(api, line.id, { date: '2026-03-03' });
    await api.post('/backlog/time-and-material/mark-ready', { ids: [onDraft.id] });
    const created = await api.post('/invoices', {
      contractId: contract.id,
      invoiceDate: '2026-12-31',
    });
    const invoiceId = created.body.invoices[0].id;
    const view = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
    const rows = Object.fromEntries(view.body.items.map((r: any) => [r.id, r]));
    assert.equal(rows[onDraft.id].billingStatus, 'CustomerInvoiceCreated');
    assert.equal(rows[onDraft.id].invoiceId, invoiceId);
    assert.equal(rows[waiting.id].invoiceId, undefined);
  });
});
