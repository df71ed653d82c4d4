import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markOutcome } from '../../src/domain/billing-status.js';

describe('billing status transitions (R31–R33)', () => {
  it('R31: mark ready from UnbilledSalesCreated and NotReadyToInvoice', () => {
    assert.deepEqual(markOutcome('markReady', 'UnbilledSalesCreated'), {
      kind: 'change',
      to: 'ReadyToInvoice',
    });
    assert.deepEqual(markOutcome('markReady', 'NotReadyToInvoice'), {
      kind: 'change',
      to: 'ReadyToInvoice',
    });
  });

  it('R31: mark not ready from ReadyToInvoice and UnbilledSalesCreated', () => {
    assert.deepEqual(markOutcome('markNotReady', 'ReadyToInvoice'), {
      kind: 'change',
      to: 'NotReadyToInvoice',
    });
    assert.deepEqual(markOutcome('markNotReady', 'UnbilledSalesCreated'), {
      kind: 'change',
      to: 'NotReadyToInvoice',
    });
  });

  it('R31: an item already in the target state succeeds unchanged', () => {
    assert.equal(markOutcome('markReady', 'ReadyToInvoice').kind, 'unchanged');
    assert.equal(markOutcome('markNotReady', 'NotReadyToInvoice').kind, 'unchanged');
  });

  it('R33: items on a draft or posted invoice cannot be marked', () => {
    for (const s of ['CustomerInvoiceCreated', 'CustomerInvoicePosted'] as const) {
      for (const a of ['markReady', 'markNotReady'] as const) {
        const o = markOutcome(a, s);
        assert.equal(o.kind, 'refused');
        assert.equal(o.kind === 'refused' && o.code, 'INVALID_TRANSITION');
      }
    }
  });

  it('R24: an NTE-failed item cannot be marked ready but can be marked not ready', () => {
    const o = markOutcome('markReady', 'UnbilledSalesCreated', { nteFailed: true });
    assert.equal(o.kind === 'refused' && o.code, 'NTE_FAILED');
    assert.equal(
      markOutcome('markNotReady', 'UnbilledSalesCreated', { nteFailed: true }).kind,
      'change',
    );
  });
});
