import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { BillingStatus } from '../../src/db/schema.js';
import {
  editRefusal,
  headerStatus,
  overContracted,
  periodStarts,
  planSchedule,
  planSplits,
  resplit,
} from '../../src/domain/milestones.js';

const STATUSES: BillingStatus[] = [
  'NotReadyToInvoice',
  'ReadyToInvoice',
  'CustomerInvoiceCreated',
  'CustomerInvoicePosted',
];

describe('R42 milestone header status', () => {
  it('R42: NotStarted while every split is NotReadyToInvoice', () => {
    assert.equal(headerStatus(['NotReadyToInvoice']), 'NotStarted');
    assert.equal(
      headerStatus(['NotReadyToInvoice', 'NotReadyToInvoice', 'NotReadyToInvoice']),
      'NotStarted',
    );
  });

  it('R42: Completed when every split is CustomerInvoicePosted', () => {
    assert.equal(headerStatus(['CustomerInvoicePosted']), 'Completed');
    assert.equal(headerStatus(['CustomerInvoicePosted', 'CustomerInvoicePosted']), 'Completed');
  });

  it('R42: InProgress for every other mix', () => {
    assert.equal(headerStatus(['ReadyToInvoice']), 'InProgress');
    assert.equal(headerStatus(['CustomerInvoiceCreated']), 'InProgress');
    assert.equal(headerStatus(['NotReadyToInvoice', 'ReadyToInvoice']), 'InProgress');
    assert.equal(headerStatus(['CustomerInvoicePosted', 'NotReadyToInvoice']), 'InProgress');
    assert.equal(headerStatus(['CustomerInvoicePosted', 'CustomerInvoiceCreated']), 'InProgress');
  });

  it('R42: property: the three states partition every mix of split statuses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATUSES), { minLength: 1, maxLength: 6 }),
        (statuses) => {
          const h = headerStatus(statuses);
          const allNot = statuses.every((s) => s === 'NotReadyToInvoice');
          const allPosted = statuses.every((s) => s === 'CustomerInvoicePosted');
          assert.equal(h, allNot ? 'NotStarted' : allPosted ? 'Completed' : 'InProgress');
        },
      ),
    );
  });
});

describe('R43 periodic milestone dates', () => {
  it('R43: the spec example, monthly 2026-01-01..2026-03-31 → Jan 1, Feb 1, Mar 1', () => {
    assert.deepEqual(periodStarts('2026-01-01', '2026-03-31', 'monthly'), [
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
  });

  it('R43: both ends inclusive', () => {
    assert.deepEqual(periodStarts('2026-01-01', '2026-03-01', 'monthly'), [
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    assert.deepEqual(periodStarts('2026-01-01', '2026-01-01', 'weekly'), ['2026-01-01']);
  });

  it('R43: a period starting on the 31st falls on the last day of shorter months and returns to the 31st', () => {
    assert.deepEqual(periodStarts('2026-01-31', '2026-05-31', 'monthly'), [
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
  });

  it('R43: leap years: Jan 31 → Feb 29 in 2028; Feb 29 → Feb 28 a year later, back to 29 in 2032', () => {
    assert.deepEqual(periodStarts('2028-01-31', '2028-03-31', 'monthly'), [
      '2028-01-31',
      '2028-02-29',
      '2028-03-31',
    ]);
    const yearly = periodStarts('2028-02-29', '2032-02-29', 'quarterly').filter(
      (d) => d.slice(5, 7) === '02',
    );
    assert.deepEqual(yearly, [
      '2028-02-29',
      '2029-02-28',
      '2030-02-28',
      '2031-02-28',
      '2032-02-29',
    ]);
  });

  it('R43: quarterly from Nov 30 crosses the year: Feb 28, May 30, Aug 30', () => {
    assert.deepEqual(periodStarts('2026-11-30', '2027-08-30', 'quarterly'), [
      '2026-11-30',
      '2027-02-28',
      '2027-05-30',
      '2027-08-30',
    ]);
  });

  it('R43: weekly steps seven days across month and leap-day boundaries', () => {
    assert.deepEqual(periodStarts('2028-02-15', '2028-03-10', 'weekly'), [
      '2028-02-15',
      '2028-02-22',
      '2028-02-29',
      '2028-03-07',
    ]);
  });

  it('R43: an end before the start gives no dates', () => {
    assert.deepEqual(periodStarts('2026-03-01', '2026-02-01', 'monthly'), []);
  });

  it('R43: property: monthly dates keep the start day, or the last day of a shorter month', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 40 }),
        (d, n) => {
          const start = d.toISOString().slice(0, 10);
          const dates = periodStarts(start, '2199-12-31', 'monthly', n);
          const day = Number(start.slice(8));
          dates.forEach((date, k) => {
            const [y, m] = date.split('-').map(Number) as [number, number];
            const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
            assert.equal(
              Number(date.slice(8)),
              Math.min(day, last),
              `${start} + ${k} months = ${date}`,
            );
          });
        },
      ),
    );
  });
});

describe('R43 + R4 schedule amounts', () => {
  it('R4: 1000.00 over 3 periods → 333.33, 333.33, 333.34', () => {
    const plan = planSchedule(['2026-01-01', '2026-02-01', '2026-03-01'], 100000n);
    assert.deepEqual(
      plan.map((p) => p.amount),
      [33333n, 33333n, 33334n],
    );
  });

  it('R4: property: the parts always sum exactly to the contracted amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 1, max: 60 }),
        (total, n) => {
          const plan = planSchedule(
            Array.from({ length: n }, () => '2026-01-01'),
            total,
          );
          assert.equal(
            plan.reduce((s, p) => s + p.amount, 0n),
            total,
          );
        },
      ),
    );
  });
});

