import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { availableAmount, drawRetainers } from '../../src/domain/retainers.js';
import { giveBackRetainersByGroup } from '../../src/domain/retainer-groups.js';

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
  const NO_TAX = null;
  const S19 = { category: 'S' as const, rate: 1900n };
  const S7 = { category: 'S' as const, rate: 700n };
  const giveBack = (work: bigint, drawn: { id: string; drawn: bigint }[]) =>
    giveBackRetainersByGroup(
      [{ amount: work, taxGroup: NO_TAX }],
      drawn.map((d) => ({ retainerId: d.id, amount: d.drawn, group: NO_TAX })),
    );

  it('R65: a full credit gives back every draw; a partial one only what the work no longer carries, newest first', () => {
    const drawn = [
      { id: 'old', drawn: 300n },
      { id: 'new', drawn: 200n },
    ];
    assert.deepEqual(giveBack(0n, drawn), [
      { retainerId: 'old', amount: 300n },
      { retainerId: 'new', amount: 200n },
    ]);
    assert.deepEqual(giveBack(500n, drawn), []);
    assert.deepEqual(giveBack(900n, drawn), []);
    assert.deepEqual(giveBack(350n, drawn), [{ retainerId: 'new', amount: 150n }]);
    assert.deepEqual(giveBack(100n, drawn), [
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
          const back = giveBack(work, drawn);
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

  it('R74: each tax group keeps what its own work carries; work in another group carries nothing', () => {
    // 19 %: 300.00 drawn, 100.00 of work left; 7 %: 200.00 drawn, all its work left.
    const back = giveBackRetainersByGroup(
      [
        { amount: 10_000n, taxGroup: S19 },
        { amount: 50_000n, taxGroup: S7 },
      ],
      [
        { retainerId: 'a19', amount: 30_000n, group: S19 },
        { retainerId: 'b7', amount: 20_000n, group: S7 },
      ],
    );
    // The invoice's total (600.00) would carry both draws; the 19 % group does not.
    assert.deepEqual(back, [{ retainerId: 'a19', amount: 20_000n }]);
  });

  it('R74: after the give-back no group keeps more drawn than its work', () => {
    const group = fc.constantFrom(NO_TAX, S19, S7);
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.bigInt({ min: -500n, max: 3000n }), taxGroup: group }), {
          maxLength: 6,
        }),
        fc.array(fc.record({ amount: fc.bigInt({ min: 0n, max: 1000n }), group }), {
          maxLength: 6,
        }),
        (work, draws) => {
          const drawn = draws.map((d, i) => ({ retainerId: String(i), ...d }));
          const back = new Map(
            giveBackRetainersByGroup(work, drawn).map((b) => [b.retainerId, b.amount]),
          );
          for (const g of [NO_TAX, S19, S7]) {
            const carried = work.filter((w) => w.taxGroup === g).reduce((s, w) => s + w.amount, 0n);
            const kept = drawn
              .filter((d) => d.group === g)
              .reduce((s, d) => s + d.amount - (back.get(d.retainerId) ?? 0n), 0n);
            const drawnInGroup = drawn
              .filter((d) => d.group === g)
              .reduce((s, d) => s + d.amount, 0n);
            const cap = carried > 0n ? carried : 0n;
            assert.equal(kept, drawnInGroup < cap ? drawnInGroup : cap);
          }
        },
      ),
    );
  });
});
