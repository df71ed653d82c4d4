/**
 * Splitting an amount over customers (R3) and dividing a total into scheduled parts (R4).
 * Both always return parts that sum exactly to the whole.
 */
import { divRoundHalfUp } from './money.js';

export interface SplitShare {
  /** Percentage at scale 2 (33.33 % is 3333n). */
  percent: bigint;
  isRounding: boolean;
}

/**
 * R3: every non-rounding share gets round_half_up(amount × pct / 100); the rounding share
 * gets the residue so the parts sum exactly to `amount`. Returns parts in input order.
 * `amount` is in units of any scale (minor units for money, hundredths for quantities).
 *
 * R6: no part is ever negative. Tiny amounts over many customers can round up to more than
 * the whole (0.02 over 34 / 34 / 30 / 2 % rounds each of the first three up to 0.01); then
 * the parts that were rounded up the most give back one unit each, ties in customer order,
 * until the rounding customer's part is zero. A part that gives back lands on its exact
 * share rounded down, so it stays within one unit of it.
 */
export function allocate(amount: bigint, shares: readonly SplitShare[]): bigint[] {
  const roundingIndex = shares.findIndex((s) => s.isRounding);
  if (roundingIndex < 0) throw new Error('a split needs exactly one rounding share');
  // Credits split as the mirror image of charges, so a reversal cancels its original.
  if (amount < 0n) return allocate(-amount, shares).map((p) => -p);
  const parts = shares.map((s, i) =>
    i === roundingIndex ? 0n : divRoundHalfUp(amount * s.percent, 100_00n),
  );
  let residue = amount - parts.reduce((sum, p) => sum + p, 0n);
  if (residue < 0n) {
    // R6: how far each part was rounded up, in 1/10,000 of a unit (0 for parts rounded down).
    const roundedUp = shares
      .map((s, i) => ({ i, up: (parts[i] ?? 0n) * 100_00n - amount * s.percent }))
      .filter(({ i, up }) => i !== roundingIndex && up > 0n)
      .sort((x, y) => (x.up > y.up ? -1 : x.up < y.up ? 1 : x.i - y.i));
    for (const { i } of roundedUp) {
      if (residue === 0n) break;
      parts[i] = (parts[i] ?? 0n) - 1n;
      residue += 1n;
    }
    // Each rounded-up part overshot by at most half a unit, so there are always enough.
    if (residue < 0n) throw new Error(`R6: split of ${amount} left a residue of ${residue}`);
  }
  parts[roundingIndex] = residue;
  return parts;
}

/** R4: N−1 equal parts rounded half up, the last part takes the residue. */
export function divide(total: bigint, count: number): bigint[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be ≥ 1');
  let part = divRoundHalfUp(total, BigInt(count));
  // Rounding up N−1 times can overshoot a tiny total (0.05 over 9 parts); then the equal
  // parts round down instead, so the last part never goes negative.
  if (part * BigInt(count - 1) > total && total >= 0n) part = total / BigInt(count);
  const parts = Array.from({ length: count }, () => part);
  parts[count - 1] = total - part * BigInt(count - 1);
  return parts;
}

export interface SplitProblem {
  index: number | null;
  message: string;
}

/** R5: each percentage 0..100, the sum exactly 100, exactly one rounding share. */
export function checkSplit(shares: readonly SplitShare[]): SplitProblem[] {
  const problems: SplitProblem[] = [];
  shares.forEach((s, index) => {
    if (s.percent < 0n || s.percent > 100_00n) {
      problems.push({ index, message: 'a split percentage must be between 0 and 100' });
    }
  });
  const sum = shares.reduce((acc, s) => acc + s.percent, 0n);
  if (shares.length > 0 && sum !== 100_00n) {
    problems.push({ index: null, message: 'split percentages must sum to exactly 100' });
  }
  const rounding = shares.filter((s) => s.isRounding).length;
  if (rounding > 1) {
    problems.push({ index: null, message: 'exactly one customer can be the rounding customer' });
  }
  return problems;
}
