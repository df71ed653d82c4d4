/**
 * R75–R77 through `loadInvoiceDocument`: the one shape the PDF and the e-invoice render.
 * A draft reads the profiles as they are; a confirmed invoice only what was frozen (R76).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import {
  buildContract,
  buildDrafts,
  buildFixedPriceLine,
  buildLine,
  buildMilestone,
  submitEntry,
} from '../support/factories.js';
import { loadInvoiceDocument } from '../../src/views/invoice-document.js';
import { confirm } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

async function readyEntry(lineId: string, extra: Record<string, unknown>) {
  const res = await api.post('/entries', {
    contractLineId: lineId,
    transactionClass: 'Time',
    date: '2026-03-02',
    quantity: '8',
    unitPrice: '200.00',
    ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const approved = await api.post(`/entries/${res.body.id}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const ids = approved.body.actuals.map((a: any) => a.id);
  const marked = await api.post('/backlog/time-and-material/mark-ready', { ids });
  assert.equal(marked.status, 200);
}

describe(`invoice document [${TARGET}]`, () => {
  it('answers undefined for an id that names no invoice', async () => {
    assert.equal(await loadInvoiceDocument(api.database.db, '999999'), undefined);
    assert.equal(await loadInvoiceDocument(api.database.db, 'not-an-id'), undefined);
  });

  it('R77, R61: a draft is a pro forma with its work detail, lines named, totals of R61', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { name: 'Consulting' });
    const fixed = await buildFixedPriceLine(api, contract.id);
    await readyEntry(line.id, {
      resource: 'Ada Lovelace',
      role: 'Architect',
      description: 'Workshop',
    });
    await buildMilestone(api, fixed.id, { name: 'Design sign-off', amount: '500.00', ready: true });
    const [draft] = await buildDrafts(api, contract.id);
    const doc = await loadInvoiceDocument(api.database.db, draft.id);
    assert.ok(doc);
    assert.equal(doc.kind, 'ProForma');
    assert.equal(doc.number, null);
    assert.equal(doc.currencyExponent, 2);
    const details = doc.lines.flatMap((l) => l.details);
    const work = details.find((d) => d.sourceType === 'Actual');
    assert.equal(work?.description, 'Workshop');
    assert.equal(work?.resource, 'Ada Lovelace');
    assert.equal(work?.role, 'Architect');
    assert.equal(work?.quantity, 800n);
    assert.equal(work?.unitPrice, 200_000000n);
    assert.equal(work?.amount, 160000n);
    assert.equal(work?.tax, null);
    const milestone = details.find((d) => d.sourceType === 'MilestoneSplit');
    assert.equal(milestone?.description, 'Design sign-off');
    assert.equal(milestone?.transactionClass, 'Milestone');
    assert.equal(doc.lines[0]?.name, 'Consulting');
    assert.equal(doc.subtotal, 210000n);
    assert.equal(doc.total, 210000n);
    assert.equal(doc.taxTotal, 0n);
    assert.equal(doc.totalWithTax, 210000n);
    // R75: no profile anywhere: the seller's default of 30 days.
    assert.equal(doc.invoiceDate, '2026-12-31');
    assert.equal(doc.paymentTermsDays, 30);
    assert.equal(doc.dueDate, '2027-01-30');
  });

  it('R76: a confirmed invoice keeps its buyer, names and tax after they change', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { name: 'Support' });
    const code = await api.post('/tax-codes', {
      code: `S19-${TARGET}`,
      name: 'Standard',
      category: 'S',
      rate: '19',
    });
    assert.equal(code.status, 201, JSON.stringify(code.body));
    await api.database.db
      .updateTable('contract_lines')
      .set({ tax_code_id: code.body.id })
      .where('id', '=', line.id)
      .execute();
    await submitEntry(api, line.id);
    await readyEntry(line.id, { description: 'Hotline' });
    const [draft] = await buildDrafts(api, contract.id);
    const confirmed = await confirm(api, draft.id);
    const before = await loadInvoiceDocument(api.database.db, confirmed.id);
    assert.ok(before);
    assert.equal(before.kind, 'Invoice');
    assert.equal(before.number, confirmed.number);
    assert.deepEqual(before.taxBreakdown, [
      { category: 'S', rate: 1900n, taxableAmount: 160000n, taxAmount: 30400n },
    ]);
    assert.equal(before.totalWithTax, 190400n);

    // Everything the document shows changes afterwards…
    await api.database.db
      .updateTable('customers')
      .set({ name: 'Renamed customer' })
      .where('id', '=', contract.customerIds[0]!)
      .execute();
    await api.database.db
      .updateTable('contract_lines')
      .set({ name: 'Renamed line' })
      .where('id', '=', line.id)
      .execute();
    const renamed = await api.patch(`/tax-codes/${code.body.id}`, { code: `S19X-${TARGET}` });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));

    // …and the confirmed invoice's document does not.
    const after = await loadInvoiceDocument(api.database.db, confirmed.id);
    assert.deepEqual(after, before);
    assert.equal(after?.lines[0]?.details[0]?.tax?.code, `S19-${TARGET}`);
  });
});
