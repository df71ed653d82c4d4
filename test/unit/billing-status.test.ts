import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { statusOutcome, TRANSITIONS, type StatusAction } from '../../src/domain/billing-status.js';
import {
  BILLING_STATUSES,
  NTE_STATUSES,
  ON_INVOICE,
  type BillingStatus,
} from '../../src/domain/vocabulary.js';

const ACTIONS = Object.keys(TRANSITIONS) as StatusAction[];

describe('billing status transitions (R28, R30–R33)', () => {
  it('R31: mark ready from UnbilledSalesCreated and NotReadyToInvoice', () => {
    for (const s of ['UnbilledSalesCreated', 'NotReadyToInvoice'] as const) {
      assert.deepEqual(statusOutcome('markReady', s), { kind: 'change', to: 'ReadyToInvoice' });
    }
  });

  it('R31: mark not ready from ReadyToInvoice and UnbilledSalesCreated', () => {
    for (const s of ['ReadyToInvoice', 'UnbilledSalesCreated'] as const) {
      assert.deepEqual(statusOutcome('markNotReady', s), {
        kind: 'change',
        to: 'NotReadyToInvoice',
      });
    }
  });

  it('R31: an item already in the target state succeeds unchanged', () => {
    assert.equal(statusOutcome('markReady', 'ReadyToInvoice').kind, 'unchanged');
    assert.equal(statusOutcome('markNotReady', 'NotReadyToInvoice').kind, 'unchanged');
  });

  it('R33: items on a draft or posted invoice cannot be marked', () => {
    for (const s of ON_INVOICE) {
      for (const a of ['markReady', 'markNotReady'] as const) {
        const o = statusOutcome(a, s);
        assert.equal(o.kind === 'refused' && o.code, 'INVALID_TRANSITION');
      }
    }
  });

  it('R24: an NTE-failed actual cannot be marked ready but can be marked not ready', () => {
    const o = statusOutcome('markReady', 'UnbilledSalesCreated', 'Failed');
    assert.equal(o.kind === 'refused' && o.code, 'NTE_FAILED');
    assert.equal(statusOutcome('markNotReady', 'UnbilledSalesCreated', 'Failed').kind, 'change');
  });

  it('R28: a NotEvaluated actual cannot be marked ready (NTE_NOT_EVALUATED)', () => {
    const o = statusOutcome('markReady', 'NotReadyToInvoice', 'NotEvaluated');
    assert.equal(o.kind === 'refused' && o.code, 'NTE_NOT_EVALUATED');
    assert.equal(statusOutcome('markReady', 'NotReadyToInvoice', 'Committed').kind, 'change');
    assert.equal(statusOutcome('markReady', 'NotReadyToInvoice', 'NotApplicable').kind, 'change');
  });

  it('R32, R63, R65: invoice actions move only from their own states', () => {
    assert.deepEqual(statusOutcome('createInvoice', 'ReadyToInvoice'), {
      kind: 'change',
      to: 'CustomerInvoiceCreated',
    });
    assert.deepEqual(statusOutcome('removeFromInvoice', 'CustomerInvoiceCreated'), {
      kind: 'change',
      to: 'ReadyToInvoice',
    });
    assert.deepEqual(statusOutcome('confirmInvoice', 'CustomerInvoiceCreated'), {
      kind: 'change',
      to: 'CustomerInvoicePosted',
    });
    assert.deepEqual(statusOutcome('confirmCorrection', 'CustomerInvoicePosted'), {
      kind: 'change',
      to: 'ReadyToInvoice',
    });
    assert.equal(statusOutcome('createInvoice', 'NotReadyToInvoice').kind, 'refused');
    assert.equal(statusOutcome('confirmInvoice', 'ReadyToInvoice').kind, 'refused');
  });

  it('R28: whatever the action, nothing reaches ReadyToInvoice unless NTE is Committed or NotApplicable', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...BILLING_STATUSES),
        fc.constantFrom(...NTE_STATUSES),
        (action, from, nte) => {
          const o = statusOutcome(action, from, nte);
          if (o.kind === 'change' && o.to === 'ReadyToInvoice') {
            assert.ok(nte === 'Committed' || nte === 'NotApplicable');
          }
        },
      ),
    );
  });

  it('R30: every change follows the table, and no action leads back to UnbilledSalesCreated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...BILLING_STATUSES),
        (action, from: BillingStatus) => {
          const o = statusOutcome(action, from);
          if (o.kind === 'change') {
            assert.ok(TRANSITIONS[action].from.includes(from));
            assert.equal(o.to, TRANSITIONS[action].to);
            assert.notEqual(o.to, 'UnbilledSalesCreated');
          }
        },
      ),
    );
  });
});
