import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import {
  buildConfirmedInvoice,
  buildContract,
  buildLine,
  buildRetainer,
} from '../support/factories.js';
import { allDetails, confirm, createInvoices, readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

/** A single-customer USD contract with a T&M line and a posted advance of `amount`. */
async function postedAdvance(amount: string, date = '2026-01-05') {
  const contract = await buildContract(api);
  const customerId = contract.customerIds[0] as string;
  const line = await buildLine(api, contract.id);
  const advance = await buildRetainer(api, contract.id, customerId, {
    kind: 'Advance',
    amount,
    date,
    ready: true,
  });
  await buildConfirmedInvoice(api, contract.id, { invoiceDate: date });
  return { contract, customerId, line, advance };
}

async function retainerRow(contractId: string, id: string, available = false) {
  const path = available ? 'available-retainers-and-advances' : 'retainers-and-advances';
  const res = await api.get(`/backlog/${path}?contractId=${contractId}&limit=500`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items.find((r: any) => r.id === id);
}

/** The confirmed invoice that billed a retainer. */
async function billingInvoiceOf(contractId: string, retainerId: string) {
  const list = await api.get(`/invoices?contractId=${contractId}&limit=500`);
  const found = list.body.items.find((i: any) =>
    allDetails(i).some(
      (d: any) => d.sourceType === 'Retainer' && d.sourceId === retainerId && d.kind !== 'credit',
    ),
  );
  assert.ok(found, `no invoice billed retainer ${retainerId}`);
  return found;
}

/** T&M work of `hours` × 100.00, ready to invoice, dated in March. */
const work = (lineId: string, hours: string) =>
  readyActuals(api, lineId, { date: '2026-03-02', quantity: hours, unitPrice: '100.00' });

describe(`retainers on invoices [${TARGET}]`, () => {
  it('R50–R53: the whole life of an advance: invoiced, available, drawn by two invoices, exhausted, gone from Available', async () => {
    const contract = await buildContract(api);
    const customerId = contract.customerIds[0] as string;
    const line = await buildLine(api, contract.id);
    const created = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId,
      kind: 'Advance',
      amount: '1000.00',
      date: '2026-01-05',
    });
    const advance = created.body;

    // R50: not ready → not invoiced.
    assert.deepEqual(
      await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-01-31' }),
      [],
    );
    await api.post('/backlog/retainers-and-advances/mark-ready', { ids: [advance.id] });
    // Dated after the invoice date → not taken.
    assert.deepEqual(
      await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-01-04' }),
      [],
    );

    // R50/R61: billed at its full amount on the line without a contract line.
    const [first] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-01-31',
    });
    assert.deepEqual(
      first.lines.map((l: any) => [
        l.contractLineId,
        l.amount,
        l.details.map((d: any) => [d.sourceType, d.sourceId, d.amount]),
      ]),
      [[null, '1000.00', [['Retainer', advance.id, '1000.00']]]],
    );
    assert.equal(first.total, '1000.00');
    let row = await retainerRow(contract.id, advance.id);
    assert.equal(row.billingStatus, 'CustomerInvoiceCreated');
    assert.equal(row.invoiceId, first.id);
    assert.equal(row.availableAmount, '0.00');
    // R33: on a draft it cannot be marked.
    const mark = await api.post('/backlog/retainers-and-advances/mark-not-ready', {
      ids: [advance.id],
    });
    assert.equal(mark.body.results[0].code, 'INVALID_TRANSITION');
    // R51: nothing available before the confirmation.
    assert.equal(await retainerRow(contract.id, advance.id, true), undefined);

    // R51: confirmed → available.
    await confirm(api, first.id);
    row = await retainerRow(contract.id, advance.id, true);
    assert.equal(row.billingStatus, 'CustomerInvoicePosted');
    assert.equal(row.availableAmount, '1000.00');
    assert.equal(row.usedAmount, '0.00');

    // R52: the next invoice draws 600.00 of it; the invoice total is 0.
    await work(line.id, '6');
    const [second] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
    });
    assert.deepEqual(second.appliedRetainers, [{ retainerId: advance.id, amount: '600.00' }]);
    assert.deepEqual(
      [second.subtotal, second.retainerApplied, second.total],
      ['600.00', '600.00', '0.00'],
    );
    row = await retainerRow(contract.id, advance.id, true);
    assert.equal(row.reservedAmount, '600.00');
    assert.equal(row.availableAmount, '1000.00', 'R51: reserved is not used until confirmed');
    await confirm(api, second.id);
    row = await retainerRow(contract.id, advance.id, true);
    assert.deepEqual(
      [row.usedAmount, row.availableAmount, row.reservedAmount],
      ['600.00', '400.00', '0.00'],
    );

    // R52: the third invoice draws the last 400.00 of 800.00.
    await work(line.id, '8');
    const [third] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
    });
    assert.deepEqual(third.appliedRetainers, [{ retainerId: advance.id, amount: '400.00' }]);
    assert.deepEqual(
      [third.subtotal, third.retainerApplied, third.total],
      ['800.00', '400.00', '400.00'],
    );
    const confirmed = await confirm(api, third.id);
    assert.equal(confirmed.total, '400.00');

    // R51: exhausted, gone from the Available view, still in the full view.
    assert.equal(await retainerRow(contract.id, advance.id, true), undefined);
    row = await retainerRow(contract.id, advance.id);
    assert.deepEqual([row.usedAmount, row.availableAmount], ['1000.00', '0.00']);
    const audit = await api.get(`/audit-events?entityType=Retainer&entityId=${advance.id}`);
    assert.deepEqual(
      audit.body.items.map((e: any) => [e.action, e.from, e.to]),
      [
        ['createRetainer', null, 'NotReadyToInvoice'],
        ['markReady', 'NotReadyToInvoice', 'ReadyToInvoice'],
        ['createInvoice', 'ReadyToInvoice', 'CustomerInvoiceCreated'],
        ['confirmInvoice', 'CustomerInvoiceCreated', 'CustomerInvoicePosted'],
        ['applyRetainer', null, `600.00 on invoice ${second.id}`],
        ['useRetainer', null, `600.00 on invoice ${second.id}`],
        ['applyRetainer', null, `400.00 on invoice ${third.id}`],
        ['useRetainer', null, `400.00 on invoice ${third.id}`],
      ],
    );
    // A fourth invoice gets nothing applied.
    await work(line.id, '1');
    const [fourth] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
    });
    assert.deepEqual(fourth.appliedRetainers, []);
    assert.equal(fourth.total, '100.00');
  });

  it('R52: several retainers are applied oldest first, only to the chargeable T&M total', async () => {
    const contract = await buildContract(api);
    const customerId = contract.customerIds[0] as string;
    const line = await buildLine(api, contract.id);
    const ids: string[] = [];
    for (const [amount, date] of [
      ['300.00', '2026-02-01'],
      ['200.00', '2026-01-01'],
      ['500.00', '2026-03-01'],
    ]) {
      const res = await api.post(`/contracts/${contract.id}/retainers`, {
        customerId,
        kind: 'Retainer',
        amount,
        date,
      });
      ids.push(res.body.id);
    }
    await api.post('/backlog/retainers-and-advances/mark-ready', { ids });
    const [billing] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-01',
    });
    assert.equal(billing.subtotal, '1000.00');
    assert.deepEqual(billing.appliedRetainers, [], 'a retainer is never drawn before it is posted');
    await confirm(api, billing.id);

    // 6 h chargeable, 2 h non-chargeable: only the chargeable 600.00 is covered.
    const actuals = await readyActuals(api, line.id, {
      date: '2026-03-02',
      quantity: '8',
      unitPrice: '100.00',
      billableQuantity: '6',
    });
    assert.equal(actuals.length, 2);
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    assert.deepEqual(inv.appliedRetainers, [
      { retainerId: ids[1], amount: '200.00' },
      { retainerId: ids[0], amount: '300.00' },
      { retainerId: ids[2], amount: '100.00' },
    ]);
    assert.equal(inv.total, '0.00');
  });

  it('R52: PATCH lowers an applied amount and raises it back, never above what is available (RETAINER_OVER_AVAILABLE)', async () => {
    const { contract, line, advance } = await postedAdvance('500.00');
    await work(line.id, '8');
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    assert.deepEqual(inv.appliedRetainers, [{ retainerId: advance.id, amount: '500.00' }]);

    const lower = await api.patch(`/invoices/${inv.id}/retainers/${advance.id}`, {
      amount: '120.50',
    });
    assert.equal(lower.status, 200, JSON.stringify(lower.body));
    assert.deepEqual(lower.body.appliedRetainers, [{ retainerId: advance.id, amount: '120.50' }]);
    assert.equal(lower.body.total, '679.50');

    const over = await api.patch(`/invoices/${inv.id}/retainers/${advance.id}`, {
      amount: '500.01',
    });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'RETAINER_OVER_AVAILABLE');
    const back = await api.patch(`/invoices/${inv.id}/retainers/${advance.id}`, { amount: 500 });
    assert.equal(back.status, 200);
    assert.equal(back.body.total, '300.00');

    const zero = await api.patch(`/invoices/${inv.id}/retainers/${advance.id}`, { amount: '0' });
    assert.deepEqual(zero.body.appliedRetainers, []);
    assert.equal(zero.body.total, '800.00');

    for (const [url, bodyValue, status, code] of [
      [`/invoices/${inv.id}/retainers/${advance.id}`, { amount: '-1' }, 400, 'VALIDATION_FAILED'],
      [
        `/invoices/${inv.id}/retainers/${advance.id}`,
        { amount: '1.001' },
        422,
        'VALIDATION_FAILED',
      ],
      [`/invoices/${inv.id}/retainers/999999999`, { amount: '1' }, 404, 'NOT_FOUND'],
      [`/invoices/999999999/retainers/${advance.id}`, { amount: '1' }, 404, 'NOT_FOUND'],
    ] as const) {
      const res = await api.patch(url, bodyValue);
      assert.equal(
        res.status,
        status,
        `${url} ${JSON.stringify(bodyValue)}: ${JSON.stringify(res.body)}`,
      );
      assert.equal(res.body.code, code);
    }
    await confirm(api, inv.id);
    const confirmed = await api.patch(`/invoices/${inv.id}/retainers/${advance.id}`, {
      amount: '1',
    });
    assert.equal(confirmed.body.code, 'INVOICE_CONFIRMED');
  });

  it('R52: an applied amount never makes the invoice negative, also after its details change', async () => {
    const { contract, line, advance } = await postedAdvance('1000.00');
    const [a] = await work(line.id, '3');
    const [b] = await work(line.id, '2');
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    assert.deepEqual(inv.appliedRetainers, [{ retainerId: advance.id, amount: '500.00' }]);
    const tooMuch = await api.patch(`/invoices/${inv.id}/retainers/${advance.id}`, {
      amount: '500.01',
    });
    assert.equal(tooMuch.body.code, 'RETAINER_OVER_AVAILABLE');

    const detailOf = (invoice: any, actualId: string) =>
      allDetails(invoice).find((d: any) => d.sourceId === actualId);
    const removed = await api.del(`/invoices/${inv.id}/details/${detailOf(inv, b.id).id}`);
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.deepEqual(removed.body.appliedRetainers, [{ retainerId: advance.id, amount: '300.00' }]);
    assert.equal(removed.body.total, '0.00');
    const reduced = await api.patch(`/invoices/${inv.id}/details/${detailOf(inv, a.id).id}`, {
      billingType: 'NonChargeable',
    });
    assert.equal(reduced.status, 200, JSON.stringify(reduced.body));
    assert.deepEqual(reduced.body.appliedRetainers, []);
    assert.equal(reduced.body.total, '0.00');
  });

  it('R52: retainers are applied to the chargeable milestone total as well as T&M', async () => {
    const { contract, line, advance } = await postedAdvance('1000.00');
    const fixed = await buildLine(api, contract.id, {
      billingMethod: 'FixedPrice',
      contractedAmount: '5000.00',
    });
    const made = await api.post(`/contract-lines/${fixed.id}/milestones`, {
      name: 'Design',
      date: '2026-03-01',
      amount: '600.00',
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const marked = await api.post('/backlog/fixed-price-milestones/mark-ready', {
      ids: made.body.splits.map((s: any) => s.id),
    });
    assert.ok(marked.body.results.every((r: any) => r.ok));
    await work(line.id, '2');
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    assert.equal(inv.subtotal, '800.00');
    assert.deepEqual(inv.appliedRetainers, [{ retainerId: advance.id, amount: '800.00' }]);
    assert.equal(inv.total, '0.00');
  });

  it('R53: two drafts cannot together apply more than is available; deleting a draft releases its reservation', async () => {
    const { contract, line, advance } = await postedAdvance('500.00');
    const [x] = await work(line.id, '4');
    const [y] = await work(line.id, '4');
    const [one] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
      itemIds: [x.id],
    });
    const [two] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
      itemIds: [y.id],
    });
    assert.deepEqual(one.appliedRetainers, [{ retainerId: advance.id, amount: '400.00' }]);
    assert.deepEqual(two.appliedRetainers, [{ retainerId: advance.id, amount: '100.00' }]);
    const over = await api.patch(`/invoices/${two.id}/retainers/${advance.id}`, {
      amount: '100.01',
    });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'RETAINER_OVER_AVAILABLE');
    assert.equal((await retainerRow(contract.id, advance.id)).reservedAmount, '500.00');

    const deleted = await api.del(`/invoices/${one.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await retainerRow(contract.id, advance.id)).reservedAmount, '100.00');
    const raised = await api.patch(`/invoices/${two.id}/retainers/${advance.id}`, {
      amount: '400.00',
    });
    assert.equal(raised.status, 200, JSON.stringify(raised.body));
    assert.equal(raised.body.total, '0.00');
    await confirm(api, two.id);
    const row = await retainerRow(contract.id, advance.id, true);
    assert.deepEqual(
      [row.usedAmount, row.availableAmount, row.reservedAmount],
      ['400.00', '100.00', '0.00'],
    );
  });

  it('R53: concurrent raises on two drafts never reserve more than is available', async () => {
    const { contract, line, advance } = await postedAdvance('1000.00');
    const [x] = await work(line.id, '10');
    const [y] = await work(line.id, '10');
    const [one] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
      itemIds: [x.id],
    });
    const [two] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
      itemIds: [y.id],
    });
    assert.deepEqual(two.appliedRetainers, []);
    await api.patch(`/invoices/${one.id}/retainers/${advance.id}`, { amount: '0' });
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        api.patch(`/invoices/${one.id}/retainers/${advance.id}`, { amount: '700.00' }),
        api.patch(`/invoices/${two.id}/retainers/${advance.id}`, { amount: '700.00' }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 422], JSON.stringify(results.map((r) => r.body)));
      assert.equal(results.find((r) => r.status === 422)?.body.code, 'RETAINER_OVER_AVAILABLE');
      assert.equal((await retainerRow(contract.id, advance.id)).reservedAmount, '700.00');
      await api.patch(`/invoices/${one.id}/retainers/${advance.id}`, { amount: '0' });
      await api.patch(`/invoices/${two.id}/retainers/${advance.id}`, { amount: '0' });
    }
  });

  it('R53: concurrent drafts for the same customer split the available amount, never exceeding it', async () => {
    const { contract, line, advance } = await postedAdvance('700.00');
    const [x] = await work(line.id, '5');
    const [y] = await work(line.id, '5');
    const [r1, r2] = await Promise.all([
      api.post('/invoices', {
        contractId: contract.id,
        invoiceDate: '2026-03-31',
        itemIds: [x.id],
      }),
      api.post('/invoices', {
        contractId: contract.id,
        invoiceDate: '2026-03-31',
        itemIds: [y.id],
      }),
    ]);
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    const applied = [r1, r2]
      .flatMap((r) => r.body.invoices[0].appliedRetainers.map((a: any) => a.amount))
      .sort();
    assert.deepEqual(applied, ['200.00', '500.00']);
    await Promise.all([confirm(api, r1.body.invoices[0].id), confirm(api, r2.body.invoices[0].id)]);
    assert.equal(await retainerRow(contract.id, advance.id, true), undefined, 'fully used');
  });

  it('R66: an invoice run takes ready retainers dated on or before the run date, once', async () => {
    const contract = await buildContract(api);
    const customerId = contract.customerIds[0] as string;
    const ids: string[] = [];
    for (const date of ['2026-04-01', '2026-04-02']) {
      const res = await api.post(`/contracts/${contract.id}/retainers`, {
        customerId,
        kind: 'Retainer',
        amount: '75.00',
        date,
      });
      ids.push(res.body.id);
    }
    await api.post('/backlog/retainers-and-advances/mark-ready', { ids });
    const dry = await api.post('/invoice-runs', {
      runDate: '2026-04-01',
      dryRun: true,
      contractIds: [contract.id],
    });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(
      allDetails(dry.body.invoices[0]).map((d: any) => d.sourceId),
      [ids[0]],
    );
    assert.equal(
      (await retainerRow(contract.id, ids[0] as string)).billingStatus,
      'ReadyToInvoice',
      'a dry run writes nothing',
    );
    const run = await api.post('/invoice-runs', { runDate: '2026-04-01' });
    assert.equal(run.status, 201, JSON.stringify(run.body));
    const mine = run.body.invoices.filter((i: any) => i.contractId === contract.id);
    assert.equal(mine.length, 1);
    assert.deepEqual(
      allDetails(mine[0]).map((d: any) => [d.sourceType, d.sourceId, d.amount]),
      [['Retainer', ids[0], '75.00']],
    );
    const again = await api.post('/invoice-runs', {
      runDate: '2026-04-01',
      contractIds: [contract.id],
    });
    assert.deepEqual(again.body.invoices, []);
  });

  it('R32: removing a retainer detail from a draft returns it to ReadyToInvoice', async () => {
    const contract = await buildContract(api);
    const customerId = contract.customerIds[0] as string;
    const made = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId,
      kind: 'Retainer',
      amount: '50.00',
      date: '2026-01-01',
    });
    await api.post('/backlog/retainers-and-advances/mark-ready', { ids: [made.body.id] });
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-01-01' });
    const detail = allDetails(inv)[0];
    const noChange = await api.patch(`/invoices/${inv.id}/details/${detail.id}`, {
      quantity: '0.5',
    });
    assert.equal(noChange.status, 422, 'R62: a retainer detail amount may not change');
    const res = await api.del(`/invoices/${inv.id}/details/${detail.id}`);
    assert.equal(res.status, 200);
    const row = await retainerRow(contract.id, made.body.id);
    assert.equal(row.billingStatus, 'ReadyToInvoice');
    assert.equal(row.invoiceId, undefined);
  });

  it('R65: a retainer credited in full returns to ReadyToInvoice', async () => {
    const contract = await buildContract(api);
    const customerId = contract.customerIds[0] as string;
    const made = await api.post(`/contracts/${contract.id}/retainers`, {
      customerId,
      kind: 'Retainer',
      amount: '50.00',
      date: '2026-01-01',
    });
    await api.post('/backlog/retainers-and-advances/mark-ready', { ids: [made.body.id] });
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-01-01' });
    await confirm(api, inv.id);
    const correction = await api.post(`/invoices/${inv.id}/corrections`, {});
    assert.equal(correction.status, 201, JSON.stringify(correction.body));
    assert.equal(correction.body.total, '-50.00');
    assert.deepEqual(correction.body.appliedRetainers, []);
    await confirm(api, correction.body.id);
    const row = await retainerRow(contract.id, made.body.id);
    assert.deepEqual([row.billingStatus, row.availableAmount], ['ReadyToInvoice', '0.00']);
  });

  it('R65 + R53: the life of an advance with corrections: drawing invoices give their draw back, then its own invoice can be credited', async () => {
    const { contract, line, advance } = await postedAdvance('1000.00');
    const billing = await billingInvoiceOf(contract.id, advance.id);

    // Drawn by two invoices until exhausted.
    await work(line.id, '6');
    const [d1] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    await confirm(api, d1.id);
    await work(line.id, '8');
    const [d2] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    assert.deepEqual(d2.appliedRetainers, [{ retainerId: advance.id, amount: '400.00' }]);
    await confirm(api, d2.id);
    assert.equal(await retainerRow(contract.id, advance.id, true), undefined, 'exhausted');

    // Its own invoice cannot be credited while invoices hold its draw: the answer names them.
    const refused = await api.post(`/invoices/${billing.id}/corrections`, {});
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'INVALID_TRANSITION');
    assert.match(refused.body.detail, new RegExp(`${d1.id}, ${d2.id}`));

    // A full credit of the second invoice gives its whole draw back: the credit note shows
    // the work credited, the retainer given back, and the cash the customer paid.
    const c2 = await api.post(`/invoices/${d2.id}/corrections`, {});
    assert.equal(c2.status, 201, JSON.stringify(c2.body));
    assert.deepEqual(c2.body.appliedRetainers, [{ retainerId: advance.id, amount: '-400.00' }]);
    assert.deepEqual(
      [c2.body.subtotal, c2.body.retainerApplied, c2.body.total],
      ['-800.00', '-400.00', '-400.00'],
    );
    // Not available until the correction is confirmed, and not counted as a reservation.
    assert.equal(await retainerRow(contract.id, advance.id, true), undefined);
    assert.equal((await retainerRow(contract.id, advance.id)).reservedAmount, '0.00');
    const confirmedC2 = await confirm(api, c2.body.id);
    assert.equal(confirmedC2.total, '-400.00');
    let row = await retainerRow(contract.id, advance.id, true);
    assert.ok(row, 'back in the Available view');
    assert.deepEqual([row.usedAmount, row.availableAmount], ['600.00', '400.00']);

    // A partial credit of the first (6 h → 4 h): the invoice keeps the draw its remaining
    // 400.00 of work carries; the other 200.00 goes back.
    const detail = allDetails(d1)[0];
    const c1 = await api.post(`/invoices/${d1.id}/corrections`, {
      details: [{ detailId: detail.id, quantity: '4' }],
    });
    assert.equal(c1.status, 201, JSON.stringify(c1.body));
    assert.deepEqual(c1.body.appliedRetainers, [{ retainerId: advance.id, amount: '-200.00' }]);
    assert.deepEqual([c1.body.subtotal, c1.body.total], ['-200.00', '0.00']);
    await confirm(api, c1.body.id);
    row = await retainerRow(contract.id, advance.id, true);
    assert.deepEqual([row.usedAmount, row.availableAmount], ['400.00', '600.00']);
    // The rest of the first invoice: the last 400.00 goes back.
    const c1b = await api.post(`/invoices/${d1.id}/corrections`, {});
    assert.deepEqual(c1b.body.appliedRetainers, [{ retainerId: advance.id, amount: '-400.00' }]);
    await confirm(api, c1b.body.id);
    row = await retainerRow(contract.id, advance.id, true);
    assert.deepEqual([row.usedAmount, row.availableAmount], ['0.00', '1000.00']);

    // The ledger of the draw is immutable: a confirmed invoice's application never changes.
    await assert.rejects(
      api.database.db
        .updateTable('retainer_applications')
        .set({ amount: '1' })
        .where('invoice_id', '=', d2.id)
        .execute(),
    );

    // Nothing draws it any more: its own invoice is credited and it returns to ready.
    const credit = await api.post(`/invoices/${billing.id}/corrections`, {});
    assert.equal(credit.status, 201, JSON.stringify(credit.body));
    assert.equal(credit.body.total, '-1000.00');
    await confirm(api, credit.body.id);
    row = await retainerRow(contract.id, advance.id);
    assert.deepEqual(
      [row.billingStatus, row.usedAmount, row.availableAmount],
      ['ReadyToInvoice', '0.00', '0.00'],
    );
    const audit = await api.get(
      `/audit-events?entityType=Retainer&entityId=${advance.id}&limit=500`,
    );
    const actions = audit.body.items.map((e: any) => [e.action, e.to]);
    assert.deepEqual(
      actions.filter((a: any) => a[0] === 'creditRetainer' || a[0] === 'returnRetainer'),
      [
        ['creditRetainer', `-400.00 on invoice ${c2.body.id}`],
        ['returnRetainer', `-400.00 on invoice ${c2.body.id}`],
        ['creditRetainer', `-200.00 on invoice ${c1.body.id}`],
        ['returnRetainer', `-200.00 on invoice ${c1.body.id}`],
        ['creditRetainer', `-400.00 on invoice ${c1b.body.id}`],
        ['returnRetainer', `-400.00 on invoice ${c1b.body.id}`],
      ],
    );
    assert.deepEqual(actions.at(-1), ['confirmCorrection', 'ReadyToInvoice']);
  });

  it('R65: crediting a retainer is refused at confirmation when a draft drew it since, naming the draft', async () => {
    const { contract, line, advance } = await postedAdvance('100.00');
    const billing = await billingInvoiceOf(contract.id, advance.id);
    const credit = await api.post(`/invoices/${billing.id}/corrections`, {});
    assert.equal(credit.status, 201, JSON.stringify(credit.body));
    await work(line.id, '1');
    const [draft] = await createInvoices(api, {
      contractId: contract.id,
      invoiceDate: '2026-03-31',
    });
    assert.deepEqual(draft.appliedRetainers, [{ retainerId: advance.id, amount: '100.00' }]);
    const refused = await api.post(`/invoices/${credit.body.id}/confirm`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'INVALID_TRANSITION');
    assert.match(JSON.stringify(refused.body), new RegExp(`${draft.id} \\(draft\\)`));
    assert.equal(
      (await retainerRow(contract.id, advance.id)).billingStatus,
      'CustomerInvoicePosted',
    );
    // Deleting the draft releases the reservation; the credit then goes through.
    assert.equal((await api.del(`/invoices/${draft.id}`)).status, 204);
    await confirm(api, credit.body.id);
    assert.equal((await retainerRow(contract.id, advance.id)).billingStatus, 'ReadyToInvoice');
  });

  it("R65 + R52: changing a corrective draft's credits recomputes what goes back", async () => {
    const { contract, line, advance } = await postedAdvance('500.00');
    await work(line.id, '3');
    await work(line.id, '5');
    const [inv] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    assert.deepEqual(
      [inv.subtotal, inv.retainerApplied, inv.total],
      ['800.00', '500.00', '300.00'],
    );
    await confirm(api, inv.id);
    const full = await api.post(`/invoices/${inv.id}/corrections`, {});
    assert.deepEqual(
      [full.body.subtotal, full.body.retainerApplied, full.body.total],
      ['-800.00', '-500.00', '-300.00'],
    );
    // R52: a correction draws nothing new and its give-back cannot be edited by hand.
    const patch = await api.patch(`/invoices/${full.body.id}/retainers/${advance.id}`, {
      amount: '0',
    });
    assert.equal(patch.status, 409);
    assert.equal(patch.body.code, 'INVALID_TRANSITION');
    // Keep only the 3 h credit: the remaining 500.00 of work carries the whole draw.
    const five = allDetails(full.body).find((d: any) => d.amount === '-500.00');
    const less = await api.del(`/invoices/${full.body.id}/details/${five.id}`);
    assert.equal(less.status, 200, JSON.stringify(less.body));
    assert.deepEqual(less.body.appliedRetainers, []);
    assert.deepEqual([less.body.subtotal, less.body.total], ['-300.00', '-300.00']);
    await confirm(api, full.body.id);
    assert.equal((await retainerRow(contract.id, advance.id)).usedAmount, '500.00');
  });

  it('R53 + R65: a give-back racing a new draft never lets the drafts reserve more than is available', async () => {
    const { contract, line, advance } = await postedAdvance('300.00');
    await work(line.id, '3');
    const [d] = await createInvoices(api, { contractId: contract.id, invoiceDate: '2026-03-31' });
    await confirm(api, d.id);
    const c = await api.post(`/invoices/${d.id}/corrections`, {});
    assert.equal(c.body.retainerApplied, '-300.00');
    await work(line.id, '4');
    await work(line.id, '4');
    const [confirmed, one, two] = await Promise.all([
      api.post(`/invoices/${c.body.id}/confirm`),
      api.post('/invoices', { contractId: contract.id, invoiceDate: '2026-03-31' }),
      api.post('/invoices', { contractId: contract.id, invoiceDate: '2026-03-31' }),
    ]);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const applied = [one, two]
      .filter((r) => r.status === 201)
      .flatMap((r) =>
        r.body.invoices.flatMap((i: any) => i.appliedRetainers.map((a: any) => a.amount)),
      );
    const row = await retainerRow(contract.id, advance.id);
    assert.equal(row.usedAmount, '0.00');
    const cents = (a: string) => BigInt(a.replace('.', ''));
    const reserved = applied.reduce((s: bigint, a: string) => s + cents(a), 0n);
    assert.ok(reserved <= 30000n, `reserved ${reserved}`);
    assert.equal(cents(row.reservedAmount), reserved);
  });

  it('R65 + R53: crediting a retainer racing a draft that would draw it: one of them wins, never both', async () => {
    for (let round = 0; round < 3; round++) {
      const { contract, line, advance } = await postedAdvance('100.00');
      const billing = await billingInvoiceOf(contract.id, advance.id);
      const credit = await api.post(`/invoices/${billing.id}/corrections`, {});
      assert.equal(credit.status, 201, JSON.stringify(credit.body));
      await work(line.id, '1');
      const [confirmed, drafted] = await Promise.all([
        api.post(`/invoices/${credit.body.id}/confirm`),
        api.post('/invoices', { contractId: contract.id, invoiceDate: '2026-03-31' }),
      ]);
      assert.equal(drafted.status, 201, JSON.stringify(drafted.body));
      const applied = drafted.body.invoices.flatMap((i: any) => i.appliedRetainers);
      const row = await retainerRow(contract.id, advance.id);
      if (confirmed.status === 200) {
        // Credited first: back to ready, so the draft bills it again instead of drawing it.
        assert.deepEqual(applied, []);
        assert.deepEqual(
          [row.billingStatus, row.reservedAmount],
          ['CustomerInvoiceCreated', '0.00'],
        );
        const billedAgain = drafted.body.invoices.flatMap(allDetails);
        assert.ok(
          billedAgain.some((d: any) => d.sourceType === 'Retainer' && d.sourceId === advance.id),
        );
      } else {
        assert.equal(confirmed.body.code, 'INVALID_TRANSITION', JSON.stringify(confirmed.body));
        assert.deepEqual(applied, [{ retainerId: advance.id, amount: '100.00' }]);
        assert.deepEqual(
          [row.billingStatus, row.reservedAmount],
          ['CustomerInvoicePosted', '100.00'],
        );
      }
    }
  });
});
