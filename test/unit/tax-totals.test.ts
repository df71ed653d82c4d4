import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  retainerApplicationCap,
  taxOf,
  taxTotals,
  type TaxedAmount,
  type TaxGroup,
} from '../../src/domain/tax-totals.js';

const S19: TaxGroup = { category: 'S', rate: 1900n };
const S7: TaxGroup = { category: 'S', rate: 700n };
const AE: TaxGroup = { category: 'AE', rate: 0n, exemptionReason: 'Reverse charge' };

describe('R74 tax totals', () => {
  it('R74: groups details by (category, rate), tax rounded to the minor unit', () => {
    const t = taxTotals(
      [
        { amount: 100_00n, taxGroup: S19 },
        { amount: 50_00n, taxGroup: S7 },
        { amount: 33_33n, taxGroup: { ...S19 } },
        { amount: 200_00n, taxGroup: AE },
      ],
      [],
    );
    assert.deepEqual(t.taxBreakdown, [
      // 133.33 × 19 % = 25.3327 → 25.33
      { category: 'S', rate: 1900n, taxableAmount: 133_33n, taxAmount: 25_33n },
      { category: 'S', rate: 700n, taxableAmount: 50_00n, taxAmount: 3_50n },
      {
        category: 'AE',
        rate: 0n,
        taxableAmount: 200_00n,
        taxAmount: 0n,
        exemptionReason: 'Reverse charge',
      },
    ]);
    assert.equal(t.taxTotal, 28_83n);
    assert.equal(t.totalWithTax, 383_33n + 28_83n);
    assert.equal(t.amountWithoutTaxCode, 0n);
  });

  it('R74: rounds halves away from zero, so a credit is the exact negative', () => {
    // 0.50 × 19 % = 0.095 → 0.10; −0.50 → −0.10
    assert.equal(taxOf(50n, 1900n), 10n);
    assert.equal(taxOf(-50n, 1900n), -10n);
    // 0.02 × 12.50 % = 0.0025 → 0.00
    assert.equal(taxOf(2n, 1250n), 0n);
    // JPY (no minor digits): 1005 × 10 % = 100.5 → 101
    assert.equal(taxOf(1005n, 1000n), 101n);
    assert.equal(taxOf(-1005n, 1000n), -101n);
  });

  it('R74: retainer applications are deducted before tax in the group of their own code', () => {
    const t = taxTotals(
      [
        { amount: 1000_00n, taxGroup: S19 },
        { amount: 300_00n, taxGroup: null },
      ],
      [
        { amount: 400_00n, taxGroup: S19 },
        { amount: 100_00n, taxGroup: null },
      ],
    );
    assert.deepEqual(t.taxBreakdown, [
      { category: 'S', rate: 1900n, taxableAmount: 600_00n, taxAmount: 114_00n },
    ]);
    assert.equal(t.amountWithoutTaxCode, 200_00n);
    assert.equal(t.taxTotal, 114_00n);
    assert.equal(t.totalWithTax, 800_00n + 114_00n);
  });

  it('R74: no tax code anywhere gives R61 totals exactly, taxTotal 0 and no breakdown', () => {
    const t = taxTotals(
      [{ amount: 500_00n, taxGroup: null }],
      [{ amount: 50_00n, taxGroup: null }],
    );
    assert.deepEqual(t, {
      taxBreakdown: [],
      amountWithoutTaxCode: 450_00n,
      taxTotal: 0n,
      totalWithTax: 450_00n,
    });
  });

  it('R74/R52: a retainer assigned to a group may apply at most what that group still has', () => {
    const details: TaxedAmount[] = [
      { amount: 300_00n, taxGroup: S19 },
      { amount: 200_00n, taxGroup: S7 },
      { amount: 100_00n, taxGroup: null },
    ];
    assert.equal(retainerApplicationCap(details, [], S19), 300_00n);
    assert.equal(retainerApplicationCap(details, [], null), 100_00n);
    assert.equal(retainerApplicationCap(details, [], AE), 0n);
    assert.equal(
      retainerApplicationCap(details, [{ amount: 250_00n, taxGroup: S19 }], { ...S19 }),
      50_00n,
    );
    assert.equal(retainerApplicationCap(details, [{ amount: 400_00n, taxGroup: S19 }], S19), 0n);
  });
});

