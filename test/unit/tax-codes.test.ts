import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inUseChanges, taxCodeErrors, type TaxTreatment } from '../../src/domain/tax-codes.js';
import { VAT_CATEGORIES } from '../../src/domain/vocabulary.js';

const fields = (t: TaxTreatment) => taxCodeErrors(t).map((e) => e.field);

describe('R72 tax code rules', () => {
  it('R72: the EN 16931 VAT categories are S, Z, E, AE, K, G, O, L, M', () => {
    assert.deepEqual([...VAT_CATEGORIES], ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M']);
  });

  it('R72: S needs a rate > 0 and no exemption reason', () => {
    assert.deepEqual(fields({ category: 'S', rate: 1900n, exemptionReason: null }), []);
    assert.deepEqual(taxCodeErrors({ category: 'S', rate: 0n, exemptionReason: null }), [
      { field: 'rate', message: 'must be greater than 0 for category S' },
    ]);
    assert.deepEqual(fields({ category: 'S', rate: 700n, exemptionReason: 'why' }), [
      'exemptionReason',
    ]);
  });

  it('R72: Z needs a rate of 0 and no exemption reason', () => {
    assert.deepEqual(fields({ category: 'Z', rate: 0n, exemptionReason: null }), []);
    assert.deepEqual(fields({ category: 'Z', rate: 1n, exemptionReason: null }), ['rate']);
  });

  for (const category of ['E', 'AE', 'K', 'G', 'O'] as const) {
    it(`R72: ${category} needs a rate of 0 and an exemption reason`, () => {
      assert.deepEqual(fields({ category, rate: 0n, exemptionReason: 'Article 196' }), []);
      assert.deepEqual(fields({ category, rate: 0n, exemptionReason: null }), ['exemptionReason']);
      assert.deepEqual(
        taxCodeErrors({ category, rate: 1000n, exemptionReason: null }).map((e) => e.message),
        [`must be 0 for category ${category}`, `is required for category ${category}`],
      );
    });
  }

  for (const category of ['L', 'M'] as const) {
    it(`R72: ${category} takes any rate from 0 and no exemption reason`, () => {
      assert.deepEqual(fields({ category, rate: 0n, exemptionReason: null }), []);
      assert.deepEqual(fields({ category, rate: 700n, exemptionReason: null }), []);
      assert.deepEqual(fields({ category, rate: 700n, exemptionReason: 'x' }), ['exemptionReason']);
    });
  }

  it('R72: a rate is a percent from 0 to 100', () => {
    assert.deepEqual(fields({ category: 'S', rate: 10_000n, exemptionReason: null }), []);
    assert.deepEqual(fields({ category: 'S', rate: 10_001n, exemptionReason: null }), ['rate']);
    assert.deepEqual(fields({ category: 'L', rate: -1n, exemptionReason: null }), ['rate']);
  });

  it('R72: a code in use may not change category, rate or exemption reason; restating them is no change', () => {
    const current: TaxTreatment = { category: 'E', rate: 0n, exemptionReason: 'Art. 132' };
    assert.deepEqual(inUseChanges(current, { ...current }), []);
    assert.deepEqual(inUseChanges(current, { ...current, category: 'O' }), ['category']);
    assert.deepEqual(inUseChanges(current, { ...current, rate: 1n }), ['rate']);
    assert.deepEqual(inUseChanges(current, { ...current, exemptionReason: 'Art. 135' }), [
      'exemptionReason',
    ]);
  });
});
