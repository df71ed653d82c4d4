/** Parsers of option values: a bad value is bad usage, answered by commander (exit 2). */
import { InvalidArgumentError } from 'commander';

/** A whole number from `min` to `max` (inclusive). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    // Number('') is 0: only digits make a number here.
    const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`must be a whole number of at least ${min}`);
    if (n > max) throw new InvalidArgumentError(`must be at most ${max}`);
    return n;
  };
}
