/**
 * Fixed-price milestones (R40–R45): header status, periodic dates, the contracted-amount
 * ceiling and the edit guard. Pure: no I/O.
 */
import type { BillingStatus, Frequency, HeaderStatus } from './vocabulary.js';
import { addDays, addMonths } from './calendar.js';
import type { ErrorCode } from './errors.js';
import { allocate, divide } from './split.js';

/**
 * R42: derived from the splits' current statuses, never stored. `NotStarted` while every
 * split is NotReadyToInvoice, `Completed` when every split is CustomerInvoicePosted,
 * `InProgress` otherwise. Only the splits that exist count (R6: a customer whose part is 0
 * has none); a milestone always has at least one split; none reads NotStarted.
 */
export function headerStatus(splitStatuses: readonly BillingStatus[]): HeaderStatus {
  if (splitStatuses.every((s) => s === 'NotReadyToInvoice')) return 'NotStarted';
  if (splitStatuses.every((s) => s === 'CustomerInvoicePosted')) return 'Completed';
  return 'InProgress';
}

/** No schedule may create more milestones than this in one request. */
export const MAX_GENERATED = 1000;

/**
 * R43: the start of every period from `start` to `end`, both inclusive. The k-th date is
 * computed from the start date itself (start + k months), never from the previous date, so
 * a schedule starting on the 31st falls on the last day of shorter months and comes back to
 * the 31st afterwards (Jan 31 → Feb 28/29 → Mar 31). Stops after `max` dates (the caller
 * treats reaching it as too many).
 */
export function periodStarts(
  start: string,
  end: string,
  frequency: Frequency,
  max = MAX_GENERATED + 1,
): string[] {
  const dates: string[] = [];
  for (let k = 0; dates.length < max; k++) {
    const date =
      frequency === 'weekly'
        ? addDays(start, 7 * k)
        : addMonths(start, (frequency === 'monthly' ? 1 : 3) * k);
    // Past 9999-12-31 the ISO text gains a sign (+010000-…) and would sort before the end.
    if (date > end || !/^\d{4}-/.test(date)) break;
    dates.push(date);
  }
  return dates;
}

export interface PlannedMilestone {
  date: string;
  amount: bigint;
}

/** R43 + R4: one milestone per period start, the contracted amount divided over them. */
export function planSchedule(dates: readonly string[], contracted: bigint): PlannedMilestone[] {
  if (dates.length === 0) return [];
  const amounts = divide(contracted, dates.length);
  return dates.map((date, i) => ({ date, amount: amounts[i] ?? 0n }));
}

/**
 * R44: the milestones of a line may not sum to more than its contracted amount. `others` is
 * the sum of the line's milestones that stay as they are; `added` the amounts being created
 * (or the new amount of the milestone being changed). Answers the room left, or null when
 * the change fits.
 */
export function overContracted(
  contracted: bigint,
  others: bigint,
  added: readonly bigint[],
): { room: bigint } | null {
  const total = added.reduce((sum, a) => sum + a, others);
  return total > contracted ? { room: contracted - others } : null;
}

export interface EditRefusal {
  code: Extract<ErrorCode, 'INVALID_TRANSITION' | 'INVOICE_CONFIRMED'>;
  message: string;
}

/**
 * R45: a milestone with a split on a draft or posted invoice cannot be changed or deleted.
 * A posted split answers INVOICE_CONFIRMED (only a correction can undo it); a split on a
 * draft answers INVALID_TRANSITION (remove it from the draft first).
 */
export function editRefusal(splitStatuses: readonly BillingStatus[]): EditRefusal | null {
  if (splitStatuses.includes('CustomerInvoicePosted')) {
    return {
      code: 'INVOICE_CONFIRMED',
      message:
        'a split of this milestone is on a posted invoice; it can no longer be changed or deleted',
    };
  }
  if (splitStatuses.includes('CustomerInvoiceCreated')) {
    return {
      code: 'INVALID_TRANSITION',
      message: 'a split of this milestone is on a draft invoice; remove it from the draft first',
    };
  }
  return null;
}

export interface SplitCustomer {
  lineCustomerId: string;
  customerId: string;
  /** Percentage at scale 2. */
  percent: bigint;
  isRounding: boolean;
}

/**
 * R41 with R6: a milestone's amount split over the line customers by R3, one split per
 * customer whose part is not zero. A 0 % customer, the rounding one included, whose part is
 * 0 gets no split: it would have nothing to bill and would keep the header (R42) from ever
 * reaching Completed. Parts sum to a positive amount, so at least one split is planned.
 */
export function planSplits<T extends SplitCustomer>(
  amount: bigint,
  lineCustomers: readonly T[],
): { customer: T; amount: bigint }[] {
  const parts = allocate(amount, lineCustomers);
  return lineCustomers
    .map((customer, i) => ({ customer, amount: parts[i] ?? 0n }))
    .filter((p) => p.amount !== 0n);
}

export interface ExistingSplit {
  id: string;
  lineCustomerId: string;
}

export interface Resplit<T extends SplitCustomer> {
  /** Splits that keep their id and status and take a new amount. */
  change: { id: string; amount: bigint }[];
  /** Customers whose part was 0 and is not any more. */
  add: { customer: T; amount: bigint }[];
  /** Splits whose part is now 0 (R6: they no longer exist). */
  remove: string[];
}

/**
 * R41/R6 on a changed amount: the same plan as a new milestone, matched to the splits the
 * milestone has by line customer.
 */
export function resplit<T extends SplitCustomer>(
  amount: bigint,
  lineCustomers: readonly T[],
  existing: readonly ExistingSplit[],
): Resplit<T> {
  const planned = planSplits(amount, lineCustomers);
  const byCustomer = new Map(existing.map((s) => [s.lineCustomerId, s.id]));
  const kept = new Set<string>();
  const out: Resplit<T> = { change: [], add: [], remove: [] };
  for (const p of planned) {
    const id = byCustomer.get(p.customer.lineCustomerId);
    if (id === undefined) out.add.push(p);
    else {
      kept.add(id);
      out.change.push({ id, amount: p.amount });
    }
  }
  out.remove = existing.filter((s) => !kept.has(s.id)).map((s) => s.id);
  return out;
}
