/**
 * An entry's life (R13–R16): Submitted → Approved | Rejected; a cancelled approval leaves it
 * Cancelled. Which moves are allowed, and what cancelling an approval may reverse. Pure.
 */
import type { BillingStatus, EntryStatus } from './vocabulary.js';
import { formatDecimal } from './money.js';

export type EntryAction = 'approve' | 'reject' | 'cancelApproval';

/** The one status each action starts from (R14, R16, R13). */
const FROM: Record<EntryAction, EntryStatus> = {
  approve: 'Submitted',
  reject: 'Submitted',
  cancelApproval: 'Approved',
};

const TO: Record<EntryAction, EntryStatus> = {
  approve: 'Approved',
  reject: 'Rejected',
  cancelApproval: 'Cancelled',
};

const VERB: Record<EntryAction, string> = {
  approve: 'approved',
  reject: 'rejected',
  cancelApproval: 'have its approval cancelled',
};

/**
 * R14, R16: the entry's next status, or why the action is refused (INVALID_TRANSITION).
 * Rejected and Cancelled are final.
 */
export function entryTransition(
  action: EntryAction,
  entry: { id: string; status: EntryStatus },
): { to: EntryStatus } | { refusal: string } {
  const from = FROM[action];
  if (entry.status === from) return { to: TO[action] };
  const article = from === 'Approved' ? 'an' : 'a';
  return {
    refusal: `entry ${entry.id} is ${entry.status}; only ${article} ${from} entry can ${action === 'cancelApproval' ? '' : 'be '}${VERB[action]}`,
  };
}

/** R16: a rejection's reason, as stored (the request schema has trimmed it). */
export const REJECTION_REASON_MAX = 500;

export interface EntryActual {
  id: string;
  billingStatus: BillingStatus | null;
}

/** What a posted actual still bills: its charge net of every confirmed correction (R65). */
export interface PostedBalance {
  actualId: string;
  /** Hundredths. */
  quantity: bigint;
  /** Minor units. */
  amount: bigint;
}

export type CancellationPlan =
  | {
      /** Actuals that get a reversal row (R13). */
      reverse: string[];
      /** Every open actual of the entry, flagged adjusted: the approval is undone. */
      adjust: string[];
    }
  | { refusal: string };

/**
 * R13, R15: cancelling an approval reverses every open actual of the entry — those the
 * approval created and those a confirmed correction returned (R65) — and is refused while
 * any of them is on a draft, or while a posted one still bills anything. A posted actual
 * that corrections have credited in full (quantity and amount both back to 0) gets no new
 * reversal — its posting already reversed it, and its BilledSales rows net to 0 — but is
 * flagged adjusted with the others, so a cancelled entry has no live actual left.
 */
export function planCancellation(
  actuals: readonly EntryActual[],
  posted: readonly PostedBalance[],
  exponent: number,
): CancellationPlan {
  const onDraft = actuals.filter((a) => a.billingStatus === 'CustomerInvoiceCreated');
  if (onDraft.length > 0) {
    return {
      refusal: `actuals ${onDraft.map((a) => a.id).join(', ')} of the entry are on a draft invoice; remove them from the draft first`,
    };
  }
  const balances = new Map(posted.map((p) => [p.actualId, p]));
  const billed = actuals
    .filter((a) => a.billingStatus === 'CustomerInvoicePosted')
    .map((a) => ({ id: a.id, balance: balances.get(a.id) }))
    .filter(({ balance }) => !balance || balance.quantity !== 0n || balance.amount !== 0n);
  if (billed.length > 0) {
    const what = billed
      .map(({ id, balance }) =>
        balance ? `${id} (${formatDecimal(balance.amount, exponent)} still billed)` : id,
      )
      .join(', ');
    return {
      refusal: `actuals ${what} of the entry are posted and not fully credited; correct the invoice in full and confirm the correction first (R15)`,
    };
  }
  return {
    reverse: actuals.filter((a) => a.billingStatus !== 'CustomerInvoicePosted').map((a) => a.id),
    adjust: actuals.map((a) => a.id),
  };
}
