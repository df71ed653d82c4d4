import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

const sum = (xs: string[]) => {
  // Exact: sum cents as bigint.
  const cents = xs.reduce((a, x) => a + BigInt(x.replace('.', '')), 0n);
  return cents;
};

describe(`entries and unbilled actuals [${TARGET}]`, () => {
  it('R10/R3: an 8 h entry at 200.00 over 33.33/33.33/33.34 gives three actuals summing to 1600.00', async () => {
    const contract = await buildContract(api, { percents: ['33.33', '33.33', '33.34'] });
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, { quantity: '8', unitPrice: '200.00' });
    assert.equal(actuals.length, 3);
    assert.equal(sum(actuals.map((a) => a.amount)), 160000n);
    assert.equal(sum(actuals.map((a) => a.quantity)), 800n);
    for (const a of actuals) {
      assert.equal(a.billingStatus, 'UnbilledSalesCreated');
      assert.equal(a.billingType, 'Chargeable');
      assert.equal(a.currency, 'USD');
      assert.equal(a.nteStatus, 'NotApplicable');
      assert.match(a.amount, /^\d+\.\d{2}$/);
    }
    const byCustomer = Object.fromEntries(actuals.map((a) => [a.customerId, a.amount]));
    assert.equal(byCustomer[contract.customerIds[1]!], '533.28');
    assert.equal(byCustomer[contract.customerIds[2]!], '533.44');
    assert.equal(byCustomer[contract.customerIds[0]!], '533.28');
  });

  it('R11: a billable quantity below the submitted one splits into chargeable and non-chargeable', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, {
      quantity: '8',
      unitPrice: '100.00',
      billableQuantity: '6',
    });
    const chargeable = actuals.filter((a) => a.billingType === 'Chargeable');
    const nonChargeable = actuals.filter((a) => a.billingType === 'NonChargeable');
    assert.deepEqual(
      chargeable.map((a) => [a.quantity, a.amount]),
      [['6.00', '600.00']],
    );
    assert.deepEqual(
      nonChargeable.map((a) => [a.quantity, a.amount]),
      [['2.00', '200.00']],
    );
  });

  it('R11: a billable quantity above the submitted one gives one chargeable actual at the higher quantity', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, {
      quantity: '8',
      unitPrice: '100.00',
      billableQuantity: '10',
    });
    assert.deepEqual(
      actuals.map((a) => [a.billingType, a.quantity, a.amount]),
      [['Chargeable', '10.00', '1000.00']],
    );
  });

  it('R10: approving an entry on a fixed-price line creates no sales actual', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, {
      billingMethod: 'FixedPrice',
      contractedAmount: '5000.00',
    });
    const actuals = await approvedActuals(api, line.id);
    assert.deepEqual(actuals, []);
    const ledger = await api.get(`/actuals?contractId=${contract.id}`);
    assert.equal(ledger.body.items.length, 0);
  });

  it('R13/R16: cancelling an approval writes reversals, leaves nothing open and the entry Cancelled', async () => {
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id, { quantity: '3', unitPrice: '99.99' });
    const approved = await api.post(`/entries/${entryId}/approve`, {});
    assert.equal(approved.status, 200);
    const cancelled = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'Cancelled');
    const ledger = await api.get(`/actuals?contractId=${contract.id}`);
    const rows = ledger.body.items;
    assert.equal(rows.length, 4);
    const reversals = rows.filter((r: any) => r.reversesId);
    assert.equal(reversals.length, 2);
    for (const r of reversals) {
      const original = rows.find((o: any) => o.id === r.reversesId);
      assert.equal(r.amount, `-${original.amount}`);
      assert.equal(r.quantity, `-${original.quantity}`);
    }
    assert.equal(sum(rows.map((r: any) => r.amount)), 0n, 'the ledger nets to zero');
    // A second cancel is an invalid transition and writes nothing.
    const again = await api.post(`/entries/${entryId}/cancel-approval`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'INVALID_TRANSITION');
    assert.equal((await api.get(`/actuals?contractId=${contract.id}`)).body.items.length, 4);
  });

  it('R12: an entry of a class the line does not include is rejected', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, { transactionClasses: ['Time'] });
    const res = await api.post('/entries', {
      contractLineId: line.id,
      transactionClass: 'Expense',
      date: '2026-03-01',
      quantity: '1',
      unitPrice: '10',
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.equal(res.body.errors[0].field, 'transactionClass');
  });

  it('R14: approving an entry twice is refused and creates nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    assert.equal((await api.post(`/entries/${entryId}/approve`, {})).status, 200);
    const again = await api.post(`/entries/${entryId}/approve`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'INVALID_TRANSITION');
    assert.equal((await api.get(`/actuals?contractId=${contract.id}`)).body.items.length, 1);
  });

  it('bulk approve answers per id in order, unknown ids NOT_FOUND', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const a = await submitEntry(api, line.id);
    const b = await submitEntry(api, line.id);
    const res = await api.post('/entries/approve', { ids: [b, 'nope', a, b] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.code]),
      [
        [b, true, 'Approved'],
        ['nope', false, 'NOT_FOUND'],
        [a, true, 'Approved'],
        [b, false, 'INVALID_TRANSITION'],
      ],
    );
  });

  it('JPY amounts have no decimals and KWD three', async () => {
    const jpy = await buildContract(api, { currency: 'JPY' });
    const jpyLine = await buildLine(api, jpy.id);
    const [j] = await approvedActuals(api, jpyLine.id, { quantity: '1.5', unitPrice: '333' });
    assert.equal(j.amount, '500');
    const kwd = await buildContract(api, { currency: 'KWD' });
    const kwdLine = await buildLine(api, kwd.id);
    const [k] = await approvedActuals(api, kwdLine.id, { quantity: '2', unitPrice: '1.2345' });
    assert.equal(k.amount, '2.469');
  });

  it('R6/R10: a 0 % rounding customer whose part is 0 gets no actual', async () => {
    const contract = await buildContract(api, { percents: ['0', '60', '40'] });
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, { quantity: '8', unitPrice: '200.00' });
    assert.deepEqual(
      actuals.map((a) => [a.customerId, a.quantity, a.amount]).sort(),
      [
        [contract.customerIds[1], '4.80', '960.00'],
        [contract.customerIds[2], '3.20', '640.00'],
      ].sort(),
    );
  });

  it('R6: a tiny amount over many customers gives no negative actual and sums exactly', async () => {
    // 0.01 h at 1.00 over 50 / 50 with a 0 % rounding customer: both round up, the first gives back.
    const contract = await buildContract(api, { percents: ['0', '50', '50'] });
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id, { quantity: '0.01', unitPrice: '1.00' });
    assert.deepEqual(
      actuals.map((a) => [a.customerId, a.quantity, a.amount]),
      [[contract.customerIds[2], '0.01', '0.01']],
    );
  });
});

