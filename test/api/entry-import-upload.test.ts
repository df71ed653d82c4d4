/**
 * Import where the user is: `POST /entries/import` takes the CLI's CSV as the request body,
 * imports the good rows (skip-bad-rows by default) and answers each bad row by line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { buildContract, buildLine } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const upload = (csv: string, query = '') =>
  api.request('POST', `/entries/import${query}`, csv, { 'content-type': 'text/csv' });

describe(`entry import upload [${TARGET}]`, () => {
  it('imports the good rows and lists the bad one by line, field and reason', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const csv = [
      'contractLineId,transactionClass,date,quantity,unitPrice,description',
      `${line.id},Time,2026-03-02,8,150.00,Design`,
      `${line.id},Time,2026-03-03,not-a-number,150.00,Build`,
      `${line.id},Time,2026-03-04,4,150.00,Review`,
    ].join('\n');
    const res = await upload(csv);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.rows, 3);
    assert.equal(res.body.imported, 2);
    assert.equal(res.body.badRows, 1);
    assert.equal(res.body.committed, true);
    assert.deepEqual(
      res.body.errors.map((e: any) => [e.line, e.field]),
      [[3, 'quantity']],
    );
    const queue = await api.get(`/entries?status=Submitted&contractLineId=${line.id}`);
    assert.deepEqual(queue.body.items.map((e: any) => e.description).sort(), ['Design', 'Review']);
    // The same file again creates nothing twice (the CLI's external keys).
    const again = await upload(csv);
    assert.equal(again.body.imported, 0);
    assert.equal(again.body.skipped, 2);
  });

  it('all-or-nothing with approve: one bad row and nothing is imported', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const csv = [
      'contractLineId,transactionClass,date,quantity,unitPrice',
      `${line.id},Time,2026-03-02,1,10.00`,
      `999999999,Time,2026-03-02,1,10.00`,
    ].join('\n');
    const res = await upload(csv, '?mode=all-or-nothing&approve=true');
    assert.equal(res.status, 200);
    assert.equal(res.body.committed, false);
    assert.equal(res.body.imported, 0);
    assert.equal(res.body.errors[0].line, 3);
    const queue = await api.get(`/entries?contractLineId=${line.id}`);
    assert.equal(queue.body.items.length, 0);
  });

  it('a file whose header does not fit is a VALIDATION_FAILED problem naming the file', async () => {
    const res = await upload('who,what\n1,2\n');
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.equal(res.body.errors[0].field, 'file');
    assert.match(res.body.detail, /unknown column/);
    const notCsv = await upload(
      'contractLineId,transactionClass,date,quantity,unitPrice\n1,Time,2026-03-02,1,"unclosed\n',
    );
    assert.equal(notCsv.status, 422, JSON.stringify(notCsv.body));
    assert.equal(notCsv.body.errors[0].field, 'file');
    assert.match(notCsv.body.detail, /not readable CSV/);
    const badMode = await upload('a\n', '?mode=sometimes');
    assert.equal(badMode.status, 400);
    // CSV is taken here only; every other route still wants JSON.
    const elsewhere = await api.request('POST', '/customers', 'name\nAcme\n', {
      'content-type': 'text/csv',
    });
    assert.equal(elsewhere.status, 415);
  });
});
