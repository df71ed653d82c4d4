/**
 * Issue 19, imports that can be re-run: every imported entry carries an external key, so
 * running the same rows again creates nothing twice and says so; a killed import is reported
 * by the next run of the same file, which completes it without duplicates; the summary line
 * is printed whatever happens.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addContractLine } from '../../src/commands/addContractLine.js';
import { createContract } from '../../src/commands/createContract.js';
import { insertCustomer } from '../../src/repositories/customers.js';
import { TARGET } from '../support/database.js';
import { cleanEnv, openCliTarget, ROOT, runCli, type CliTarget } from '../support/cli.js';

let target: CliTarget;
let dir: string;
let contractId: string;
let lineId: string;

before(async () => {
  target = await openCliTarget();
  dir = mkdtempSync(path.join(tmpdir(), 'bb-rerun-'));
  await target.use(async ({ db }) => {
    const ctx = { db, actor: 'test' };
    const customer = await insertCustomer(db, 'Rerun customer');
    contractId = await createContract(ctx, {
      name: 'Rerun',
      currency: 'USD',
      customers: [{ customerId: customer.id }],
    });
    lineId = await addContractLine(ctx, {
      contractId,
      name: 'Rerun line',
      billingMethod: 'TimeAndMaterial',
      transactionClasses: ['Time'],
    });
  });
});
after(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

const counts = () =>
  target.use(async ({ db }) => {
    const entries = await db
      .selectFrom('entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('contract_id', '=', contractId)
      .executeTakeFirstOrThrow();
    const actuals = await db
      .selectFrom('actuals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('contract_id', '=', contractId)
      .executeTakeFirstOrThrow();
    return { entries: Number(entries.n), actuals: Number(actuals.n) };
  });

function csv(
  name: string,
  rows: string[],
  header = 'contractLineId,transactionClass,date,quantity,unitPrice,description',
): string {
  const p = path.join(dir, name);
  writeFileSync(p, [header, ...rows, ''].join('\n'));
  return p;
}

const SUMMARY =
  /^summary: (\d+) rows read, (\d+) created, (\d+) skipped as already imported, (\d+) rejected$/m;
const summaryOf = (stdout: string) => {
  const m = SUMMARY.exec(stdout);
  assert.ok(m, `no summary line in: ${stdout}`);
  return {
    read: Number(m[1]),
    created: Number(m[2]),
    skipped: Number(m[3]),
    rejected: Number(m[4]),
  };
};

describe(`re-runnable imports [${TARGET}]`, () => {
  it('issue 19: importing the same file again creates and approves nothing twice and says so', async () => {
    const file = csv('same.csv', [
      `${lineId},Time,2026-04-01,1,100.00,a`,
      `${lineId},Time,2026-04-01,1,100.00,a`,
      `${lineId},Time,2026-04-02,2,100.00,b`,
      `${lineId},Time,1899-12-31,2,100.00,too early`,
    ]);
    const before = await counts();
    const first = await runCli([
      'import',
      'entries',
      file,
      '--mode',
      'skip-bad-rows',
      '--approve',
      ...target.args,
    ]);
    assert.deepEqual(summaryOf(first.stdout), { read: 4, created: 3, skipped: 0, rejected: 1 });
    const afterFirst = await counts();
    assert.equal(afterFirst.entries, before.entries + 3, 'two identical rows are two entries');
    const again = await runCli([
      'import',
      'entries',
      file,
      '--mode',
      'skip-bad-rows',
      '--approve',
      ...target.args,
    ]);
    assert.deepEqual(summaryOf(again.stdout), { read: 4, created: 0, skipped: 3, rejected: 1 });
    assert.deepEqual(await counts(), afterFirst, 'no entry and no actual created twice');
  });

  it('issue 19: an externalKey column names each row across files; the same key is skipped, a new one created', async () => {
    const header = 'externalKey,contractLineId,transactionClass,date,quantity,unitPrice';
    const first = csv(
      'keys-1.csv',
      [`ts-1,${lineId},Time,2026-04-03,1,10`, `ts-2,${lineId},Time,2026-04-03,1,10`],
      header,
    );
    const second = csv(
      'keys-2.csv',
      [`ts-2,${lineId},Time,2026-04-03,1,10`, `ts-3,${lineId},Time,2026-04-04,1,10`],
      header,
    );
    const before = await counts();
    assert.deepEqual(
      summaryOf((await runCli(['import', 'entries', first, ...target.args])).stdout),
      { read: 2, created: 2, skipped: 0, rejected: 0 },
    );
    assert.deepEqual(
      summaryOf((await runCli(['import', 'entries', second, ...target.args])).stdout),
      { read: 2, created: 1, skipped: 1, rejected: 0 },
    );
    assert.equal((await counts()).entries, before.entries + 3);
    const keys = await target.use(({ db }) =>
      db
        .selectFrom('entries')
        .select('external_key')
        .where('contract_id', '=', contractId)
        .where('external_key', 'like', 'ts-%')
        .orderBy('external_key')
        .execute(),
    );
    assert.deepEqual(
      keys.map((k) => k.external_key),
      ['ts-1', 'ts-2', 'ts-3'],
    );
  });

  it('issue 19: the summary line is printed when the import fails too', async () => {
    const res = await runCli([
      'import',
      'entries',
      csv('broken.csv', [`${lineId},Time,2026-04-05,1,10,"unclosed`]),
      ...target.args,
    ]);
    assert.equal(res.code, 1, 'a file that is not CSV failed; it is not bad usage (2)');
    assert.match(res.stderr, /not readable CSV/, `stdout: ${res.stdout}\nstderr: ${res.stderr}`);
    assert.deepEqual(summaryOf(res.stdout), { read: 0, created: 0, skipped: 0, rejected: 0 });
  });

  it('issue 19: a killed import is reported by the next run of the file, which completes it without duplicates', async () => {
    const ROWS = 30_000;
    // Every 1,000th row is refused, so the error report grows as batches commit: the test
    // watches it to kill the import midway (the embedded database is the CLI's meanwhile).
    const bad = (i: number) => i % 1000 === 999;
    const rows = Array.from(
      { length: ROWS },
      (_, i) =>
        `${lineId},Time,${bad(i) ? '1899-12-31' : '2026-05-01'},1,${(i % 1000) + 1}.00,killed ${i}`,
    );
    const good = rows.filter((_, i) => !bad(i)).length;
    const file = csv('killed.csv', rows);
    const report = path.join(dir, 'killed-errors.csv');
    const before = await counts();
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin/billing-backlog.js'),
        'import',
        'entries',
        file,
        '--mode',
        'skip-bad-rows',
        '--batch-size',
        '200',
        '--errors',
        report,
        ...target.args,
      ],
      { cwd: ROOT, env: cleanEnv(), stdio: 'ignore' },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const reportLines = () =>
      existsSync(report) ? readFileSync(report, 'utf8').split('\n').length : 0;
    for (let i = 0; i < 2400 && reportLines() < 5 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;
    const run = await target.use(({ db }) =>
      db
        .selectFrom('import_runs')
        .selectAll()
        .where('file_name', '=', file)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow(),
    );
    assert.equal(run.status, 'Running', 'killed midway, before it finished');
    assert.ok(Number(run.rows_read) > 0, 'some batches had committed');
    const committed = (await counts()).entries - before.entries;
    assert.equal(Number(run.created), committed, 'the recorded progress is what was committed');

    const next = await runCli([
      'import',
      'entries',
      file,
      '--mode',
      'skip-bad-rows',
      ...target.args,
    ]);
    assert.match(
      next.stderr,
      new RegExp(
        `did not finish: it had committed ${run.rows_read} rows read, ${run.created} created, 0 skipped, ${run.rejected} rejected`,
      ),
    );
    assert.deepEqual(summaryOf(next.stdout), {
      read: ROWS,
      created: good - committed,
      skipped: committed,
      rejected: ROWS - good,
    });
    assert.equal((await counts()).entries, before.entries + good, 'every good row exactly once');
  });
});
