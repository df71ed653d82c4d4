import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currencyDigits } from '../../web/src/lib/decimal.js';
import { codeSentence, fieldName, fieldSentence, nteSentence } from '../../web/src/lib/problems.js';

const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('web UI: problems in words (issue 17)', () => {
  it('a schema message becomes a sentence about its field', () => {
    assert.equal(
      fieldSentence('name', 'Too small: expected string to have >=1 characters'),
      'Name is required',
    );
    assert.equal(
      fieldSentence('contractLineId', 'must be an id'),
      'Contract line must be chosen from the list',
    );
    assert.equal(
      fieldSentence('transactionClass', 'Invalid option: expected one of "Time"|"Expense"'),
      'Transaction class must be one of Time, Expense',
    );
    assert.equal(fieldName('customers.1.billingSplitPercent'), 'Split % (row 2)');
    assert.equal(fieldSentence('', 'the header line does not fit'), 'The header line does not fit');
  });

  it('every problem code reads as a sentence, with the detail after it', () => {
    assert.equal(
      codeSentence('INVALID_TRANSITION', 'entry 4 is Approved'),
      'This item is not in a state that allows that action. Entry 4 is Approved.',
    );
    assert.equal(
      codeSentence('VALIDATION_FAILED', 'the request is not valid'),
      'Some fields need attention.',
    );
    assert.equal(codeSentence(undefined, 'network down'), 'Network down.');
  });

  it('R21: an NTE failure says the level and how much is left of the limit', () => {
    const usage = { limit: '1000.00', invoiced: '500.00', committed: '300.00', headroom: '200.00' };
    assert.equal(
      plain(nteSentence('ContractLine', usage)),
      'Not-to-exceed reached at contract line: 200.00 left of 1,000.00',
    );
    assert.equal(
      plain(nteSentence('Contract', { ...usage, headroom: '-5.00' }, 'USD')),
      'Not-to-exceed reached at contract: USD 0.00 left of USD 1,000.00',
    );
  });

  it('currency decimals come from Intl, not a table', () => {
    assert.deepEqual(['USD', 'JPY', 'KWD'].map(currencyDigits), [2, 0, 3]);
  });
});
