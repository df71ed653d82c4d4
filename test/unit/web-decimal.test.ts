import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  compareDecimals,
  formatDecimal as format,
  sumDecimals,
} from '../../web/src/lib/decimal.js';

/** Intl separates the currency code with a no-break space; compare with a plain one. */
const formatDecimal = (...args: Parameters<typeof format>) =>
  format(...args).replace(/\u00a0/g, ' ');

describe('web UI decimals (R1, R2: never a float)', () => {
  it('R1: formats amounts with every digit, beyond what a float can hold', () => {
    assert.equal(
      formatDecimal('123456789012345678.91', 'en-US', 'USD'),
      'USD 123,456,789,012,345,678.91',
    );
    assert.equal(formatDecimal('0.10', 'en-US'), '0.10');
    assert.equal(formatDecimal('1234.5', 'de-DE'), '1.234,5');
    assert.equal(formatDecimal('-400.00', 'en-US', 'USD'), '-USD 400.00');
    assert.equal(formatDecimal('1000', 'en-US', 'JPY'), 'JPY 1,000');
    assert.equal(formatDecimal('1.234', 'en-US', 'KWD'), 'KWD 1.234');
  });

  it('R1: formatters are reused per locale, currency and scale, never mixed up', () => {
    const cases: [string, string | undefined, string | undefined, string][] = [
      ['1.5', 'en-US', 'USD', 'USD 1.5'],
      ['1.50', 'en-US', 'USD', 'USD 1.50'],
      ['1.5', 'en-US', 'EUR', 'EUR 1.5'],
      ['1.5', 'de-DE', 'USD', '1,5 USD'],
      ['1.5', 'en-US', undefined, '1.5'],
      ['2', 'en-US', 'USD', 'USD 2'],
    ];
    // Twice, in another order the second time: the cached formatter answers the same.
    for (const [value, locale, currency, expected] of [...cases, ...cases.reverse()]) {
      assert.equal(formatDecimal(value, locale, currency), expected);
    }
  });

  it('R1: sums decimal strings exactly', () => {
    assert.equal(sumDecimals(['0.10', '0.20']), '0.30');
    assert.equal(sumDecimals(['9007199254740993.01', '0.01']), '9007199254740993.02');
    assert.equal(sumDecimals(['-1.005', '1']), '-0.005');
    assert.equal(sumDecimals([]), '0');
  });

  it('R1: a sum of cents equals the integer sum, whatever the values', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })), (cents) => {
        const text = (c: bigint) =>
          `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;
        const total = cents.reduce((a, b) => a + b, 0n);
        assert.equal(compareDecimals(sumDecimals(cents.map(text)), text(total)), 0);
      }),
    );
  });
});