const group = fc.oneof(
  fc.constant(null),
  fc.constantFrom<TaxGroup>(
    S19,
    S7,
    { category: 'S', rate: 1250n },
    { category: 'S', rate: 1n },
    { category: 'Z', rate: 0n },
    AE,
    { category: 'L', rate: 950n },
  ),
);
const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n });
const details = fc.array(fc.record({ amount, taxGroup: group }), { maxLength: 30 });
const positiveDetails = fc.array(
  fc.record({ amount: fc.bigInt({ min: 0n, max: 10n ** 12n }), taxGroup: group }),
  { maxLength: 30 },
);

/** Applications built against R52's cap: each takes a share of what its group has left. */
const cappedApplications = (ds: TaxedAmount[]) =>
  fc
    .array(fc.record({ taxGroup: group, share: fc.bigInt({ min: 0n, max: 100n }) }), {
      maxLength: 10,
    })
    .map((wanted) => {
      const applied: TaxedAmount[] = [];
      for (const w of wanted) {
        const cap = retainerApplicationCap(ds, applied, w.taxGroup);
        applied.push({ amount: (cap * w.share) / 100n, taxGroup: w.taxGroup });
      }
      return applied;
    });

const sumOf = (xs: readonly TaxedAmount[]) => xs.reduce((s, x) => s + x.amount, 0n);
const negate = (xs: readonly TaxedAmount[]) => xs.map((x) => ({ ...x, amount: -x.amount }));

describe('R74 tax totals, properties', () => {
  it('R74: the groups (with the group without tax) sum exactly to the invoice total', () => {
    fc.assert(
      fc.property(details, details, (ds, apps) => {
        const t = taxTotals(ds, apps);
        const total = sumOf(ds) - sumOf(apps);
        const taxable = t.taxBreakdown.reduce((s, l) => s + l.taxableAmount, 0n);
        assert.equal(taxable + t.amountWithoutTaxCode, total);
        assert.equal(t.totalWithTax, total + t.taxTotal);
        assert.equal(
          t.taxTotal,
          t.taxBreakdown.reduce((s, l) => s + l.taxAmount, 0n),
        );
      }),
    );
  });

  it('R74/R52: no group is negative when applications respect the cap', () => {
    fc.assert(
      fc.property(
        positiveDetails.chain((ds) => fc.tuple(fc.constant(ds), cappedApplications(ds))),
        ([ds, apps]) => {
          const t = taxTotals(ds, apps);
          for (const l of t.taxBreakdown) {
            assert.ok(l.taxableAmount >= 0n, `${l.category} ${l.rate}: ${l.taxableAmount}`);
            assert.ok(l.taxAmount >= 0n);
          }
          assert.ok(t.amountWithoutTaxCode >= 0n);
        },
      ),
    );
  });

  it('R74: the tax of the negated invoice (a full credit) is exactly the negation', () => {
    fc.assert(
      fc.property(details, details, (ds, apps) => {
        const t = taxTotals(ds, apps);
        const credit = taxTotals(negate(ds), negate(apps));
        assert.equal(credit.taxTotal, -t.taxTotal);
        assert.equal(credit.totalWithTax, -t.totalWithTax);
        assert.deepEqual(
          credit.taxBreakdown.map((l) => [l.category, l.rate, l.taxableAmount, l.taxAmount]),
          t.taxBreakdown.map((l) => [l.category, l.rate, -l.taxableAmount, -l.taxAmount]),
        );
      }),
    );
  });

  it('R74: with no tax code anywhere, taxTotal is 0 and totalWithTax is the total', () => {
    const untaxed = fc.array(fc.record({ amount, taxGroup: fc.constant(null) }), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(untaxed, untaxed, (ds, apps) => {
        const t = taxTotals(ds, apps);
        assert.deepEqual(t.taxBreakdown, []);
        assert.equal(t.taxTotal, 0n);
        assert.equal(t.totalWithTax, sumOf(ds) - sumOf(apps));
      }),
    );
  });

  it('R74: each group tax is within half a minor unit of the exact product', () => {
    fc.assert(
      fc.property(amount, fc.bigInt({ min: 0n, max: 10_000n }), (taxable, rate) => {
        const exact = taxable * rate; // in 1/10 000 of a minor unit
        const diff = taxOf(taxable, rate) * 10_000n - exact;
        assert.ok(diff <= 5_000n && diff >= -5_000n);
      }),
    );
  });
});
