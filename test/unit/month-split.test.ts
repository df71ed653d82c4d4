import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  FIRST_DATE,
  LAST_DATE,
  monthOf,
  splitIntoWholeMonths,
} from '../../src/domain/calendar.js';

const within = (d: string, r: { from?: string; to?: string }) =>
  (r.from === undefined || d >= r.from) && (r.to === undefined || d <= r.to);

/** Days around the range's ends, where whole months and partial days meet. */
function daysAround(from?: string, to?: string): string[] {
  const out = new Set<string>();
  for (const edge of [from, to, '2025-06-15']) {
    if (edge === undefined) continue;
    for (let i = -70; i <= 70; i++) {
      const d = addDays(edge, i);
      if (d >= FIRST_DATE && d <= LAST_DATE) out.add(d);
    }
  }
  return [...out];
}

function checkSplit(from?: string, to?: string) {
  const split = splitIntoWholeMonths(from, to);
  assert.ok(split.days.length <= 2, 'at most a head and a tail');
  if (split.months) {
    for (const m of [split.months.from, split.months.to]) {
      if (m !== undefined) assert.equal(m, monthOf(m), `${m} is a first of the month`);
    }
  }
  for (const d of daysAround(from, to)) {
    const inMonths = split.months !== undefined && within(monthOf(d), split.months);
    const inDays = split.days.filter((r) => within(d, r)).length;
    assert.ok(!(inMonths && inDays > 0) && inDays <= 1, `${d} counted twice for ${from}..${to}`);
    assert.equal(inMonths || inDays === 1, within(d, { from, to }), `${d} for ${from}..${to}`);
  }
}

const isoDay = (min: string, max: string) =>
  fc
    .date({
      min: new Date(`${min}T00:00:00Z`),
      max: new Date(`${max}T00:00:00Z`),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

describe('calendar: a date range as whole months and the days at its ends', () => {
  it('covers every day of the range exactly once and no day outside it (property)', () => {
    const day = fc.oneof(
      isoDay('2024-01-01', '2026-12-31'),
      isoDay('1900-01-01', '1900-03-31'),
      isoDay('9999-10-01', '9999-12-31'),
      fc.constantFrom('2024-02-29', '2025-02-28', '2025-03-01', '2025-12-31', '2026-01-01'),
    );
    fc.assert(
      fc.property(
        fc.option(day, { nil: undefined }),
        fc.option(day, { nil: undefined }),
        (a, b) => {
          const [from, to] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
          checkSplit(from, to);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers a calendar month as one whole month and two partial months as days', () => {
    assert.deepEqual(splitIntoWholeMonths('2025-06-01', '2025-06-30'), {
      months: { from: '2025-06-01', to: '2025-06-01' },
      days: [],
    });
    assert.deepEqual(splitIntoWholeMonths('2025-06-15', '2025-07-10'), {
      days: [{ from: '2025-06-15', to: '2025-07-10' }],
    });
    assert.deepEqual(splitIntoWholeMonths('2024-02-10', '2024-04-05'), {
      months: { from: '2024-03-01', to: '2024-03-01' },
      days: [
        { from: '2024-02-10', to: '2024-02-29' },
        { from: '2024-04-01', to: '2024-04-05' },
      ],
    });
    assert.deepEqual(splitIntoWholeMonths(undefined, '2025-06-10'), {
      months: { to: '2025-05-01' },
      days: [{ from: '2025-06-01', to: '2025-06-10' }],
    });
    assert.deepEqual(splitIntoWholeMonths('9999-12-02', undefined), {
      days: [{ from: '9999-12-02' }],
    });
    assert.deepEqual(splitIntoWholeMonths(undefined, undefined), { months: {}, days: [] });
  });
});
