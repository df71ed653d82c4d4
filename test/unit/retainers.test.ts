import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { availableAmount, drawRetainers, giveBackRetainers } from '../../src/domain/retainers.js';

describe('R51 available amount', () => {
  it('R51: is 0 until the retainer is posted, then amount − used', () => {
    for (const billingStatus of [
      'NotReadyToInvoice',
      'ReadyToInvoice',
      'CustomerInvoiceCreated',
    ] as const) {
      assert.equal(availableAmount({ amount: 500n, usedAmount: 0n, billingStatus }), 0n);
    }
    assert.equal(
      availableAmount({ amount: 500n, usedAmount: 120n, billingStatus: 'CustomerInvoicePosted' }),
      380n,
    );
    assert.equal(
      availableAmount({ amount: 500n, usedAmount: 500n, billingStatus: 'CustomerInvoicePosted' }),
      0n,
    );
  });
});

describe('R52 drawing retainers', () => {
  it('R52: oldest first, the last one partly, never past the chargeable total', () => {
    assert.deepEqual(
      drawRetainers(700n, [
        { id: '1', available: 300n },
        { id: '2', available: 0n },
        { id: '3', available: 500n },
        { id: '4', available: 100n },
      ]),
      [
        { retainerId: '1', amount: 300n },
        { retainerId: '3', amount: 400n },
      ],
    );
  });

  it('R52: nothing is applied to a zero or negative total', () => {
    assert.deepEqual(drawRetainers(0n, [{ id: '1', available: 300n }]), []);
    assert.deepEqual(drawRetainers(-50n, [{ id: '1', available: 300n }]), []);
  });

  it('R52: applies min(total, sum available), each draw positive and within its retainer', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -1000n, max: 100_000n }),
        fc.array(fc.bigInt({ min: -10n, max: 50_000n }), { maxLength: 8 }),
        (total, availables) => {
          const retainers = availables.map((available, i) => ({ id: String(i + 1), available }));
          const draws = drawRetainers(total, retainers);
          const applied = draws.reduce((s, d) => s + d.amount, 0n);
          const pool = availables.reduce((s, a) => s + (a > 0n ? a : 0n), 0n);
          const cap = total > 0n ? total : 0n;
          assert.equal(applied, cap < pool ? cap : pool);
          for (const d of draws) {
            assert.ok(d.amount > 0n);
            assert.ok(d.amount <= (retainers[Number(d.retainerId) - 1]?.available ?? 0n));
          }
        },
      ),
    );
  });
});

describe('R65 + R52 giving a draw back on correction', () => {
  it('R65: a full credit gives back every draw; a partial one only what the work no longer carries, newest first', () => {
    const drawn = [
      { id: 'old', drawn: 300n },
      { id: 'new', drawn: 200n },
    ];
    assert.deepEqual(giveBackRetainers(0n, drawn), [
      { retainerId: 'old', amount: 300n },
      { retainerId: 'new', amount: 200n },
    ]);
    assert.deepEqual(giveBackRetainers(500n, drawn), []);
    assert.deepEqual(giveBackRetainers(900n, drawn), []);
    assert.deepEqual(giveBackRetainers(350n, drawn), [{ retainerId: 'new', amount: 150n }]);
    assert.deepEqual(giveBackRetainers(100n, drawn), [
      { retainerId: 'old', amount: 200n },
      { retainerId: 'new', amount: 200n },
    ]);
  });

  it('R52: what stays drawn is min(drawn, work); each give-back positive and within its draw', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -1000n, max: 5000n }),
        fc.array(fc.bigInt({ min: 0n, max: 1000n }), { maxLength: 6 }),
        (work, amounts) => {
          const drawn = amounts.map((d, i) => ({ id: String(i), drawn: d }));
          const back = giveBackRetainers(work, drawn);
          const total = amounts.reduce((s, d) => s + d, 0n);
          const returned = back.reduce((s, b) => s + b.amount, 0n);
          const carried = work > 0n ? work : 0n;
          assert.equal(total - returned, total < carried ? total : carried);
          for (const b of back) {
            assert.ok(
              b.amount > 0n && b.amount <= (drawn.find((d) => d.id === b.retainerId)?.drawn ?? 0n),
            );
          }
        },
      ),
    );
  });
});
