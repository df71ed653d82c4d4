/**
 * Billing status transitions (R28, R30–R33), one table for every kind of backlog item: T&M
 * actuals, milestone splits, retainers and advances. Pure: given an item's current status
 * (and, for actuals, its NTE status), what does an action do to it.
 */
import {
  INVOICEABLE_NTE_STATUSES,
  ON_INVOICE,
  type BillingStatus,
  type NteStatus,
} from './vocabulary.js';

/** Every action that moves a billing status, named as the audit trail names it (R35). */
export type StatusAction =
  | 'markReady'
  | 'markNotReady'
  | 'createInvoice'
  | 'addToInvoice'
  | 'removeFromInvoice'
  | 'confirmInvoice'
  | 'confirmCorrection'
  | 'resetNte'
  | 'reevaluateNte';

export type MarkAction = Extract<StatusAction, 'markReady' | 'markNotReady'>;

interface Transition {
  from: readonly BillingStatus[];
  to: BillingStatus;
}

/** The one transition table. */
export const TRANSITIONS: Readonly<Record<StatusAction, Transition>> = {
  // R31
  markReady: { from: ['UnbilledSalesCreated', 'NotReadyToInvoice'], to: 'ReadyToInvoice' },
  markNotReady: { from: ['ReadyToInvoice', 'UnbilledSalesCreated'], to: 'NotReadyToInvoice' },
  // R32
  createInvoice: { from: ['ReadyToInvoice'], to: 'CustomerInvoiceCreated' },
  // R69
  addToInvoice: { from: ['ReadyToInvoice'], to: 'CustomerInvoiceCreated' },
  removeFromInvoice: { from: ['CustomerInvoiceCreated'], to: 'ReadyToInvoice' },
  // R32, R63
  confirmInvoice: { from: ['CustomerInvoiceCreated'], to: 'CustomerInvoicePosted' },
  // R65: a credited milestone split or retainer returns to the backlog, ready again.
  confirmCorrection: { from: ['CustomerInvoicePosted'], to: 'ReadyToInvoice' },
  // R28: a reset, or a re-evaluation that fails, takes a ready actual out of Ready.
  resetNte: { from: ['ReadyToInvoice'], to: 'NotReadyToInvoice' },
  reevaluateNte: { from: ['ReadyToInvoice'], to: 'NotReadyToInvoice' },
};

export type StatusOutcome =
  | { kind: 'change'; to: BillingStatus }
  | { kind: 'unchanged'; status: BillingStatus }
  | {
      kind: 'refused';
      code: 'INVALID_TRANSITION' | 'NTE_FAILED' | 'NTE_NOT_EVALUATED';
      message: string;
    };

/**
 * What `action` does to an item in `current`. Marks (R31) succeed unchanged when the item is
 * already in the target state; every other action needs an item in one of its `from` states.
 * `nteStatus` is the NTE status of a T&M actual (milestones and retainers have none, R27).
 */
export function statusOutcome(
  action: StatusAction,
  current: BillingStatus,
  nteStatus: NteStatus | null = null,
): StatusOutcome {
  const { from, to } = TRANSITIONS[action];
  const marking = action === 'markReady' || action === 'markNotReady';
  if (marking) {
    // R33: items on a draft or posted invoice are out of the marking workflow.
    if (isOnInvoice(current)) {
      return {
        kind: 'refused',
        code: 'INVALID_TRANSITION',
        message: `the item is ${current}; remove it from its invoice first`,
      };
    }
    if (current === to) return { kind: 'unchanged', status: current };
  }
  if (!from.includes(current)) {
    return {
      kind: 'refused',
      code: 'INVALID_TRANSITION',
      message: `the item is ${current}; ${action} needs ${from.join(' or ')}`,
    };
  }
  if (to === 'ReadyToInvoice' && nteStatus !== null && !isInvoiceableNte(nteStatus)) {
    return nteRefusal(nteStatus);
  }
  return { kind: 'change', to };
}

/** R32, R33: on a draft or a posted invoice. */
export function isOnInvoice(status: BillingStatus): boolean {
  return (ON_INVOICE as readonly BillingStatus[]).includes(status);
}

/** R28: only Committed or NotApplicable actuals may be ready, on a draft or posted. */
export function isInvoiceableNte(nteStatus: NteStatus): boolean {
  return (INVOICEABLE_NTE_STATUSES as readonly NteStatus[]).includes(nteStatus);
}

function nteRefusal(nteStatus: NteStatus): StatusOutcome {
  // R24: a Failed NTE blocks ready, never not-ready.
  if (nteStatus === 'Failed') {
    return {
      kind: 'refused',
      code: 'NTE_FAILED',
      message: 'the not-to-exceed check failed for this item; raise the limit and re-evaluate NTE',
    };
  }
  // R28: a reset actual must be checked against its caps again before it can be billed.
  return {
    kind: 'refused',
    code: 'NTE_NOT_EVALUATED',
    message: 'the not-to-exceed check of this item was reset; re-evaluate NTE first',
  };
}