describe('R44 contracted amount ceiling', () => {
  it('R44: equal to the contracted amount passes', () => {
    assert.equal(overContracted(100000n, 60000n, [40000n]), null);
  });

  it('R44: one unit over is refused, with the room left', () => {
    assert.deepEqual(overContracted(100000n, 60000n, [40001n]), { room: 40000n });
    assert.deepEqual(overContracted(100000n, 0n, [50000n, 50001n]), { room: 100000n });
  });
});

describe('R45 edit guard', () => {
  it('R45: NotReady and Ready splits can be changed', () => {
    assert.equal(editRefusal(['NotReadyToInvoice', 'ReadyToInvoice']), null);
  });

  it('R45: a split on a draft invoice refuses with INVALID_TRANSITION', () => {
    assert.equal(
      editRefusal(['NotReadyToInvoice', 'CustomerInvoiceCreated'])?.code,
      'INVALID_TRANSITION',
    );
  });

  it('R45: a split on a posted invoice refuses with INVOICE_CONFIRMED, even beside a draft one', () => {
    assert.equal(editRefusal(['CustomerInvoicePosted'])?.code, 'INVOICE_CONFIRMED');
    assert.equal(
      editRefusal(['CustomerInvoiceCreated', 'CustomerInvoicePosted'])?.code,
      'INVOICE_CONFIRMED',
    );
  });
});

describe('R41/R6 who gets a split', () => {
  const c = (id: string, percent: bigint, isRounding = false) => ({
    lineCustomerId: id,
    customerId: id,
    percent,
    isRounding,
  });
  const planned = (amount: bigint, customers: ReturnType<typeof c>[]) =>
    planSplits(amount, customers).map((p) => [p.customer.lineCustomerId, p.amount]);

  it('R41: a 0 % line customer gets no split', () => {
    assert.deepEqual(planned(100_00n, [c('1', 10000n, true), c('2', 0n)]), [['1', 100_00n]]);
  });

  it('R6: a 0 % rounding customer gets no split when its residue is 0', () => {
    assert.deepEqual(planned(100_00n, [c('1', 10000n), c('2', 0n, true)]), [['1', 100_00n]]);
  });

  it('R6: a 0 % rounding customer gets a split when a residue is left to it', () => {
    // 0.01 over 30 / 30 / 40 / 0 % (rounding): each rounds down to 0.00, the cent is left over.
    assert.deepEqual(planned(1n, [c('1', 3000n), c('2', 3000n), c('3', 4000n), c('4', 0n, true)]), [
      ['4', 1n],
    ]);
    assert.deepEqual(planned(3n, [c('1', 3000n), c('2', 3000n), c('3', 4000n, true)]), [
      ['1', 1n],
      ['2', 1n],
      ['3', 1n],
    ]);
  });

  it('R6: a customer whose part is given back gets no split', () => {
    // 0.01 over 50 / 50 / 0 % (rounding): both round up, the first gives back.
    assert.deepEqual(planned(1n, [c('1', 5000n), c('2', 5000n), c('3', 0n, true)]), [['2', 1n]]);
  });

  it('R6: property: the planned splits sum to the amount and none is zero or negative', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (amount, weights, r) => {
          const total = weights.reduce((a, b) => a + b, 0) || 1;
          const percents = weights.map((w) => BigInt(Math.floor((w * 10_000) / total)));
          percents[0] = (percents[0] ?? 0n) + 10_000n - percents.reduce((a, b) => a + b, 0n);
          const customers = percents.map((p, i) => c(String(i), p, i === r % percents.length));
          const plan = planSplits(amount, customers);
          assert.ok(plan.length >= 1);
          assert.equal(
            plan.reduce((s, p) => s + p.amount, 0n),
            amount,
          );
          for (const p of plan) assert.ok(p.amount > 0n);
        },
      ),
    );
  });

  it('R6: re-splitting a changed amount keeps, adds and removes splits by line customer', () => {
    const customers = [c('1', 5000n), c('2', 5000n), c('3', 0n, true)];
    const existing = [{ id: 's2', lineCustomerId: '2' }];
    // 0.01: only customer 2 has a part, as before.
    assert.deepEqual(resplit(1n, customers, existing), {
      change: [{ id: 's2', amount: 1n }],
      add: [],
      remove: [],
    });
    // 100.00: customer 1 gains a split; customer 3 (0 %) still has none.
    const grown = resplit(100_00n, customers, existing);
    assert.deepEqual(grown.change, [{ id: 's2', amount: 50_00n }]);
    assert.deepEqual(
      grown.add.map((a) => [a.customer.lineCustomerId, a.amount]),
      [['1', 50_00n]],
    );
    // back to 0.01 from two splits: customer 1's part is given back, its split goes.
    const shrunk = resplit(1n, customers, [{ id: 's1', lineCustomerId: '1' }, ...existing]);
    assert.deepEqual(shrunk, { change: [{ id: 's2', amount: 1n }], add: [], remove: ['s1'] });
  });
});
