import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate, checkSplit, divide, type SplitShare } from '../../src/domain/split.js';
import { planSplits } from '../../src/domain/contract-setup.js';
import { DomainError } from '../../src/domain/errors.js';

/** Percentages (scale 2) that sum to exactly 100.00, with one rounding share. */
const shares = fc
  .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 })
  .chain((weights) =>
    fc.integer({ min: 0, max: weights.length - 1 }).map((rounding) => {
      const total = weights.reduce((a, b) => a + b, 0) || 1;
      const percents = weights.map((w) => BigInt(Math.floor((w * 10_000) / total)));
      const residue = 10_000n - percents.reduce((a, b) => a + b, 0n);
      percents[0] = (percents[0] ?? 0n) + residue;
      return percents.map((percent, i): SplitShare => ({ percent, isRounding: i === rounding }));
    }),
  );

describe('R3 split over customers', () => {
  it('gives the spec example: 1000.00 over 33.33 (rounding) / 33.33 / 33.34', () => {
    const parts = allocate(100000n, [
      { percent: 3333n, isRounding: true },
      { percent: 3333n, isRounding: false },
      { percent: 3334n, isRounding: false },
    ]);
    assert.deepEqual(parts, [33330n, 33330n, 33340n]);
  });

  it('splits 1600.00 three ways into parts that sum to exactly 1600.00', () => {
    const parts = allocate(160000n, [
      { percent: 3333n, isRounding: true },
      { percent: 3333n, isRounding: false },
      { percent: 3334n, isRounding: false },
    ]);
    // 1600.00 × 33.33 % = 533.28; × 33.34 % = 533.44; the rounding customer takes the rest.
    assert.deepEqual(parts, [160000n - 53328n - 53344n, 53328n, 53344n]);
    assert.equal(
      parts.reduce((a, b) => a + b, 0n),
      160000n,
    );
  });

  it('always sums exactly to the whole, for any amount, percentages and exponent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        shares,
        fc.constantFrom(0, 2, 3),
        (amount, split, _exponent) => {
          const parts = allocate(amount, split);
          assert.equal(parts.length, split.length);
          assert.equal(
            parts.reduce((a, b) => a + b, 0n),
            amount,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives each non-rounding share round_half_up(amount × pct / 100) when that leaves a residue ≥ 0', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), shares, (amount, split) => {
        const parts = allocate(amount, split);
        const rounded = split.map((s) => (amount * s.percent * 2n + 10_000n) / 20_000n);
        const others = rounded.reduce((a, r, i) => (split[i]?.isRounding ? a : a + r), 0n);
        fc.pre(others <= amount);
        split.forEach((s, i) => {
          if (s.isRounding) return;
          const exact2 = amount * s.percent * 2n;
          const expected = (exact2 + 10_000n) / 20_000n;
          assert.equal(parts[i], expected);
        });
      }),
    );
  });

  it('keeps every part within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), shares, (amount, split) => {
        const parts = allocate(amount, split);
        split.forEach((s, i) => {
          if (s.isRounding) return;
          const exact = amount * s.percent; // in units × 10^4
          const diff = (parts[i] ?? 0n) * 10_000n - exact;
          assert.ok(
            diff > -10_000n && diff < 10_000n,
            `part ${parts[i]} strays from ${exact}/10000`,
          );
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('splits a credit as the mirror image of the charge', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), shares, (amount, split) => {
        assert.deepEqual(
          allocate(-amount, split),
          allocate(amount, split).map((p) => -p),
        );
      }),
    );
  });

  it('never gives a negative part of a positive amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), shares, (amount, split) => {
        for (const p of allocate(amount, split)) assert.ok(p >= 0n, `negative part ${p}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('R6 no part of a split is ever negative', () => {
  const split = (percents: bigint[], rounding: number): SplitShare[] =>
    percents.map((percent, i) => ({ percent, isRounding: i === rounding }));

  it('R6: the part rounded up the most gives back: 0.02 over 34 / 30 / 34 / 2 % (rounding last)', () => {
    // Exact shares 0.0068, 0.006, 0.0068: all round up to 0.01 (by 0.0032, 0.004, 0.0032),
    // three cents of two. The 30 % part was rounded up the most and gives its cent back.
    assert.deepEqual(allocate(2n, split([3400n, 3000n, 3400n, 200n], 3)), [1n, 0n, 1n, 0n]);
  });

  it('R6: equal round-ups give back in customer order', () => {
    // 0.02 over 33 / 33 / 33 / 1 %: 0.0066 each rounds up to 0.01; the first gives back.
    assert.deepEqual(allocate(2n, split([3300n, 3300n, 3300n, 100n], 3)), [0n, 1n, 1n, 0n]);
    // 0.01 over 50 / 50 / 0 % (rounding last): 0.005 rounds up twice; the first gives back.
    assert.deepEqual(allocate(1n, split([5000n, 5000n, 0n], 2)), [0n, 1n, 0n]);
  });

  it('R6: gives back only until the rounding part is zero, never more', () => {
    // 0.05 over 8 × 10 % and 20 % rounding: eight parts of 0.005 round up to 0.01 (eight
    // cents of five); three give back and the rounding customer gets 0.
    const parts = allocate(5n, split([...Array(8).fill(1000n), 2000n] as bigint[], 8));
    assert.deepEqual(parts, [0n, 0n, 0n, 1n, 1n, 1n, 1n, 1n, 0n]);
  });

  const R3_ROUNDED = (amount: bigint, s: SplitShare) =>
    (amount * s.percent * 2n + 10_000n) / 20_000n;

  it('R6: parts sum exactly, none is negative, each non-rounding part within one unit of its exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 6n }), shares, (amount, split) => {
        const parts = allocate(amount, split);
        assert.equal(
          parts.reduce((a, b) => a + b, 0n),
          amount,
        );
        split.forEach((s, i) => {
          const part = parts[i] ?? 0n;
          assert.ok(part >= 0n, `negative part ${part}`);
          if (s.isRounding) return;
          const diff = part * 10_000n - amount * s.percent; // units × 10^4
          assert.ok(diff > -10_000n && diff < 10_000n, `part ${part} strays from its share`);
        });
      }),
      { numRuns: 5000 },
    );
  });

  it('R6: with three customers or fewer every part, the rounding one too, is within one unit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 4n }),
        shares.filter((s) => s.length <= 3),
        (amount, split) => {
          const parts = allocate(amount, split);
          split.forEach((s, i) => {
            const diff = (parts[i] ?? 0n) * 10_000n - amount * s.percent;
            assert.ok(diff > -10_000n && diff < 10_000n, `part ${parts[i]} strays from its share`);
          });
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('R6: only when R3 would go negative does anything change, and then the rounding part is 0', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 4n }), shares, (amount, split) => {
        const parts = allocate(amount, split);
        const r3 = split.map((s) => (s.isRounding ? 0n : R3_ROUNDED(amount, s)));
        const residue = amount - r3.reduce((a, b) => a + b, 0n);
        const roundingIndex = split.findIndex((s) => s.isRounding);
        if (residue >= 0n) {
          r3[roundingIndex] = residue;
          assert.deepEqual(parts, r3);
          return;
        }
        assert.equal(parts[roundingIndex], 0n);
        // Exactly −residue parts gave back one unit each, all of them rounded up by R3.
        const gaveBack = split
          .map((s, i) => ({ i, by: r3[i]! - parts[i]! }))
          .filter((x) => x.i !== roundingIndex && x.by !== 0n);
        assert.equal(BigInt(gaveBack.length), -residue);
        for (const { i, by } of gaveBack) {
          assert.equal(by, 1n);
          assert.ok(
            r3[i]! * 10_000n > amount * split[i]!.percent,
            'only a rounded-up part gives back',
          );
        }
        // …and none kept its unit while rounded up more than one that gave back.
        const up = (i: number) => r3[i]! * 10_000n - amount * split[i]!.percent;
        const kept = split
          .map((_s, i) => i)
          .filter((i) => i !== roundingIndex && up(i) > 0n && r3[i] === parts[i]);
        for (const k of kept)
          for (const { i } of gaveBack)
            assert.ok(up(k) < up(i) || (up(k) === up(i) && k > i), 'gave back out of order');
      }),
      { numRuns: 5000 },
    );
  });
});

describe('R4 divide a total into scheduled parts', () => {
  it('10,000.00 over 3 → 3,333.33, 3,333.33, 3,333.34', () => {
    assert.deepEqual(divide(1_000_000n, 3), [333_333n, 333_333n, 333_334n]);
  });

  it('parts are equal but the last, sum exactly, and are never negative', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 1, max: 400 }),
        (total, n) => {
          const parts = divide(total, n);
          assert.equal(parts.length, n);
          assert.equal(
            parts.reduce((a, b) => a + b, 0n),
            total,
          );
          for (const p of parts.slice(0, -1)) assert.equal(p, parts[0]);
          for (const p of parts) assert.ok(p >= 0n);
        },
      ),
    );
  });
});

describe('R5 split percentages must sum to 100', () => {
  it('reports a sum that is not 100 and two rounding customers', () => {
    const problems = checkSplit([
      { percent: 5000n, isRounding: true },
      { percent: 4000n, isRounding: true },
    ]);
    assert.equal(problems.length, 2);
  });

  it('defaults to an even split with the first customer rounding', () => {
    const planned = planSplits(
      [{ customerId: '1' }, { customerId: '2' }, { customerId: '3' }],
      2,
      'customers',
    );
    assert.deepEqual(
      planned.map((p) => [p.percent, p.isRounding]),
      [
        [3333n, true],
        [3333n, false],
        [3334n, false],
      ],
    );
  });

  it('names the failing field', () => {
    assert.throws(
      () =>
        planSplits(
          [
            { customerId: '1', percent: '60' },
            { customerId: '2', percent: '30' },
          ],
          2,
          'customers',
        ),
      (e: unknown) => e instanceof DomainError && e.errors?.[0]?.field === 'customers',
    );
  });
});
