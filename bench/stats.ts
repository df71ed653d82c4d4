/** Timing samples and their summary: median, 95th percentile (nearest rank), spread. */

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN };
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median =
    s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  const rank = Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1);
  return {
    n: s.length,
    median,
    p95: s[rank] as number,
    min: s[0] as number,
    max: s[s.length - 1] as number,
  };
}

export interface Step {
  /** Untimed preparation of one sample (e.g. fresh entries to approve). */
  before?: () => Promise<void>;
  timed: () => Promise<void>;
  /** Untimed clean-up, so the next sample does the same work (e.g. status put back). */
  after?: () => Promise<void>;
}

/**
 * `warmup` rounds (not counted, 1 unless said), then `runs` timed rounds; milliseconds.
 * Heavy operations skip the warm-up: their first round is not cheaper to leave out than it
 * is informative, and the page rounds before them have warmed the server.
 */
export async function sample(runs: number, step: Step, warmup = 1): Promise<number[]> {
  const out: number[] = [];
  for (let i = 1 - warmup; i <= runs; i++) {
    await step.before?.();
    const t = performance.now();
    await step.timed();
    const ms = performance.now() - t;
    await step.after?.();
    if (i > 0) out.push(ms);
  }
  return out;
}

export const round = (x: number, digits = 1): number =>
  Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
