import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { bulkApproveEntries } from '../../src/commands/approveEntries.js';
import { startApi, type TestApi } from '../support/api.js';
import { buildContract, buildLine, submitEntry } from '../support/factories.js';
import { TARGET } from '../support/database.js';
import { checkInvariants } from '../support/invariants.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const cents = (x: string) => BigInt(x.replace('.', ''));
const answers = (results: any[]) => results.map((r) => [r.id, r.ok, r.status ?? r.code]);
const actualsOf = async (entryId: string) =>
  (await api.get(`/actuals?entryId=${entryId}&limit=500`)).body.items;
const statusOf = async (entryId: string) => (await api.get(`/entries/${entryId}`)).body.status;

describe(`bulk approval, set-based [${TARGET}]`, () => {
  it('§5/R14: several contracts, unknown, repeated and already approved ids answered per item in the order given', async () => {
    const a = await buildContract(api, { percents: ['60', '40'] });
    const b = await buildContract(api, { currency: 'JPY' });
    const c = await buildContract(api, { percents: ['33.33', '33.33', '33.34'] });
    const aLine = await buildLine(api, a.id);
    const bLine = await buildLine(api, b.id);
    const cLine = await buildLine(api, c.id);
    const fixed = await buildLine(api, c.id, {
      billingMethod: 'FixedPrice',
      contractedAmount: '5000.00',
    });
    const a1 = await submitEntry(api, aLine.id, { quantity: '8', unitPrice: '100' });
    const a2 = await submitEntry(api, aLine.id, { quantity: '1.5', unitPrice: '99.99' });
    const b1 = await submitEntry(api, bLine.id, { quantity: '1.5', unitPrice: '333' });
    const c1 = await submitEntry(api, cLine.id, { quantity: '8', unitPrice: '200' });
    const cFixed = await submitEntry(api, fixed.id);
    const done = await submitEntry(api, bLine.id);
    assert.equal((await api.post(`/entries/${done}/approve`, {})).status, 200);

    const ids = [c1, 'nope', a2, done, b1, '999999999999', cFixed, a1, a2, ''];
    const res = await api.post('/entries/approve', { ids });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(answers(res.body.results), [
      [c1, true, 'Approved'],
      ['nope', false, 'NOT_FOUND'],
      [a2, true, 'Approved'],
      [done, false, 'INVALID_TRANSITION'],
      [b1, true, 'Approved'],
      ['999999999999', false, 'NOT_FOUND'],
      [cFixed, true, 'Approved'],
      [a1, true, 'Approved'],
      [a2, false, 'INVALID_TRANSITION'],
      ['', false, 'NOT_FOUND'],
    ]);
    for (const id of [a1, a2, b1, c1, cFixed, done]) assert.equal(await statusOf(id), 'Approved');

    // R10/R3: one actual per line customer, parts summing to the whole; none on a fixed-price line.
    const a1Actuals = await actualsOf(a1);
    assert.deepEqual(a1Actuals.map((x: any) => x.amount).sort(), ['320.00', '480.00']);
    const a2Actuals = await actualsOf(a2);
    assert.equal(
      a2Actuals.reduce((s: bigint, x: any) => s + cents(x.amount), 0n),
      14999n,
      '1.5 × 99.99 = 149.985 → 149.99',
    );
    assert.deepEqual(
      (await actualsOf(b1)).map((x: any) => [x.amount, x.currency]),
      [['500', 'JPY']],
    );
    const c1Actuals = await actualsOf(c1);
    assert.equal(c1Actuals.length, 3);
    assert.equal(
      c1Actuals.reduce((s: bigint, x: any) => s + cents(x.amount), 0n),
      160000n,
    );
    assert.deepEqual(await actualsOf(cFixed), []);
    assert.equal((await actualsOf(done)).length, 1, 'the earlier approval created nothing more');

    // R35: one audit event for each approved entry and each actual created.
    const audit = async (id: string) =>
      (await api.get(`/audit-events?entityId=${id}&entityType=Entry`)).body.items;
    assert.deepEqual(
      (await audit(a2))
        .filter((e: any) => e.action === 'approveEntry')
        .map((e: any) => [e.from, e.to]),
      [['Submitted', 'Approved']],
    );
    for (const x of [...a1Actuals, ...c1Actuals]) {
      const events = (await api.get(`/audit-events?entityId=${x.id}&entityType=Actual`)).body.items;
      assert.deepEqual(
        events.map((e: any) => [e.action, e.to]),
        [['approveEntry', 'UnbilledSalesCreated']],
      );
    }
    assert.deepEqual(await checkInvariants(api.database.db), []);
  });

  it('R21/R23: NTE is consumed in entry order within each contract, whatever the order of the ids', async () => {
    // Contract limit 150.00: two entries of 75.00 fit exactly (equal passes), the third fails.
    const capped = await buildContract(api, { notToExceed: '150.00' });
    const line = await buildLine(api, capped.id);
    const e1 = await submitEntry(api, line.id, { quantity: '1', unitPrice: '75' });
    const e2 = await submitEntry(api, line.id, { quantity: '1', unitPrice: '75' });
    const e3 = await submitEntry(api, line.id, { quantity: '1', unitPrice: '75' });
    // A second capped contract in the same request keeps its own book.
    const other = await buildContract(api, { notToExceed: '100.00' });
    const otherLine = await buildLine(api, other.id);
    const o1 = await submitEntry(api, otherLine.id, { quantity: '1', unitPrice: '60' });
    const o2 = await submitEntry(api, otherLine.id, { quantity: '1', unitPrice: '60' });

    const res = await api.post('/entries/approve', { ids: [o2, e3, e1, o1, e2] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(
      res.body.results.every((r: any) => r.ok && r.status === 'Approved'),
      JSON.stringify(res.body),
    );

    // The ledger names each actual's entry; the T&M backlog shows its NTE status.
    const nte = async (id: string) => {
      const ledger = await actualsOf(id);
      const backlog = (
        await api.get(`/backlog/time-and-material?contractId=${ledger[0].contractId}&limit=500`)
      ).body.items;
      return ledger.map((x: any) => {
        const row = backlog.find((r: any) => r.id === x.id);
        return [row.nteStatus, row.nteFailedLevel ?? null];
      });
    };
    assert.deepEqual(await nte(e1), [['Committed', null]]);
    assert.deepEqual(await nte(e2), [['Committed', null]]);
    assert.deepEqual(await nte(e3), [['Failed', 'Contract']]);
    assert.deepEqual(await nte(o1), [['Committed', null]]);
    assert.deepEqual(await nte(o2), [['Failed', 'Contract']]);
    const shown = (await api.get(`/contracts/${capped.id}`)).body;
    assert.equal(shown.nteUsage.committed, '150.00');

    // The NTE assessments are audited (R35) for the committed and the failed one alike.
    for (const [id, to] of [
      [e1, 'Committed'],
      [e3, 'Failed'],
    ] as const) {
      const [actual] = await actualsOf(id);
      const events = (await api.get(`/audit-events?entityId=${actual.id}&entityType=Actual`)).body
        .items;
      assert.deepEqual(
        events.map((e: any) => [e.action, e.to]),
        [
          ['approveEntry', 'UnbilledSalesCreated'],
          ['assessNte', to],
        ],
      );
    }
  });

  it('an entry whose amount is too large is refused on its own (VALIDATION_FAILED), never a 500', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const ok = await submitEntry(api, line.id, { quantity: '2', unitPrice: '10' });
    // Submission refuses such an amount now (§2); one stored before that still meets approval.
    const huge = await submitEntry(api, line.id, { quantity: '1', unitPrice: '1' });
    await sql`UPDATE entries SET quantity = 999999999999, unit_price = 999999999999
      WHERE id = ${huge}`.execute(api.database.db);
    const res = await api.post('/entries/approve', { ids: [huge, ok] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(answers(res.body.results), [
      [huge, false, 'VALIDATION_FAILED'],
      [ok, true, 'Approved'],
    ]);
    assert.equal(await statusOf(huge), 'Submitted');
    assert.deepEqual(await actualsOf(huge), []);
    const single = await api.post(`/entries/${huge}/approve`, {});
    assert.equal(single.status, 422, JSON.stringify(single.body));
    assert.equal(single.body.code, 'VALIDATION_FAILED');
  });

  it('a database failure on one entry rolls back its batch, which is redone so that only that entry fails', async () => {
    const [a, b] = [await buildContract(api, { percents: ['50', '50'] }), await buildContract(api)];
    const aLine = await buildLine(api, a.id);
    const bLine = await buildLine(api, b.id);
    const a1 = await submitEntry(api, aLine.id);
    const bad = await submitEntry(api, aLine.id);
    const a3 = await submitEntry(api, aLine.id);
    const b1 = await submitEntry(api, bLine.id);
    const db = api.database.db;
    // A real failure inside PostgreSQL, raised while the actuals of one entry are inserted.
    await sql`CREATE TABLE test_refused_entries (entry_id bigint PRIMARY KEY)`.execute(db);
    await sql`INSERT INTO test_refused_entries VALUES (${bad})`.execute(db);
    await sql`CREATE FUNCTION test_refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM test_refused_entries WHERE entry_id = NEW.entry_id) THEN
          RAISE EXCEPTION 'refused for the test';
        END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`CREATE TRIGGER test_refuse_entry BEFORE INSERT ON actuals FOR EACH ROW EXECUTE FUNCTION test_refuse_entry()`.execute(
      db,
    );
    try {
      const reported: string[] = [];
      const results = await bulkApproveEntries(db, 'tester', [b1, bad, a1, 'nope', a3, bad], {
        onServerError: (id) => reported.push(id),
      });
      assert.deepEqual(answers(results), [
        [b1, true, 'Approved'],
        [bad, false, 'INTERNAL'],
        [a1, true, 'Approved'],
        ['nope', false, 'NOT_FOUND'],
        [a3, true, 'Approved'],
        [bad, false, 'INTERNAL'],
      ]);
      assert.deepEqual(reported, [bad]);
      assert.equal(await statusOf(bad), 'Submitted');
      assert.deepEqual(await actualsOf(bad), []);
      for (const id of [a1, a3]) assert.equal((await actualsOf(id)).length, 2);
      assert.equal((await actualsOf(b1)).length, 1);
    } finally {
      await sql`DROP TRIGGER test_refuse_entry ON actuals`.execute(db);
    }
    // Nothing was left half-done: the refused entry approves once the failure is gone.
    const again = await api.post('/entries/approve', { ids: [bad] });
    assert.deepEqual(answers(again.body.results), [[bad, true, 'Approved']]);
    assert.deepEqual(await checkInvariants(db), []);
  });

  it('batches of whole contracts, several transactions, answer exactly like one', async () => {
    const contracts = [
      await buildContract(api),
      await buildContract(api),
      await buildContract(api),
    ];
    const ids: string[] = [];
    for (const c of contracts) {
      const line = await buildLine(api, c.id);
      for (let i = 0; i < 3; i++)
        ids.push(await submitEntry(api, line.id, { quantity: '1', unitPrice: '10' }));
    }
    const asked = [...ids].reverse().concat(ids[0]!);
    const results = await bulkApproveEntries(api.database.db, 'tester', asked, {
      entriesPerTransaction: 2,
    });
    assert.deepEqual(answers(results), [
      ...[...ids].reverse().map((id) => [id, true, 'Approved']),
      [ids[0], false, 'INVALID_TRANSITION'],
    ]);
    for (const id of ids) assert.equal((await actualsOf(id)).length, 1);
  });
});

/**
 * Bulk and single approvals racing over the same entries of several contracts, in opposite
 * orders. On PostgreSQL they run at once (a pool of 20): the contracts are locked in id order
 * and then their entries, so no request deadlocks, each entry is approved exactly once, and
 * no limit is exceeded. On the embedded database the single connection serialises them.
 */
describe(`bulk approval under concurrency [${TARGET}]`, () => {
  it('R14/R21: racing bulk and single approvals approve each entry once and keep every limit', async () => {
    const contracts = [];
    for (let i = 0; i < 4; i++) {
      contracts.push(
        await buildContract(api, {
          percents: ['50', '50'],
          ...(i % 2 === 0 ? { notToExceed: '600.00' } : {}),
        }),
      );
    }
    const ids: string[] = [];
    for (const c of contracts) {
      const line = await buildLine(api, c.id);
      for (let i = 0; i < 6; i++)
        ids.push(await submitEntry(api, line.id, { quantity: '1', unitPrice: '150' }));
    }
    const shuffled = ids
      .map((id, i) => [id, (i * 7) % ids.length] as const)
      .sort((x, y) => x[1] - y[1])
      .map(([id]) => id);
    const requests = [
      api.post('/entries/approve', { ids }),
      api.post('/entries/approve', { ids: [...ids].reverse() }),
      api.post('/entries/approve', { ids: shuffled }),
      api.post('/entries/approve', { ids: ids.filter((_, i) => i % 2 === 1) }),
      ...ids.filter((_, i) => i % 5 === 0).map((id) => api.post(`/entries/${id}/approve`, {})),
    ];
    const responses = await Promise.all(requests);
    const okCount = new Map<string, number>();
    for (const res of responses) {
      if (res.body.results) {
        assert.equal(res.status, 200, JSON.stringify(res.body));
        for (const r of res.body.results) {
          if (r.ok) okCount.set(r.id, (okCount.get(r.id) ?? 0) + 1);
          else assert.equal(r.code, 'INVALID_TRANSITION', JSON.stringify(r));
        }
      } else if (res.status === 200) {
        okCount.set(res.body.entry.id, (okCount.get(res.body.entry.id) ?? 0) + 1);
      } else {
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.code, 'INVALID_TRANSITION');
      }
    }
    for (const id of ids) {
      assert.equal(okCount.get(id), 1, `entry ${id} approved exactly once`);
      assert.equal((await actualsOf(id)).length, 2, `entry ${id} has one actual per line customer`);
    }
    for (const c of contracts) {
      const shown = (await api.get(`/contracts/${c.id}`)).body;
      if (shown.nteUsage?.limit) {
        // 6 entries of 150.00: four fit the 600.00 cap exactly, whichever request won.
        assert.equal(shown.nteUsage.committed, '600.00');
      }
    }
    assert.deepEqual(await checkInvariants(api.database.db), []);
  });
});
