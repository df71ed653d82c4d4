import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

/** Every command path of the program: [], ['import'], ['import', 'entries'], … */
function paths(command: Command, prefix: string[] = []): string[][] {
  return [prefix, ...command.commands.flatMap((c) => paths(c, [...prefix, c.name()]))];
}

function helpOf(path: string[]): string {
  const program = buildProgram();
  let out = '';
  const capture = (c: Command) => {
    c.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    c.commands.forEach(capture);
  };
  capture(program);
  try {
    program.parse(['node', 'billing-backlog', ...path, '--help']);
  } catch (error) {
    assert.equal((error as { exitCode?: number }).exitCode, 0, `${path.join(' ')} --help`);
  }
  return out;
}

describe('CLI help', () => {
  it('every command and subcommand answers --help with its usage', () => {
    const all = paths(buildProgram()).filter((p) => p[p.length - 1] !== 'help');
    assert.ok(all.length >= 12, `found ${all.length} commands`);
    for (const path of all) {
      const help = helpOf(path);
      assert.match(
        help,
        new RegExp(`Usage: billing-backlog${path.map((p) => ` ${p}`).join('')}`),
        path.join(' '),
      );
    }
  });

  it('export has one command per registered view, each listing its API filters', () => {
    const help = helpOf(['export', 'actuals']);
    for (const option of [
      '--contract-id',
      '--customer-id',
      '--date-from',
      '--date-to',
      '--format',
      '--url',
    ]) {
      assert.ok(help.includes(option), option);
    }
  });

  it('export --help lists the backlog views; their options are the API filters, with allowed values', () => {
    const views = helpOf(['export']);
    for (const view of [
      'actuals',
      'entries',
      'tm-backlog',
      'milestones',
      'retainers',
      'available-retainers',
    ]) {
      assert.match(views, new RegExp(`\\n  ${view} \\[options\\]`), view);
    }
    const tm = helpOf(['export', 'tm-backlog']).replace(/\s+/g, ' ');
    for (const option of [
      '--contract-line-id',
      '--nte-status',
      '--transaction-class',
      '--sort',
      '--page-size',
    ]) {
      assert.ok(tm.includes(option), option);
    }
    assert.match(
      tm,
      /--billing-status <value> filter: billingStatus \(as in the API\); one of UnbilledSalesCreated, NotReadyToInvoice, ReadyToInvoice, CustomerInvoiceCreated, CustomerInvoicePosted; repeat the option for several/,
    );
    assert.match(
      tm,
      /--sort <value> row order: sort \(as in the API\); one of date, -date, amount, -amount/,
    );
    const retainers = helpOf(['export', 'available-retainers']).replace(/\s+/g, ' ');
    assert.match(
      retainers,
      /--kind <value> filter: kind \(as in the API\); one of Retainer, Advance --billing-status/,
    );
    assert.ok(
      !retainers.includes('--limit') && !retainers.includes('--cursor'),
      'the export drives limit and cursor',
    );
  });
});
