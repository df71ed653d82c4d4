import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  detailDescription,
  formatAmount,
  formatIban,
  formatMoney,
  formatPrice,
  formatQuantity,
  formatRate,
} from '../../src/documents/document-text.js';
import { formatDecimal } from '../../src/domain/money.js';
import { detail } from '../support/invoice-document.js';

describe('R78 document text', () => {
  it('R1: an amount prints every digit of its minor units, grouped by thousands', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.constantFrom(0, 2, 3),
        (units, exponent) => {
          const text = formatAmount(units, exponent);
          assert.equal(text.replace(/,/g, ''), formatDecimal(units, exponent));
          const [int = ''] = text.replace('-', '').split('.');
          assert.match(int, /^\d{1,3}(,\d{3})*$/);
        },
      ),
    );
  });

  it('R1: examples in each currency’s decimals', () => {
    assert.equal(formatMoney(123_456_789n, 'EUR', 2), '€ 1,234,567.89');
    assert.equal(formatMoney(-30_000n, 'EUR', 2), '€ -300.00');
    assert.equal(formatMoney(4_500n, 'JPY', 0), '¥ 4,500');
    assert.equal(formatMoney(1_250n, 'KWD', 3), 'KWD 1.250');
    assert.equal(formatMoney(9_007_199_254_740_993n, 'USD', 2), '$ 90,071,992,547,409.93');
  });

  it('quantities, unit prices and rates', () => {
    assert.equal(formatQuantity(800n), '8');
    assert.equal(formatQuantity(750n), '7.50');
    assert.equal(formatQuantity(-125n), '-1.25');
    assert.equal(formatQuantity(123_456_00n), '123,456');
    assert.equal(formatPrice(120_000_000n, 2), '120.00');
    assert.equal(formatPrice(1_234_567_891n, 2), '1,234.567891');
    assert.equal(formatPrice(1_500_000_000n, 0), '1,500');
    assert.equal(formatRate(1900n), '19%');
    assert.equal(formatRate(750n), '7.5%');
    assert.equal(formatRate(0n), '0%');
  });

  it('IBANs print in groups of four', () => {
    assert.equal(formatIban('DE89370400440532013000'), 'DE89 3704 0044 0532 0130 00');
    assert.equal(formatIban('de89 3704 0044 0532 0130 00'), 'de89 3704 0044 0532 0130 00');
  });

  it('R61, R77: a detail shows its work and whether it is charged', () => {
    assert.equal(
      detailDescription(detail(1)),
      'Workshop preparation 1\nÉlodie Martin · Senior consultant',
    );
    assert.equal(
      detailDescription(detail(2, { resource: null, role: null, billingType: 'NonChargeable' })),
      'Workshop preparation 2\nNon-chargeable: not charged',
    );
  });
});
