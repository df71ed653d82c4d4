/**
 * R52, R62, R72–R74, R91 through the API: which tax code a detail gets, the invoice's tax
 * breakdown and totals, a biller changing a detail's code and recording a reason, and the
 * retainer cap per tax group.
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
  buildRetainer,
  markReady,
} from '../support/factories.js';
import { allDetails, confirm, readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

let n = 0;
async function taxCode(body: Record<string, unknown>): Promise<any> {
  const res = await api.post('/tax-codes', {
    name: 'A tax code',
    ...body,
    code: `${body.code}-${TARGET}-${++n}`,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}
const S19 = () => taxCode({ code: 'S19', category: 'S', rate: '19' });
const S7 = () => taxCode({ code: 'S7', category: 'S', rate: '7' });
const RC = () =>
  taxCode({
    code: 'RC',
    category: 'AE',
    rate: '0',
    exemptionReason: 'Reverse charge (Article 196 VAT Directive)',
  });

const SELLER_ADDRESS = { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
async function putSeller(extra: Record<string, unknown> = {}) {
  const res = await api.request('PUT', '/settings/seller', {
    legalName: 'Seller GmbH',
    address: SELLER_ADDRESS,
    ...extra,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function getInvoice(id: string) {
  const res = await api.get(`/invoices/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describe(`tax on invoices (R72–R74) [${TARGET}]`, () => {
  it('R73: seller default, else the line’s code, customer override first; retainers their own', async () => {
    const [sellerCode, lineCode, overrideCode, retainerCode] = [
      await S7(),
      await S19(),
      await RC(),
      await S19(),
    ];
    await putSeller({ defaultTaxCodeId: sellerCode.id });
    try {
      const contract = await buildContract(api, { percents: ['50', '50'] });
      const [a, b] = contract.customerIds as [string, string];
      const coded = await buildLine(api, contract.id, { taxCodeId: lineCode.id });
      const plain = await buildLine(api, contract.id);
      assert.equal(coded.taxCodeId, lineCode.id);
      assert.equal(plain.taxCodeId, null, 'a line without a code shows null');
      await readyActuals(api, coded.id, { quantity: '2', unitPrice: '100' });
      await readyActuals(api, plain.id, { quantity: '2', unitPrice: '100' });
      const retainer = await buildRetainer(api, contract.id, a, {
        ready: true,
        date: '2026-01-01',
      });
      const withCode = await api.post(`/contracts/${contract.id}/retainers`, {
        customerId: a,
        kind: 'Advance',
        amount: '50',
        date: '2026-01-02',
        taxCodeId: retainerCode.id,
      });
      assert.equal(withCode.status, 201, JSON.stringify(withCode.body));
      assert.equal(withCode.body.taxCodeId, retainerCode.id);
      await markReady(api, 'retainers-and-advances', [withCode.body]);
      // Customer B has a reverse-charge override.
      const patched = await api.patch(`/customers/${b}`, { taxCodeId: overrideCode.id });
      assert.equal(patched.status, 200);

      const drafts = await buildDrafts(api, contract.id);
      const forA = drafts.find((i: any) => i.customerId === a);
      const forB = drafts.find((i: any) => i.customerId === b);
      const codeOf = (inv: any, pred: (d: any) => boolean) =>
        allDetails(inv)
          .filter(pred)
          .map((d: any) => d.taxCode);
      assert.deepEqual(
        codeOf(forA, (d) => d.sourceType === 'Actual' && d.transactionClass),
        [lineCode.code, sellerCode.code],
      );
      assert.deepEqual(
        codeOf(forA, (d) => d.sourceId === retainer.id),
        [sellerCode.code],
      );
      assert.deepEqual(
        codeOf(forA, (d) => d.sourceId === withCode.body.id),
        [retainerCode.code],
      );
      assert.deepEqual(
        codeOf(forB, () => true),
        [overrideCode.code, overrideCode.code],
      );
      const rcDetail = allDetails(forB)[0];
      assert.equal(rcDetail.taxCategory, 'AE');
      assert.equal(rcDetail.taxRate, '0.00');
      assert.deepEqual(forB.taxBreakdown, [
        {
          category: 'AE',
          rate: '0.00',
          taxableAmount: '200.00',
          taxAmount: '0.00',
          exemptionReason: 'Reverse charge (Article 196 VAT Directive)',
        },
      ]);
    } finally {
      await putSeller();
    }
  });

  it('R72: a line or retainer naming an unknown tax code is refused naming taxCodeId', async () => {
    const contract = await buildContract(api);
    const line = await api.post(`/contracts/${contract.id}/lines`, {
      name: 'x',
      billingMethod: 'TimeAndMaterial',
      taxCodeId: '999999',
    });
    assert.equal(line.status, 422, JSON.stringify(line.body));
    assert.ok(line.body.errors.some((e: any) => e.field === 'taxCodeId'));
    const retainer = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      amount: '10',
      date: '2026-01-01',
      taxCodeId: '999999',
    });
    assert.equal(retainer.status, 422, JSON.stringify(retainer.body));
    assert.ok(retainer.body.errors.some((e: any) => e.field === 'taxCodeId'));
    const schedule = await api.post(`/contracts/${contract.id}/retainers/schedule`, {
      customerId: contract.customerIds[0],
      kind: 'Retainer',
      total: '100',
      frequency: 'monthly',
      startDate: '2026-01-01',
      count: 2,
      taxCodeId: '999999',
    });
    assert.equal(schedule.status, 422, JSON.stringify(schedule.body));
    const after = await api.get(`/contracts/${contract.id}`);
    assert.equal(after.body.lines.length, 0);
    const retainers = await api.get(`/backlog/retainers-and-advances?contractId=${contract.id}`);
    assert.equal(retainers.body.items.length, 0);
  });

  it('R74: taxBreakdown by (category, rate), half up per group; totalWithTax = total + tax', async () => {
    const [s19, s7] = [await S19(), await S7()];
    const contract = await buildContract(api);
    const a = await buildLine(api, contract.id, { taxCodeId: s19.id });
    const b = await buildLine(api, contract.id, { taxCodeId: s7.id });
    const c = await buildLine(api, contract.id);
    await readyActuals(api, a.id, { quantity: '1', unitPrice: '100.00' });
    await readyActuals(api, a.id, { quantity: '1', unitPrice: '33.33' });
    await readyActuals(api, b.id, { quantity: '1', unitPrice: '50.00' });
    await readyActuals(api, c.id, { quantity: '1', unitPrice: '10.00' });
    const [draft] = await buildDrafts(api, contract.id);
    // 133.33 × 19 % = 25.3327 → 25.33; 50.00 × 7 % = 3.50; 10.00 without a code: no tax.
    assert.deepEqual(draft.taxBreakdown, [
      { category: 'S', rate: '19.00', taxableAmount: '133.33', taxAmount: '25.33' },
      { category: 'S', rate: '7.00', taxableAmount: '50.00', taxAmount: '3.50' },
    ]);
    assert.equal(draft.total, '193.33');
    assert.equal(draft.taxTotal, '28.83');
    assert.equal(draft.totalWithTax, '222.16');
  });

  it('R74: without any tax code the totals are R61’s and taxTotal is 0', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    await readyActuals(api, line.id, { quantity: '3', unitPrice: '99.99' });
    const [draft] = await buildDrafts(api, contract.id);
    assert.equal(draft.subtotal, '299.97');
    assert.equal(draft.total, '299.97');
    assert.deepEqual(draft.taxBreakdown, []);
    assert.equal(draft.taxTotal, '0.00');
    assert.equal(draft.totalWithTax, '299.97');
    assert.equal(allDetails(draft)[0].taxCode, null);
  });

  it('R62, R73, R91: a biller changes a detail’s code, removes it, and records a reason', async () => {
    const [s19, rc] = [await S19(), await RC()];
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { taxCodeId: s19.id });
    await readyActuals(api, line.id, { quantity: '10', unitPrice: '100' });
    const [draft] = await buildDrafts(api, contract.id);
    const detail = allDetails(draft)[0];
    const url = `/invoices/${draft.id}/details/${detail.id}`;

    const toRc = await api.patch(url, {
      taxCodeId: rc.id,
      reason: 'Customer is VAT registered in FR',
    });
    assert.equal(toRc.status, 200, JSON.stringify(toRc.body));
    const changed = allDetails(toRc.body)[0];
    assert.equal(changed.taxCode, rc.code);
    assert.equal(changed.reason, 'Customer is VAT registered in FR');
    assert.equal(toRc.body.taxTotal, '0.00');

    const writeDown = await api.patch(url, { quantity: '8', reason: 'Two hours of onboarding' });
    assert.equal(writeDown.status, 200);
    assert.equal(allDetails(writeDown.body)[0].amount, '800.00');
    assert.equal(allDetails(writeDown.body)[0].reason, 'Two hours of onboarding');
    assert.equal(allDetails(writeDown.body)[0].taxCode, rc.code, 'the code stays');

    const none = await api.patch(url, { taxCodeId: null });
    assert.equal(none.status, 200);
    assert.equal(allDetails(none.body)[0].taxCode, null);
    assert.deepEqual(none.body.taxBreakdown, []);
    assert.equal(none.body.totalWithTax, none.body.total);

    const audit = await api.get(`/audit-events?entityId=${detail.id}&entityType=InvoiceDetail`);
    const texts = audit.body.items.map((e: any) => String(e.to));
    assert.ok(texts.some((t: string) => t.includes('Customer is VAT registered in FR')));
    assert.ok(texts.some((t: string) => t.includes('Two hours of onboarding')));
  });

  it('R62, R91: an unknown tax code or an overlong reason is refused naming the field; nothing changes', async () => {
    const s19 = await S19();
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { taxCodeId: s19.id });
    await readyActuals(api, line.id);
    const [draft] = await buildDrafts(api, contract.id);
    const detail = allDetails(draft)[0];
    const url = `/invoices/${draft.id}/details/${detail.id}`;
    const unknown = await api.patch(url, { taxCodeId: '999999', quantity: '1' });
    assert.equal(unknown.status, 422, JSON.stringify(unknown.body));
    assert.equal(unknown.body.code, 'VALIDATION_FAILED');
    assert.ok(unknown.body.errors.some((e: any) => e.field === 'taxCodeId'));
    const long = await api.patch(url, { reason: 'x'.repeat(501) });
    assert.equal(long.status, 400);
    assert.ok(long.body.errors.some((e: any) => e.field === 'reason'));
    const after = await getInvoice(draft.id);
    assert.deepEqual(after, draft);
  });

  it('R62: a milestone detail’s tax code may change though its amount may not', async () => {
    const s19 = await S19();
    const contract = await buildContract(api);
    const line = await buildFixedPriceLine(api, contract.id);
    await buildMilestone(api, line.id, { ready: true, amount: '1000.00', name: 'Kick-off' });
    const [draft] = await buildDrafts(api, contract.id);
    const detail = allDetails(draft)[0];
    assert.equal(detail.description, 'Kick-off');
    const res = await api.patch(`/invoices/${draft.id}/details/${detail.id}`, {
      taxCodeId: s19.id,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.taxTotal, '190.00');
    const amount = await api.patch(`/invoices/${draft.id}/details/${detail.id}`, { quantity: '2' });
    assert.equal(amount.status, 422);
  });

  it('R72: once a draft detail names a code its rate can no longer change', async () => {
    const s19 = await S19();
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { taxCodeId: s19.id });
    await readyActuals(api, line.id);
    await buildDrafts(api, contract.id);
    const res = await api.patch(`/tax-codes/${s19.id}`, { rate: '20' });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'TAX_CODE_IN_USE');
  });

  it('R52 with R74: a retainer billed at S19 is applied only up to the S19 work', async () => {
    const [s19, rc] = [await S19(), await RC()];
    const contract = await buildContract(api);
    const customer = contract.customerIds[0]!;
    // The retainer is billed (at S19) and confirmed first.
    const retainer = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: customer,
      kind: 'Retainer',
      amount: '1000.00',
      date: '2026-01-01',
      taxCodeId: s19.id,
    });
    assert.equal(retainer.status, 201);
    await markReady(api, 'retainers-and-advances', [retainer.body]);
    const [billing] = await buildDrafts(api, contract.id, { invoiceDate: '2026-01-31' });
    assert.equal(billing.taxTotal, '190.00');
    await confirm(api, billing.id);

    // Later work: 300.00 at S19 and 500.00 reverse charged.
    const standard = await buildLine(api, contract.id, { taxCodeId: s19.id });
    const reverse = await buildLine(api, contract.id, { taxCodeId: rc.id });
    await readyActuals(api, standard.id, { quantity: '3', unitPrice: '100' });
    await readyActuals(api, reverse.id, { quantity: '5', unitPrice: '100' });
    const [work] = await buildDrafts(api, contract.id);
    assert.deepEqual(
      work.appliedRetainers.map((r: any) => [r.amount, r.taxCategory, r.taxRate]),
      [['300.00', 'S', '19.00']],
    );
    assert.equal(work.total, '500.00');
    assert.deepEqual(work.taxBreakdown, [
      { category: 'S', rate: '19.00', taxableAmount: '0.00', taxAmount: '0.00' },
      {
        category: 'AE',
        rate: '0.00',
        taxableAmount: '500.00',
        taxAmount: '0.00',
        exemptionReason: 'Reverse charge (Article 196 VAT Directive)',
      },
    ]);
    // Raising the application past what its group carries is refused.
    const raise = await api.patch(`/invoices/${work.id}/retainers/${retainer.body.id}`, {
      amount: '400.00',
    });
    assert.equal(raise.status, 422, JSON.stringify(raise.body));
    assert.equal(raise.body.code, 'RETAINER_OVER_AVAILABLE');
    // Moving the S19 work to reverse charge leaves its group nothing: the application shrinks.
    const s19Detail = allDetails(work).find((d: any) => d.taxCode === s19.code);
    const moved = await api.patch(`/invoices/${work.id}/details/${s19Detail.id}`, {
      taxCodeId: rc.id,
    });
    assert.equal(moved.status, 200);
    assert.deepEqual(moved.body.appliedRetainers, []);
    assert.equal(moved.body.total, '800.00');
  });

  it('R65 with R52 and R74: crediting one group’s work gives back that group’s draw, though other work would carry it', async () => {
    const [s19, rc] = [await S19(), await RC()];
    const contract = await buildContract(api);
    const customer = contract.customerIds[0]!;
    const retainer = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId: customer,
      kind: 'Retainer',
      amount: '1000.00',
      date: '2026-01-01',
      taxCodeId: s19.id,
    });
    assert.equal(retainer.status, 201);
    await markReady(api, 'retainers-and-advances', [retainer.body]);
    const [billing] = await buildDrafts(api, contract.id, { invoiceDate: '2026-01-31' });
    await confirm(api, billing.id);

    const standard = await buildLine(api, contract.id, { taxCodeId: s19.id });
    const reverse = await buildLine(api, contract.id, { taxCodeId: rc.id });
    await readyActuals(api, standard.id, { quantity: '3', unitPrice: '100' });
    await readyActuals(api, reverse.id, { quantity: '5', unitPrice: '100' });
    const [work] = await buildDrafts(api, contract.id);
    const confirmed = await confirm(api, work.id);
    assert.deepEqual(
      confirmed.appliedRetainers.map((r: any) => r.amount),
      ['300.00'],
    );

    // Two of the three S19 hours should not have been billed: the S19 group keeps 100.00 of
    // work, so 200.00 of the draw goes back, though the reverse-charged 500.00 would carry it.
    const s19Detail = allDetails(confirmed).find((d: any) => d.taxCode === s19.code);
    const res = await api.post(`/invoices/${confirmed.id}/corrections`, {
      details: [{ detailId: s19Detail.id, quantity: '1' }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.appliedRetainers.map((r: any) => [r.retainerId, r.amount]),
      [[retainer.body.id, '-200.00']],
    );
    // Credit −200.00 of work, −200.00 of draw given back: the S19 group's taxable is 0.00.
    assert.equal(res.body.total, '0.00');
    assert.deepEqual(
      res.body.taxBreakdown.map((g: any) => [g.category, g.taxableAmount, g.taxAmount]),
      [['S', '0.00', '0.00']],
    );
  });

  it('R74, R65: a correction carries the corrected detail’s code; its tax is exactly the negative', async () => {
    const s19 = await S19();
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { taxCodeId: s19.id });
    await readyActuals(api, line.id, { quantity: '3', unitPrice: '33.33' });
    const [draft] = await buildDrafts(api, contract.id);
    const confirmed = await confirm(api, draft.id);
    assert.equal(confirmed.taxTotal, '19.00');
    const res = await api.post(`/invoices/${confirmed.id}/corrections`, {});
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(allDetails(res.body)[0].taxCode, s19.code);
    assert.equal(res.body.taxTotal, '-19.00');
    assert.equal(res.body.totalWithTax, '-118.99');
  });
});
