import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { wholeNumber } from '../../src/cli/arguments.js';

describe('CLI option values', () => {
  it('a whole number within its bounds is taken; anything else is bad usage naming the bound', () => {
    const days = wholeNumber(0, 36_500);
    assert.equal(days('0'), 0);
    assert.equal(days('400'), 400);
    assert.equal(days('36500'), 36_500);
    for (const [text, message] of [
      ['-1', /at least 0/],
      ['1.5', /whole number/],
      ['ten', /whole number/],
      ['', /whole number/],
      ['36501', /at most 36500/],
    ] as const) {
      assert.throws(
        () => days(text),
        (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message),
      );
    }
  });
});
