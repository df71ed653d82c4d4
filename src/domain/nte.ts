/**
 * Not-to-exceed (R20–R22), pure. A limit may sit at four levels; an actual's amount passes
 * a level when invoiced + committed + amount ≤ limit (equal passes). The levels are checked
 * in the order of R20 and the first that fails is recorded.
 */
import { isOnInvoice } from './billing-status.js';
import {
  NTE_LEVELS,
  type BillingStatus,
  type BillingType,
  type NteLevel,
  type NteStatus,
} from './vocabulary.js';

/** Which bucket of each level an actual falls in (line customer id, line id, customer id, contract id). */
export type NteKeys = Record<NteLevel, string>;

export interface NteCandidate {
  keys: NteKeys;
  billingType: BillingType;
  amount: bigint;
}

export interface NteOutcome {
  status: Extract<NteStatus, 'NotApplicable' | 'Committed' | 'Failed'>;
  failedLevel: NteLevel | null;
}

export interface LevelUsage {
  limit: bigint | null;
  invoiced: bigint;
  committed: bigint;
}

/**
 * The NTE position of one contract: limits, what is invoiced and what is committed, per
 * level bucket. Immutable: committing answers a new book.
 */
export class NteBook {
  private constructor(
    private readonly limits: ReadonlyMap<string, bigint>,
    private readonly invoiced: ReadonlyMap<string, bigint>,
    private readonly committed: ReadonlyMap<string, bigint>,
  ) {}

  static of(entries: {
    limits: Iterable<[NteLevel, string, bigint | null]>;
    invoiced?: Iterable<[NteLevel, string, bigint]>;
    committed?: Iterable<[NteLevel, string, bigint]>;
  }): NteBook {
    const limits = new Map<string, bigint>();
    for (const [level, key, limit] of entries.limits)
      if (limit !== null) limits.set(bucket(level, key), limit);
    return new NteBook(limits, sumInto(entries.invoiced ?? []), sumInto(entries.committed ?? []));
  }

  usage(level: NteLevel, key: string): LevelUsage {
    const b = bucket(level, key);
    return {
      limit: this.limits.get(b) ?? null,
      invoiced: this.invoiced.get(b) ?? 0n,
      committed: this.committed.get(b) ?? 0n,
    };
  }

  /** Adds (or, with a negative amount, takes away) an amount to committed at every level. */
  withCommitted(keys: NteKeys, amount: bigint): NteBook {
    const committed = new Map(this.committed);
    for (const level of NTE_LEVELS) {
      const b = bucket(level, keys[level]);
      committed.set(b, (committed.get(b) ?? 0n) + amount);
    }
    return new NteBook(this.limits, this.invoiced, committed);
  }
}

const bucket = (level: NteLevel, key: string) => `${level}:${key}`;

function sumInto(rows: Iterable<[NteLevel, string, bigint]>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [level, key, amount] of rows)
    out.set(bucket(level, key), (out.get(bucket(level, key)) ?? 0n) + amount);
  return out;
}

/** R21, R22: the outcome for one actual against the book as it stands. */
export function assessCandidate(book: NteBook, c: NteCandidate): NteOutcome {
  // R22: only chargeable amounts count against a cap.
  if (c.billingType !== 'Chargeable') return { status: 'NotApplicable', failedLevel: null };
  let anyLimit = false;
  for (const level of NTE_LEVELS) {
    const u = book.usage(level, c.keys[level]);
    if (u.limit === null) continue;
    anyLimit = true;
    // R21: equal passes.
    if (u.invoiced + u.committed + c.amount > u.limit)
      return { status: 'Failed', failedLevel: level };
  }
  return anyLimit
    ? { status: 'Committed', failedLevel: null }
    : { status: 'NotApplicable', failedLevel: null };
}

/**
 * Several actuals evaluated in order, each seeing the ones committed before it (R21, R23).
 * Answers the outcomes and the book after them.
 */
export function assessInOrder(
  book: NteBook,
  candidates: readonly NteCandidate[],
): { outcomes: NteOutcome[]; book: NteBook } {
  const outcomes: NteOutcome[] = [];
  let current = book;
  for (const c of candidates) {
    const outcome = assessCandidate(current, c);
    if (outcome.status === 'Committed') current = current.withCommitted(c.keys, c.amount);
    outcomes.push(outcome);
  }
  return { outcomes, book: current };
}

/**
 * R29: a draft edit of a T&M detail. While on a draft the detail commits the larger of what
 * its actual commits (`committedPart`: its amount when Committed and chargeable, else 0)
 * and its own chargeable amount; the part above `committedPart` is the detail's excess.
 * Answers the new excess and the amount the edit adds to committed (to be checked by R21
 * when positive; lowering is always allowed).
 */
export function draftEditExcess(d: {
  committedPart: bigint;
  oldExcess: bigint;
  newChargeable: bigint;
}): { excess: bigint; added: bigint } {
  const excess = d.newChargeable > d.committedPart ? d.newChargeable - d.committedPart : 0n;
  return { excess, added: excess - d.oldExcess };
}

/** Headroom left under a limit; negative when invoicing outside NTE went past it. */
export function headroom(u: LevelUsage): bigint | null {
  return u.limit === null ? null : u.limit - u.invoiced - u.committed;
}

export type NteAction = 'resetNte' | 'reevaluateNte';

export interface NteWorkflowItem {
  billingType: BillingType;
  billingStatus: BillingStatus;
  nteStatus: NteStatus | null;
}

/**
 * R25, R26: whether an action works on an item, or the reason it leaves it alone (skipped,
 * not failed): not chargeable, on a draft or posted invoice, or not in a status the action
 * takes.
 */
export function nteActionSkipReason(action: NteAction, item: NteWorkflowItem): string | null {
  if (item.billingType !== 'Chargeable')
    return `a ${item.billingType} actual has no NTE to ${verb(action)}`;
  if (isOnInvoice(item.billingStatus))
    return `the actual is ${item.billingStatus}; its NTE is settled`;
  const takes: readonly (NteStatus | null)[] =
    action === 'resetNte' ? ['Committed', 'Failed'] : ['NotEvaluated', 'Committed', 'Failed'];
  if (!takes.includes(item.nteStatus))
    return `the actual's NTE status is ${item.nteStatus ?? 'none'}`;
  return null;
}

const verb = (action: NteAction) => (action === 'resetNte' ? 'reset' : 're-evaluate');