describe(`R16: rejecting entries [${TARGET}]`, () => {
  const audit = async (id: string) =>
    (await api.get(`/audit-events?entityId=${id}&entityType=Entry`)).body.items;

  it('R16: a Submitted entry rejected with a reason is Rejected, audited, and creates nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    const res = await api.post(`/entries/${entryId}/reject`, { reason: '  Wrong project code ' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'Rejected');
    assert.equal(res.body.rejectionReason, 'Wrong project code');
    assert.equal((await api.get(`/entries/${entryId}`)).body.rejectionReason, 'Wrong project code');
    const events = await audit(entryId);
    assert.deepEqual(
      events.map((e: any) => [e.action, e.from, e.to]),
      [
        ['submitEntry', null, 'Submitted'],
        ['rejectEntry', 'Submitted', 'Rejected'],
      ],
    );
    assert.equal((await api.get(`/actuals?contractId=${contract.id}`)).body.items.length, 0);
  });

  it('R16: a rejected entry can no longer be approved, alone or in bulk (INVALID_TRANSITION)', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    await api.post(`/entries/${entryId}/reject`, { reason: 'duplicate' });
    const approve = await api.post(`/entries/${entryId}/approve`, {});
    assert.equal(approve.status, 409);
    assert.equal(approve.body.code, 'INVALID_TRANSITION');
    assert.match(approve.body.detail, /Rejected/);
    const bulk = await api.post('/entries/approve', { ids: [entryId] });
    assert.deepEqual(
      bulk.body.results.map((r: any) => [r.id, r.ok, r.code]),
      [[entryId, false, 'INVALID_TRANSITION']],
    );
    assert.equal((await api.get(`/actuals?contractId=${contract.id}`)).body.items.length, 0);
    assert.equal((await api.get(`/entries/${entryId}`)).body.status, 'Rejected');
  });

  it('R16: rejecting an entry that is not Submitted is INVALID_TRANSITION and changes nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const approvedId = await submitEntry(api, line.id);
    await api.post(`/entries/${approvedId}/approve`, {});
    const rejectedId = await submitEntry(api, line.id);
    await api.post(`/entries/${rejectedId}/reject`, { reason: 'first' });
    const cancelledId = await submitEntry(api, line.id);
    await api.post(`/entries/${cancelledId}/approve`, {});
    await api.post(`/entries/${cancelledId}/cancel-approval`);
    for (const [id, status] of [
      [approvedId, 'Approved'],
      [rejectedId, 'Rejected'],
      [cancelledId, 'Cancelled'],
    ] as const) {
      const res = await api.post(`/entries/${id}/reject`, { reason: 'again' });
      assert.equal(res.status, 409, `${status}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'INVALID_TRANSITION');
      const entry = (await api.get(`/entries/${id}`)).body;
      assert.equal(entry.status, status);
      assert.equal(entry.rejectionReason, status === 'Rejected' ? 'first' : undefined);
    }
  });

  it('R16: a reject without a reason answers 400 VALIDATION_FAILED naming reason and changes nothing', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    for (const body of [
      undefined,
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 42 },
      { reason: 'x'.repeat(501) },
    ]) {
      const res = await api.post(`/entries/${entryId}/reject`, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.deepEqual(
        res.body.errors.map((e: any) => e.field),
        ['reason'],
        JSON.stringify(body),
      );
    }
    const extra = await api.post(`/entries/${entryId}/reject`, { reason: 'ok', status: 'x' });
    assert.equal(extra.status, 400);
    const entry = (await api.get(`/entries/${entryId}`)).body;
    assert.equal(entry.status, 'Submitted');
    assert.deepEqual(
      (await audit(entryId)).map((e: any) => e.action),
      ['submitEntry'],
    );
    // 500 characters is the most a reason may have.
    const longest = await api.post(`/entries/${entryId}/reject`, { reason: 'é'.repeat(500) });
    assert.equal(longest.status, 200, JSON.stringify(longest.body));
  });

  it('R16: rejecting an unknown entry answers 404 NOT_FOUND', async () => {
    for (const id of ['987654321', 'abc', '0', '-1', '99999999999999999999999']) {
      const res = await api.post(`/entries/${id}/reject`, { reason: 'nope' });
      assert.equal(res.status, 404, `${id}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'NOT_FOUND');
    }
  });

  it('R16: an approver may reject, a biller or viewer may not', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    const token = async (role: string) =>
      (await api.post('/tokens', { name: `reject-${role}`, role })).body.token as string;
    for (const role of ['viewer', 'biller']) {
      const res = await api.post(
        `/entries/${entryId}/reject`,
        { reason: 'no' },
        { authorization: `Bearer ${await token(role)}` },
      );
      assert.equal(res.status, 403, role);
    }
    const res = await api.post(
      `/entries/${entryId}/reject`,
      { reason: 'wrong line' },
      { authorization: `Bearer ${await token('approver')}` },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});

