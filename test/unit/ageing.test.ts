import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AGEING_BUCKET_LABELS, ageingBucket } from '../../src/domain/ageing.js';

describe('backlog ageing buckets (spec §5 GET /reports/backlog-ageing)', () => {
  it('closes each bucket on its last day: 30, 60, 90 and 180 days', () => {
    assert.deepEqual([0, 30, 31, 60, 61, 90, 91, 180, 181, 5000].map(ageingBucket), [
      '0-30',
      '0-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-180',
      '91-180',
      '180+',
      '180+',
    ]);
  });

  it('leaves out an item dated after the report date (negative age)', () => {
    fc.assert(fc.property(fc.integer({ min: -100_000, max: -1 }), (d) => ageingBucket(d) === null));
  });

  it('puts every age of zero or more in exactly one bucket, buckets in age order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.nat(500), (age, more) => {
        const a = ageingBucket(age);
        const b = ageingBucket(age + more);
        assert.ok(a !== null && b !== null);
        assert.ok(AGEING_BUCKET_LABELS.indexOf(a) <= AGEING_BUCKET_LABELS.indexOf(b));
      }),
    );
  });

  it('answers the labels the spec names, in its order', () => {
    assert.deepEqual(AGEING_BUCKET_LABELS, ['0-30', '31-60', '61-90', '91-180', '180+']);
  });
});
