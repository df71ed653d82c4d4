/**
 * `billing-backlog import entries` and `export`, run as real processes against the test
 * target's database.
 */
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { addContractLine } from '../../src/commands/addContractLine.js';
import { createContract } from '../../src/commands/createContract.js';
import { insertCustomer } from '../../src/repositories/customers.js';
import { TARGET } from '../support/database.js';
import { cleanEnv, openCliTarget, runCli, type CliTarget } from '../support/cli.js';

let target: CliTarget;
let dir: string;
let contractId: string;
let timeLine: string;
let otherContractId: string;
let otherLine: string;

before(async () => {
  target = await openCliTarget();
  dir = mkdtempSync(path.join(tmpdir(), 'bb-import-'));
  await target.use(async ({ db }) => {
    const ctx = { db, actor: 'test' };
    const make = async (name: string, classes: ('Time' | 'Expense')[]) => {
      const customer = await insertCustomer(db, `${name} customer`);
      const id = await createContract(ctx, {
        name,
        currency: 'USD',
        customers: [{ customerId: customer.id }],
      });
      const line = await addContractLine(ctx, {
        contractId: id,
        name: `${name} line`,
        billingMethod: 'TimeAndMaterial',
        transactionClasses: classes,
      });
      return { id, line };
    };
    ({ id: contractId, line: timeLine } = await make('Import contract', ['Time']));
    ({ id: otherContractId, line: otherLine } = await make('Bulk contract', ['Time', 'Expense']));
  });
});
after(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

const countEntries = (contract: string) =>
  target.use(async ({ db }) => {
    const row = await db
      .selectFrom('entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('contract_id', '=', contract)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const mixedFile = () =>
  file(
    'mixed.csv',
    [
      'contractLineId,transactionClass,date,quantity,unitPrice,description',
      `${timeLine},Time,2026-03-02,8,200.00,good`,
      `${timeLine},Time,2026-03-02,abc,200.00,bad quantity`,
      `${timeLine},Time,2026-02-30,8,200.00,no such day`,
      `999999,Time,2026-03-02,8,200.00,unknown line`,
      `${timeLine},Expense,2026-03-02,1,50.00,class not on the line`,
      `${timeLine},Time,2026-03-03`,
      `${timeLine},Time,2026-03-04,7.5,180.00,"Workshop, day 2"`,
      `${timeLine},Time,2026-03-05,1,180.00,good`,
      '',
    ].join('\n'),
  );

const EXPECTED_REPORT = [
  'line,field,reason',
  '3,quantity,"must be a decimal number such as ""12.50"""',
  '4,date,must be a real calendar date from 1900-01-01 to 9999-12-31',
  '5,contractLineId,names no contract line',
  '6,transactionClass,is not included on this contract line',
  '7,,has 3 fields; the header has 6',
  '',
].join('\n');

describe(`CLI import of entries [${TARGET}]`, () => {
  it('skip-bad-rows imports the good rows and reports each bad row with its line, field and reason', async () => {
    const report = path.join(dir, 'skip-errors.csv');
    const before = await countEntries(contractId);
    const res = await runCli([
      'import',
      'entries',
      mixedFile(),
      '--mode',
      'skip-bad-rows',
      '--errors',
      report,
      '--json',
      ...target.args,
    ]);
    assert.equal(res.code, 1, res.stderr);
    const summary = JSON.parse(res.stdout);
    assert.deepEqual(
      {
        rows: summary.rows,
        imported: summary.imported,
        badRows: summary.badRows,
        committed: summary.committed,
      },
      { rows: 8, imported: 3, badRows: 5, committed: true },
    );
    assert.equal(readFileSync(report, 'utf8'), EXPECTED_REPORT);
    assert.equal((await countEntries(contractId)) - before, 3);
  });

  it('all-or-nothing imports nothing when any row is bad, and reports the same rows', async () => {
    const report = path.join(dir, 'aon-errors.csv');
    const before = await countEntries(contractId);
    const res = await runCli([
      'import',
      'entries',
      mixedFile(),
      '--errors',
      report,
      ...target.args,
    ]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stdout, /nothing imported/);
    assert.equal(readFileSync(report, 'utf8'), EXPECTED_REPORT);
    assert.equal(await countEntries(contractId), before, 'the good rows were rolled back too');
  });

  it('R10/R35: --approve approves each imported entry, creating its unbilled actuals and audit events', async () => {
    const csv = file(
      'approve.csv',
      `contractLineId,transactionClass,date,quantity,unitPrice\n${timeLine},Time,2026-04-01,2,150.00\n${timeLine},Time,2026-04-02,1.25,100.00\n`,
    );
    const res = await runCli(['import', 'entries', csv, '--approve', '--json', ...target.args]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(JSON.parse(res.stdout).approved, 2);
    const exported = await runCli([
      'export',
      'actuals',
      '--format',
      'json',
      '--contract-id',
      contractId,
      '--date-from',
      '2026-04-01',
      ...target.args,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const rows = JSON.parse(exported.stdout);
    assert.deepEqual(
      rows.map((r: any) => [r.date, r.amount, r.type]),
      [
        ['2026-04-01', '300.00', 'UnbilledSales'],
        ['2026-04-02', '125.00', 'UnbilledSales'],
      ],
    );
    const audited = await target.use(({ db }) =>
      db
        .selectFrom('audit_events')
        .select('action')
        .where('contract_id', '=', contractId)
        .where('actor', 'like', 'cli:%')
        .execute(),
    );
    assert.ok(audited.filter((a) => a.action === 'importEntry').length >= 2);
    assert.ok(audited.filter((a) => a.action === 'approveEntry').length >= 2);
  });

  it('a header naming an unknown column is refused before any row, with exit code 2', async () => {
    const csv = file(
      'header.csv',
      `contractLine,transactionClass,date,quantity,unitPrice\n${timeLine},Time,2026-03-02,8,200\n`,
    );
    const res = await runCli(['import', 'entries', csv, ...target.args]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown column\(s\): contractLine/);
    assert.match(res.stderr, /missing column\(s\): contractLineId/);
  });

  it('100,000 rows import in bounded memory: a 96 MiB heap suffices, RSS within 256 MiB of a one-row import', async () => {
    const tiny = file(
      'tiny.csv',
      'contractLineId,transactionClass,date,quantity,unitPrice\n999999,Time,2026-05-01,1,1\n',
    );
    const baseline = JSON.parse(
      (
        await runCli([
          'import',
          'entries',
          tiny,
          '--mode',
          'skip-bad-rows',
          '--json',
          ...target.args,
        ])
      ).stdout,
    );
    const ROWS = 100_000;
    const big = path.join(dir, 'big.csv');
    const out = createWriteStream(big);
    out.write('contractLineId,transactionClass,date,quantity,unitPrice,resource,description\n');
    const pad = 'x'.repeat(120);
    for (let i = 0; i < ROWS; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const ok = out.write(
        `${otherLine},${i % 2 ? 'Expense' : 'Time'},2026-05-${day},${(i % 9) + 1}.25,95.50,R${i % 50},row ${i} ${pad}\n`,
      );
      if (!ok) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    // The JavaScript heap is capped well below what 100,000 parsed rows held at once would
    // take (the file is ~20 MB; as objects several times that): the import must hold one
    // batch of 1,000 rows at a time, or it runs out of memory.
    const res = await runCli(['import', 'entries', big, '--json', ...target.args], {
      ...cleanEnv(),
      NODE_OPTIONS: '--max-old-space-size=96',
    });
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout);
    assert.equal(summary.imported, ROWS);
    assert.equal(summary.badRows, 0);
    // The process as a whole, loosely: it includes the database engine (embedded: ~400 MiB,
    // whose page cache grows with the rows written; or the pg driver, ~150 MiB).
    const growth = summary.peakRssMiB - baseline.peakRssMiB;
    assert.ok(
      growth < 256,
      `peak RSS ${summary.peakRssMiB} MiB, ${growth} MiB above the one-row import`,
    );
    assert.equal(await countEntries(otherContractId), ROWS);
  });
});

describe(`CLI export [${TARGET}]`, () => {
  it('exports entries as CSV with the API filters, every page', async () => {
    const res = await runCli([
      'export',
      'entries',
      '--contract-id',
      contractId,
      '--status',
      'Approved',
      ...target.args,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(
      lines[0],
      'id,contractId,contractLineId,transactionClass,date,quantity,unitPrice,billableQuantity,resource,role,category,description,status,rejectionReason,createdAt',
    );
    assert.equal(lines.length, 3);
    assert.ok(lines.slice(1).every((l) => l.includes(',Approved,')));
  });

  it('a bad filter value is refused with the option name and exit code 2', async () => {
    const res = await runCli(['export', 'actuals', '--date-from', '2026-13-01', ...target.args]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--date-from: must be a real calendar date/);
  });

  it('--help answers usage with exit code 0 from the real process', async () => {
    const res = await runCli(['import', 'entries', '--help']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Usage: billing-backlog import entries/);
  });
});