describe(`R16: GET /entries, the approver's queue [${TARGET}]`, () => {
  /** A contract with entries on two lines in every status; answers their ids. */
  async function queue() {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const other = await buildLine(api, contract.id);
    const late = await submitEntry(api, line.id, { date: '2026-03-05' });
    const early = await submitEntry(api, line.id, { date: '2026-03-01' });
    const middle = await submitEntry(api, other.id, { date: '2026-03-03' });
    const approved = await submitEntry(api, line.id, { date: '2026-03-02' });
    await api.post(`/entries/${approved}/approve`, {});
    const rejected = await submitEntry(api, line.id, { date: '2026-03-02' });
    await api.post(`/entries/${rejected}/reject`, { reason: 'not ours' });
    const cancelled = await submitEntry(api, line.id, { date: '2026-03-04' });
    await api.post(`/entries/${cancelled}/approve`, {});
    await api.post(`/entries/${cancelled}/cancel-approval`);
    return { contract, line, other, late, early, middle, approved, rejected, cancelled };
  }
  const ids = async (query: string) => {
    const res = await api.get(`/entries?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((e: any) => e.id);
  };

  it('R16: status=Submitted lists the entries awaiting approval, oldest date first', async () => {
    const q = await queue();
    assert.deepEqual(await ids(`contractId=${q.contract.id}&status=Submitted`), [
      q.early,
      q.middle,
      q.late,
    ]);
    const [row] = (await api.get(`/entries?contractId=${q.contract.id}&status=Submitted`)).body
      .items;
    assert.deepEqual(
      Object.keys(row).sort(),
      [
        'id',
        'contractId',
        'contractLineId',
        'transactionClass',
        'date',
        'quantity',
        'unitPrice',
        'billableQuantity',
        'resource',
        'role',
        'category',
        'description',
        'status',
        'createdAt',
        // Beside the ids for the approver's queue (additive, src/views/names.ts).
        'contractName',
        'contractLineName',
        'currency',
      ].sort(),
    );
    assert.deepEqual(await ids(`contractId=${q.contract.id}&status=Approved`), [q.approved]);
    assert.deepEqual(await ids(`contractId=${q.contract.id}&status=Cancelled`), [q.cancelled]);
    const rejected = (await api.get(`/entries?contractId=${q.contract.id}&status=Rejected`)).body;
    assert.deepEqual(
      rejected.items.map((e: any) => [e.id, e.status, e.rejectionReason]),
      [[q.rejected, 'Rejected', 'not ours']],
    );
  });

  it('R16: filters by line and dates (inclusive) and pages with an opaque cursor', async () => {
    const q = await queue();
    assert.deepEqual(await ids(`contractLineId=${q.other.id}`), [q.middle]);
    assert.deepEqual(
      await ids(`contractId=${q.contract.id}&dateFrom=2026-03-02&dateTo=2026-03-04`),
      [q.approved, q.rejected, q.middle, q.cancelled],
    );
    const all = await ids(`contractId=${q.contract.id}&limit=500`);
    assert.equal(all.length, 6);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await api.get(
        `/entries?contractId=${q.contract.id}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      paged.push(...res.body.items.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, all);
  });

  it('§5: an id filter that names no record, whatever its form, gives an empty list', async () => {
    await queue();
    for (const bad of [
      '987654321',
      'abc',
      '-1',
      '0',
      '1.5',
      '99999999999999999999999',
      'x'.repeat(3000),
      ' 1',
      '1 ',
      '١٢',
      '0x10',
    ]) {
      for (const key of ['contractId', 'contractLineId']) {
        const res = await api.get(`/entries?${key}=${encodeURIComponent(bad)}`);
        assert.equal(res.status, 200, `${key}=${bad}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(res.body, { items: [], nextCursor: null });
      }
    }
  });

  it('§5: dateFrom after dateTo, an unknown status or a forged cursor answer 400 VALIDATION_FAILED', async () => {
    for (const [query, field] of [
      ['dateFrom=2026-03-05&dateTo=2026-03-01', 'dateTo'],
      ['status=Pending', 'status'],
      ['dateFrom=2026-02-30', 'dateFrom'],
      ['cursor=not-a-cursor', 'cursor'],
      ['limit=501', 'limit'],
    ]) {
      const res = await api.get(`/entries?${query}`);
      assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(
        res.body.errors.some((e: any) => e.field === field),
        `${query} names ${field}: ${JSON.stringify(res.body.errors)}`,
      );
    }
  });
});
