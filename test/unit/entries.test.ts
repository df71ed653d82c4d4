import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { entryTransition, planCancellation } from '../../src/domain/entries.js';
import { BILLING_STATUSES, ENTRY_STATUSES } from '../../src/domain/vocabulary.js';

describe('R14/R16 entry transitions', () => {
  it('R16: Submitted → Approved or Rejected; Approved → Cancelled; nothing else', () => {
    const allowed: Record<string, string> = {
      'approve/Submitted': 'Approved',
      'reject/Submitted': 'Rejected',
      'cancelApproval/Approved': 'Cancelled',
    };
    for (const action of ['approve', 'reject', 'cancelApproval'] as const) {
      for (const status of ENTRY_STATUSES) {
        const move = entryTransition(action, { id: '7', status });
        const want = allowed[`${action}/${status}`];
        if (want) assert.deepEqual(move, { to: want });
        else {
          assert.ok('refusal' in move, `${action} from ${status} is refused`);
          assert.match(move.refusal, new RegExp(`entry 7 is ${status}`));
        }
      }
    }
  });
});

describe('R13/R15 what cancelling an approval reverses', () => {
  const a = (id: string, billingStatus: (typeof BILLING_STATUSES)[number]) => ({
    id,
    billingStatus,
  });

  it('R13: unbilled, not-ready and ready actuals are reversed', () => {
    assert.deepEqual(
      planCancellation(
        [a('1', 'UnbilledSalesCreated'), a('2', 'NotReadyToInvoice'), a('3', 'ReadyToInvoice')],
        [],
        2,
      ),
      { reverse: ['1', '2', '3'], adjust: ['1', '2', '3'] },
    );
  });

  it('R13: an actual on a draft refuses, naming it', () => {
    const plan = planCancellation(
      [a('1', 'ReadyToInvoice'), a('2', 'CustomerInvoiceCreated')],
      [],
      2,
    );
    assert.ok('refusal' in plan);
    assert.match(plan.refusal, /actuals 2 .*draft/);
  });

  it('R15: a posted actual credited in full is not reversed again; its returned actual is', () => {
    assert.deepEqual(
      planCancellation(
        [a('1', 'CustomerInvoicePosted'), a('5', 'NotReadyToInvoice')],
        [{ actualId: '1', quantity: 0n, amount: 0n }],
        2,
      ),
      { reverse: ['5'], adjust: ['1', '5'] },
    );
  });

  it('R15: a posted actual that still bills anything refuses, saying how much', () => {
    const partial = planCancellation(
      [a('1', 'CustomerInvoicePosted')],
      [{ actualId: '1', quantity: 300n, amount: 60000n }],
      2,
    );
    assert.ok('refusal' in partial);
    assert.match(partial.refusal, /1 \(600\.00 still billed\)/);
    // No confirmed charge found at all: nothing says it was credited.
    assert.ok('refusal' in planCancellation([a('1', 'CustomerInvoicePosted')], [], 2));
    // Quantity credited but an amount left (or the other way round) is not a full credit.
    assert.ok(
      'refusal' in
        planCancellation(
          [a('1', 'CustomerInvoicePosted')],
          [{ actualId: '1', quantity: 0n, amount: 1n }],
          2,
        ),
    );
  });

  it('R13/R15: property: either refused, or every open actual is adjusted and only unposted ones reversed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...BILLING_STATUSES), { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (statuses, credited) => {
          const actuals = statuses.map((s, i) => a(String(i + 1), s));
          const balances = actuals
            .filter((x) => x.billingStatus === 'CustomerInvoicePosted')
            .map((x, i) => ({
              actualId: x.id,
              quantity: credited[i] ? 0n : 100n,
              amount: credited[i] ? 0n : 100n,
            }));
          const plan = planCancellation(actuals, balances, 2);
          const blocked =
            statuses.includes('CustomerInvoiceCreated') ||
            balances.some((b) => b.amount !== 0n || b.quantity !== 0n);
          assert.equal('refusal' in plan, blocked);
          if ('refusal' in plan) return;
          assert.deepEqual(
            plan.adjust,
            actuals.map((x) => x.id),
          );
          assert.deepEqual(
            plan.reverse,
            actuals.filter((x) => x.billingStatus !== 'CustomerInvoicePosted').map((x) => x.id),
          );
        },
      ),
    );
  });
});
