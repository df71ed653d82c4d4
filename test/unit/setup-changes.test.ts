import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../src/domain/errors.js';
import {
  checkContractedAmount,
  checkSameCustomers,
  checkSplitChangeAllowed,
  fieldChange,
} from '../../src/domain/setup-changes.js';

const text = (u: bigint) => `${u}`;

describe('setup changes (R90)', () => {
  it('R90: an unchanged value is no change; a changed one names the field with both values', () => {
    assert.equal(fieldChange('name', 'A', 'A'), null);
    assert.deepEqual(fieldChange('notToExceed', '10.00', null), {
      field: 'notToExceed',
      from: '10.00',
      to: null,
    });
  });

  it('R44: a contracted amount is accepted exactly when it is at least the milestones', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        (c, m) => {
          const problem = checkContractedAmount(c, m, text);
          assert.equal(problem === null, c >= m);
          if (problem) assert.equal(problem.field, 'contractedAmount');
        },
      ),
    );
  });

  it('R44: a contracted amount can be removed only from a line without milestones', () => {
    assert.equal(checkContractedAmount(null, 0n, text), null);
    assert.equal(checkContractedAmount(null, 1n, text)?.field, 'contractedAmount');
  });

  it('R90: splits are frozen once the line has actuals or milestones (CONFLICT)', () => {
    assert.doesNotThrow(() => checkSplitChangeAllowed({ hasActuals: false, hasMilestones: false }));
    for (const line of [
      { hasActuals: true, hasMilestones: false },
      { hasActuals: false, hasMilestones: true },
    ]) {
      assert.throws(
        () => checkSplitChangeAllowed(line),
        (e) => e instanceof DomainError && e.code === 'CONFLICT',
      );
    }
  });

  it('R90: a split change names exactly the line customers', () => {
    assert.deepEqual(checkSameCustomers(['1', '2'], ['2', '1'], 'customers'), []);
    assert.deepEqual(
      checkSameCustomers(['1', '2'], ['1', '3'], 'customers').map((e) => e.field),
      ['customers.1.customerId', 'customers'],
    );
  });
});
