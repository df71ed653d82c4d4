import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageing, bucketOf } from '../../web/src/lib/ageing.js';

describe('web UI backlog ageing', () => {
  it('puts an item in the bucket of its age in days (bounds inclusive)', () => {
    assert.deepEqual([0, 30, 31, 60, 61, 90, 91, 180, 181].map(bucketOf), [
      '0-30',
      '0-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-180',
      '91-180',
      '180+',
    ]);
  });

  it('R1: sums amounts per bucket and customer exactly, per currency; future items are left out', () => {
    const tables = ageing(
      [
        { date: '2026-03-31', customerId: 'a', currency: 'USD', amount: '0.10' },
        { date: '2026-03-01', customerId: 'a', currency: 'USD', amount: '0.20' },
        { date: '2026-02-01', customerId: 'b', currency: 'USD', amount: '1000.05' },
        { date: '2026-03-30', customerId: 'b', currency: 'EUR', amount: '5.00' },
        { date: '2026-04-02', customerId: 'a', currency: 'USD', amount: '99.00' },
      ],
      '2026-03-31',
    );
    assert.deepEqual(
      tables.map((t) => t.currency),
      ['EUR', 'USD'],
    );
    const usd = tables[1]!;
    assert.equal(usd.total, '1000.35');
    assert.deepEqual(usd.rows[0], {
      bucket: '0-30',
      label: '0–30 days',
      byCustomer: { a: '0.30' },
      total: '0.30',
    });
    assert.deepEqual(usd.rows[1]?.byCustomer, { b: '1000.05' });
  });
});
