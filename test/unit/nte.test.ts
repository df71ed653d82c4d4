import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NTE_LEVELS, type NteLevel } from '../../src/domain/vocabulary.js';
import {
  assessCandidate,
  assessInOrder,
  headroom,
  NteBook,
  type NteCandidate,
  type NteKeys,
} from '../../src/domain/nte.js';

const KEYS: NteKeys = {
  LineCustomer: 'lc1',
  ContractLine: 'l1',
  ContractCustomer: 'c1',
  Contract: 'k1',
};
const chargeable = (amount: bigint, keys: NteKeys = KEYS): NteCandidate => ({
  keys,
  billingType: 'Chargeable',
  amount,
});
const limitsAt = (limits: Partial<Record<NteLevel, bigint>>, keys: NteKeys = KEYS) =>
  NTE_LEVELS.map((level): [NteLevel, string, bigint | null] => [
    level,
    keys[level],
    limits[level] ?? null,
  ]);

describe('R20–R22 not-to-exceed assessment', () => {
  it('R21: an amount that brings a level exactly to its limit passes', () => {
    const book = NteBook.of({
      limits: limitsAt({ Contract: 1000n }),
      invoiced: [['Contract', 'k1', 300n]],
      committed: [['Contract', 'k1', 200n]],
    });
    assert.deepEqual(assessCandidate(book, chargeable(500n)), {
      status: 'Committed',
      failedLevel: null,
    });
    assert.deepEqual(assessCandidate(book, chargeable(501n)), {
      status: 'Failed',
      failedLevel: 'Contract',
    });
  });

  it('R20: levels are checked line customer, contract line, contract customer, contract; the first failure is named', () => {
    const all = { LineCustomer: 10n, ContractLine: 10n, ContractCustomer: 10n, Contract: 10n };
    assert.equal(
      assessCandidate(NteBook.of({ limits: limitsAt(all) }), chargeable(11n)).failedLevel,
      'LineCustomer',
    );
    const order: [Partial<Record<NteLevel, bigint>>, NteLevel][] = [
      [
        { LineCustomer: 100n, ContractLine: 10n, ContractCustomer: 10n, Contract: 10n },
        'ContractLine',
      ],
      [
        { LineCustomer: 100n, ContractLine: 100n, ContractCustomer: 10n, Contract: 10n },
        'ContractCustomer',
      ],
      [
        { LineCustomer: 100n, ContractLine: 100n, ContractCustomer: 100n, Contract: 10n },
        'Contract',
      ],
      [{ Contract: 10n, LineCustomer: 5n }, 'LineCustomer'],
    ];
    for (const [limits, level] of order) {
      assert.deepEqual(assessCandidate(NteBook.of({ limits: limitsAt(limits) }), chargeable(11n)), {
        status: 'Failed',
        failedLevel: level,
      });
    }
  });

  it('R22: NotApplicable when the actual is not chargeable or no level has a limit', () => {
    const limited = NteBook.of({ limits: limitsAt({ Contract: 0n }) });
    for (const billingType of ['NonChargeable', 'Complimentary'] as const) {
      assert.deepEqual(assessCandidate(limited, { keys: KEYS, billingType, amount: 99n }), {
        status: 'NotApplicable',
        failedLevel: null,
      });
    }
    assert.equal(
      assessCandidate(NteBook.of({ limits: limitsAt({}) }), chargeable(10n ** 15n)).status,
      'NotApplicable',
    );
    // A limit on another line's customer does not apply here.
    const elsewhere = NteBook.of({ limits: [['LineCustomer', 'lc2', 0n]] });
    assert.equal(assessCandidate(elsewhere, chargeable(1n)).status, 'NotApplicable');
  });

  it('R21: several actuals in order each see the ones committed before them', () => {
    const book = NteBook.of({ limits: limitsAt({ ContractLine: 1000n }) });
    const { outcomes, book: after } = assessInOrder(book, [
      chargeable(600n),
      chargeable(500n),
      chargeable(400n),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['Committed', 'Failed', 'Committed'],
    );
    assert.deepEqual(after.usage('ContractLine', 'l1'), {
      limit: 1000n,
      invoiced: 0n,
      committed: 1000n,
    });
    assert.equal(headroom(after.usage('ContractLine', 'l1')), 0n);
    assert.equal(headroom(after.usage('Contract', 'k1')), null);
  });

  it('R21 property: assessing in any order never commits past a limit at any level', () => {
    const level = fc.option(fc.bigInt({ min: 0n, max: 10_000n }), { nil: null });
    const keysOf = (lc: number, line: number, cust: number): NteKeys => ({
      LineCustomer: `lc${lc}-${line}`,
      ContractLine: `l${line}`,
      ContractCustomer: `c${cust}`,
      Contract: 'k',
    });
    fc.assert(
      fc.property(
        fc.record({
          lineCustomer: fc.array(level, { minLength: 4, maxLength: 4 }),
          line: fc.array(level, { minLength: 2, maxLength: 2 }),
          customer: fc.array(level, { minLength: 2, maxLength: 2 }),
          contract: level,
          invoiced: fc.bigInt({ min: 0n, max: 3_000n }),
        }),
        fc.array(
          fc.record({
            line: fc.integer({ min: 0, max: 1 }),
            cust: fc.integer({ min: 0, max: 1 }),
            amount: fc.bigInt({ min: 0n, max: 5_000n }),
            chargeable: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        (lim, items) => {
          const limits: [NteLevel, string, bigint | null][] = [['Contract', 'k', lim.contract]];
          for (let line = 0; line < 2; line++) {
            limits.push(['ContractLine', `l${line}`, lim.line[line] ?? null]);
            for (let cust = 0; cust < 2; cust++) {
              limits.push([
                'LineCustomer',
                `lc${cust}-${line}`,
                lim.lineCustomer[line * 2 + cust] ?? null,
              ]);
            }
          }
          for (let cust = 0; cust < 2; cust++)
            limits.push(['ContractCustomer', `c${cust}`, lim.customer[cust] ?? null]);
          // Invoiced amounts already within every limit they count against.
          const inv = (l: bigint | null) =>
            l === null ? lim.invoiced : l < lim.invoiced ? l : lim.invoiced;
          const book = NteBook.of({ limits, invoiced: [['Contract', 'k', inv(lim.contract)]] });
          const candidates = items.map((i) => ({
            keys: keysOf(i.cust, i.line, i.cust),
            billingType: i.chargeable ? ('Chargeable' as const) : ('NonChargeable' as const),
            amount: i.amount,
          }));
          const { outcomes, book: after } = assessInOrder(book, candidates);
          for (const [lvl, key, limit] of limits) {
            const u = after.usage(lvl, key);
            if (limit !== null) assert.ok(u.invoiced + u.committed <= limit, `${lvl} ${key}`);
          }
          outcomes.forEach((o, i) => {
            const c = candidates[i];
            if (c?.billingType !== 'Chargeable') assert.equal(o.status, 'NotApplicable');
            assert.equal(o.status === 'Failed', o.failedLevel !== null);
          });
          // Committed amounts in the book are exactly the committed candidates.
          const committed = candidates
            .filter((_, i) => outcomes[i]?.status === 'Committed')
            .reduce((s, c) => s + c.amount, 0n);
          assert.equal(after.usage('Contract', 'k').committed, committed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('R21 property: a single amount passes exactly when every limited level has room for it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.bigInt({ min: 0n, max: 1000n }), { nil: null }), {
          minLength: 4,
          maxLength: 4,
        }),
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.bigInt({ min: 0n, max: 1200n }),
        (limits, used, amount) => {
          const book = NteBook.of({
            limits: NTE_LEVELS.map((l, i) => [l, KEYS[l], limits[i] ?? null]),
            committed: NTE_LEVELS.map((l) => [l, KEYS[l], used]),
          });
          const outcome = assessCandidate(book, chargeable(amount));
          const firstFailing = NTE_LEVELS.find((_, i) => {
            const l = limits[i];
            return l !== null && l !== undefined && used + amount > l;
          });
          if (limits.every((l) => l === null)) assert.equal(outcome.status, 'NotApplicable');
          else if (firstFailing)
            assert.deepEqual(outcome, { status: 'Failed', failedLevel: firstFailing });
          else assert.equal(outcome.status, 'Committed');
        },
      ),
    );
  });
});
