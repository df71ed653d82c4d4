import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  currencyExponent,
  divRoundHalfUp,
  extendAmount,
  formatDecimal,
  formatUnitPrice,
  parseDecimal,
  UNIT_PRICE_SCALE,
} from '../../src/domain/money.js';
import { unitPriceText } from '../../src/views/presenters/money.js';

describe('exact decimals (R1, R2)', () => {
  it('parses and formats without floats', () => {
    assert.equal(parseDecimal('1600.00', 2), 160000n);
    assert.equal(parseDecimal('8', 2), 800n);
    assert.equal(parseDecimal('0.1', 2), 10n);
    assert.equal(parseDecimal('-0.00', 2), 0n);
    assert.equal(
      parseDecimal('1.005', 2),
      null,
      'more decimals than the scale is refused, not rounded',
    );
    assert.equal(parseDecimal('1.50', 0), null);
    assert.equal(parseDecimal('1e3', 2), null);
    assert.equal(formatDecimal(160000n, 2), '1600.00');
    assert.equal(formatDecimal(-5n, 2), '-0.05');
    assert.equal(formatDecimal(1234n, 0), '1234');
    assert.equal(formatDecimal(1234n, 3), '1.234');
  });

  it('round-trips any value at any currency exponent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.constantFrom(0, 2, 3),
        (v, scale) => {
          assert.equal(parseDecimal(formatDecimal(v, scale), scale, 18), v);
        },
      ),
    );
  });

  it('rounds half away from zero', () => {
    assert.equal(divRoundHalfUp(5n, 2n), 3n);
    assert.equal(divRoundHalfUp(-5n, 2n), -3n);
    assert.equal(divRoundHalfUp(4n, 3n), 1n);
    assert.equal(divRoundHalfUp(5n, 3n), 2n);
  });

  it('extends quantity × unit price to the minor unit', () => {
    // 7.5 h × 200.00 = 1500.00
    assert.equal(extendAmount(750n, 200_000000n, 2), 150000n);
    // 3 × 0.333333 = 0.999999 → 1.00
    assert.equal(extendAmount(300n, 333333n, 2), 100n);
    // JPY: 1.5 × 333 = 499.5 → 500
    assert.equal(extendAmount(150n, 333_000000n, 0), 500n);
  });
});

describe('unit prices as the backlog shows them', () => {
  it('trims stored text exactly as formatting the parsed units does', () => {
    // The page trims the column's text without parsing it (issue 18); the long way is the
    // reference: parse at scale 6, format with the currency's digits.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
        fc.constantFrom('USD', 'JPY', 'BHD', 'EUR'),
        (units, currency) => {
          const stored = formatDecimal(units, UNIT_PRICE_SCALE);
          assert.equal(
            unitPriceText(stored, currency),
            formatUnitPrice(units, currencyExponent(currency)),
          );
        },
      ),
    );
    assert.equal(unitPriceText('120.000000', 'USD'), '120.00');
    assert.equal(unitPriceText('120.125000', 'USD'), '120.125');
    assert.equal(unitPriceText('1500.000000', 'JPY'), '1500');
    assert.equal(unitPriceText('0.500000', 'BHD'), '0.500');
  });
});
