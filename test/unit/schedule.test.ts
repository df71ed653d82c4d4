import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../src/domain/errors.js';
import { addMonths, isCalendarDate, isDateInRange } from '../../src/domain/calendar.js';
import { scheduleDates } from '../../src/domain/schedule.js';

const fields = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, 'VALIDATION_FAILED');
    return (error.errors ?? []).map((e) => e.field);
  }
  assert.fail('expected a validation error');
};

describe('R43/R54 schedule dates', () => {
  it('R43: monthly from Jan 1 to Mar 31 gives Jan 1, Feb 1, Mar 1 (both ends inclusive)', () => {
    assert.deepEqual(
      scheduleDates({ startDate: '2026-01-01', endDate: '2026-03-31', frequency: 'monthly' }),
      ['2026-01-01', '2026-02-01', '2026-03-01'],
    );
    assert.deepEqual(
      scheduleDates({ startDate: '2026-01-01', endDate: '2026-03-01', frequency: 'monthly' })
        .length,
      3,
    );
  });

  it('R43: a period starting on the 31st falls on the last day of shorter months and comes back', () => {
    assert.deepEqual(scheduleDates({ startDate: '2026-01-31', count: 4, frequency: 'monthly' }), [
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    assert.deepEqual(scheduleDates({ startDate: '2027-11-30', count: 4, frequency: 'quarterly' }), [
      '2027-11-30',
      '2028-02-29',
      '2028-05-30',
      '2028-08-30',
    ]);
  });

  it('R54: weekly by count steps seven days across month ends', () => {
    assert.deepEqual(scheduleDates({ startDate: '2026-02-20', count: 3, frequency: 'weekly' }), [
      '2026-02-20',
      '2026-02-27',
      '2026-03-06',
    ]);
  });

  it('R54: exactly one of endDate or count', () => {
    assert.deepEqual(
      fields(() => scheduleDates({ startDate: '2026-01-01', frequency: 'weekly' })),
      ['endDate', 'count'],
    );
    assert.deepEqual(
      fields(() =>
        scheduleDates({
          startDate: '2026-01-01',
          endDate: '2026-02-01',
          count: 2,
          frequency: 'weekly',
        }),
      ),
      ['endDate', 'count'],
    );
  });

  it('R54: refuses an end before the start, a count out of range and too many periods', () => {
    assert.deepEqual(
      fields(() =>
        scheduleDates({ startDate: '2026-02-01', endDate: '2026-01-31', frequency: 'monthly' }),
      ),
      ['endDate'],
    );
    assert.deepEqual(
      fields(() => scheduleDates({ startDate: '2026-01-01', count: 0, frequency: 'monthly' })),
      ['count'],
    );
    assert.deepEqual(
      fields(() => scheduleDates({ startDate: '2026-01-01', count: 1001, frequency: 'monthly' })),
      ['count'],
    );
    assert.deepEqual(
      fields(() =>
        scheduleDates({ startDate: '2000-01-01', endDate: '2099-12-31', frequency: 'weekly' }),
      ),
      ['endDate'],
    );
    assert.deepEqual(
      fields(() => scheduleDates({ startDate: '9999-01-01', count: 100, frequency: 'weekly' })),
      ['count'],
    );
  });

  it('R43: dates are increasing, start on the start date and never pass the end date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 800 }),
        fc.constantFrom('weekly' as const, 'monthly' as const, 'quarterly' as const),
        (start, span, frequency) => {
          const startDate = start.toISOString().slice(0, 10);
          const end = new Date(start.getTime() + span * 86_400_000).toISOString().slice(0, 10);
          const dates = scheduleDates({ startDate, endDate: end, frequency });
          assert.equal(dates[0], startDate);
          for (let i = 1; i < dates.length; i++)
            assert.ok((dates[i - 1] as string) < (dates[i] as string));
          assert.ok((dates[dates.length - 1] as string) <= end);
        },
      ),
    );
  });
});

describe('§2 dates: real calendar dates from 1900-01-01 to 9999-12-31, never shifted', () => {
  it('monthly and quarterly steps keep years 0–99 (no Date.UTC century shift)', () => {
    assert.equal(addMonths('0099-05-31', 1), '0099-06-30');
    assert.equal(addMonths('0099-12-31', 2), '0100-02-28');
    assert.deepEqual(scheduleDates({ startDate: '0099-05-31', count: 3, frequency: 'quarterly' }), [
      '0099-05-31',
      '0099-08-31',
      '0099-11-30',
    ]);
  });

  it('R43: a schedule ending at 9999-12-31 stops there (no +010000 dates)', () => {
    assert.deepEqual(
      scheduleDates({ startDate: '9999-10-31', endDate: '9999-12-31', frequency: 'monthly' }),
      ['9999-10-31', '9999-11-30', '9999-12-31'],
    );
    assert.deepEqual(
      fields(() => scheduleDates({ startDate: '9999-11-30', count: 3, frequency: 'monthly' })),
      ['count'],
    );
  });

  it('the API range: 1900-01-01 and 9999-12-31 are in, their neighbours and impossible days are out', () => {
    for (const ok of ['1900-01-01', '9999-12-31', '2024-02-29', '2000-02-29'])
      assert.equal(isDateInRange(ok), true, ok);
    for (const bad of [
      '1899-12-31',
      '0000-01-01',
      '0099-05-31',
      '2026-02-30',
      '1900-02-29',
      '10000-01-01',
      '2026-1-01',
      '2026-13-01',
    ])
      assert.equal(isDateInRange(bad), false, bad);
  });

  it('every step of a generated schedule is a real date after the previous one', () => {
    fc.assert(
      fc.property(
        // Up to 24 months after 9997-12 is still within the four-digit years.
        fc.integer({ min: 0, max: 9997 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 24 }),
        (year, month, day, months) => {
          const start = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`;
          const next = addMonths(start, months);
          assert.ok(isCalendarDate(next), next);
          assert.ok(next > start, `${start} + ${months} → ${next}`);
          assert.equal(Number(next.slice(0, 4)) - year, Math.floor((month - 1 + months) / 12));
        },
      ),
    );
  });
});
