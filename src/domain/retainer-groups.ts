/**
 * R52 with R74: retainers are applied per tax group. A retainer application belongs to the
 * group of the tax code its retainer's own billing detail had, and may take at most that
 * group's chargeable T&M and milestone amount (`retainerApplicationCap`), so no group's
 * taxable amount is ever negative. With no tax code anywhere there is one group and these
 * are exactly R52's rules over the invoice's total.
 */
import type { RetainerDraw } from './retainers.js';
import { retainerApplicationCap, type TaxGroup, type TaxedAmount } from './tax-totals.js';

export interface GroupedRetainer {
  id: string;
  /** What the retainer can still give (R51, R53). */
  available: bigint;
  /** The group of its own billing detail; null: the group without tax. */
  group: TaxGroup | null;
}

/** R52: oldest first (the caller orders them), each up to its group's cap. */
export function drawRetainersByGroup(
  work: readonly TaxedAmount[],
  retainers: readonly GroupedRetainer[],
): RetainerDraw[] {
  const applied: TaxedAmount[] = [];
  const draws: RetainerDraw[] = [];
  for (const r of retainers) {
    if (r.available <= 0n) continue;
    const cap = retainerApplicationCap(work, applied, r.group);
    const amount = r.available < cap ? r.available : cap;
    if (amount <= 0n) continue;
    draws.push({ retainerId: r.id, amount });
    applied.push({ amount, taxGroup: r.group });
  }
  return draws;
}

export interface GroupedApplication {
  retainerId: string;
  amount: bigint;
  group: TaxGroup | null;
}

/**
 * R52 after a draft changed (a quantity, a billing type, a tax code, a removal): in each
 * group the applications may no longer exceed its chargeable amount; the newest give way
 * first. Answers the applications whose amount changes, with their new amount.
 */
export function refitApplicationsByGroup(
  work: readonly TaxedAmount[],
  applications: readonly GroupedApplication[],
): RetainerDraw[] {
  const changed: RetainerDraw[] = [];
  const kept: TaxedAmount[] = [];
  // Oldest first: each keeps what its group can still carry after the older ones.
  for (const a of applications) {
    const cap = retainerApplicationCap(work, kept, a.group);
    const amount = a.amount < cap ? a.amount : cap;
    if (amount !== a.amount) changed.push({ retainerId: a.retainerId, amount });
    kept.push({ amount, taxGroup: a.group });
  }
  return changed;
}

/**
 * R65 with R52 and R74: what a correction gives back. The corrected invoice keeps, in each
 * tax group, as much of its draws as that group's chargeable work after the correction can
 * carry (oldest first); the rest goes back, newest first. With one group (no tax codes)
 * this is R65's give-back over the invoice's total.
 */
export function giveBackRetainersByGroup(
  workAfter: readonly TaxedAmount[],
  drawn: readonly GroupedApplication[],
): RetainerDraw[] {
  const positive = drawn.filter((d) => d.amount > 0n);
  const kept = new Map(
    refitApplicationsByGroup(workAfter, positive).map((c) => [c.retainerId, c.amount]),
  );
  return positive
    .filter((d) => kept.has(d.retainerId))
    .map((d) => ({ retainerId: d.retainerId, amount: d.amount - (kept.get(d.retainerId) ?? 0n) }));
}
