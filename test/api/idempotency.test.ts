/**
 * Spec §5 Idempotency: the key's record is written in the same transaction as the work, a
 * repeat replays the first answer, bodies compare as JSON values (order and spacing do not
 * matter), concurrent repeats run once, and a secret is never kept for a replay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../src/http/idempotency.js';
import { startApi, type TestApi } from '../support/api.js';
import { buildContract, buildLine } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
let lineId: string;
before(async () => {
  api = await startApi();
  const contract = await buildContract(api);
  lineId = (await buildLine(api, contract.id)).id;
});
after(async () => {
  await api.close();
});

let n = 0;
const newKey = () => ({ 'idempotency-key': `idem-${TARGET}-${Date.now()}-${++n}` });
const entriesWith = async (description: string) =>
  (
    await api.database.db
      .selectFrom('entries')
      .select('id')
      .where('description', '=', description)
      .execute()
  ).length;

describe(`idempotency, exactly once [${TARGET}]`, () => {
  it('§5: the same body with its properties in another order and other spacing is the same request', async () => {
    const key = newKey();
    const description = `reordered ${key['idempotency-key']}`;
    const first = await api.post(
      '/entries',
      `{"contractLineId":"${lineId}","transactionClass":"Time","date":"2026-03-02","quantity":"2","unitPrice":"10.00","description":"${description}"}`,
      key,
    );
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await api.post(
      '/entries',
      `{ "description": "${description}",\n  "unitPrice": "10.00", "quantity": "2", "date": "2026-03-02",  "transactionClass": "Time", "contractLineId": "${lineId}" }`,
      key,
    );
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await entriesWith(description), 1);
  });

  it('canonical JSON: key order and spacing vanish, values and array order stay', () => {
    assert.equal(
      canonicalJson({ b: [2, 1], a: { d: 1, c: 'x' } }),
      '{"a":{"c":"x","d":1},"b":[2,1]}',
    );
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
    assert.notEqual(canonicalJson({ a: '1' }), canonicalJson({ a: 1 }));
  });

  it('§5: ten concurrent repeats of one key create one entry and all get its answer', async () => {
    const key = newKey();
    const description = `concurrent ${key['idempotency-key']}`;
    const body = {
      contractLineId: lineId,
      transactionClass: 'Time',
      date: '2026-03-03',
      quantity: '1',
      unitPrice: '5.00',
      description,
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.post('/entries', body, key)),
    );
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    assert.equal(ids.size, 1, JSON.stringify(answers.map((a) => [a.status, a.body])));
    for (const a of answers) assert.ok([201, 409].includes(a.status), String(a.status));
    assert.equal(await entriesWith(description), 1);
  });

  it('§5: a refused request is answered the same way again, and did nothing either time', async () => {
    const key = newKey();
    const body = {
      contractLineId: '999999999',
      transactionClass: 'Time',
      date: '2026-03-03',
      quantity: '1',
      unitPrice: '1',
    };
    const first = await api.post('/entries', body, key);
    const again = await api.post('/entries', body, key);
    assert.equal(first.status, 422);
    assert.equal(again.status, 422);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
  });

  it('§5: a route that commits several transactions (bulk approve) runs them once, inside the one unit', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.post('/entries', {
        contractLineId: lineId,
        transactionClass: 'Time',
        date: '2026-03-04',
        quantity: '1',
        unitPrice: '1.00',
      });
      ids.push(res.body.id);
    }
    const key = newKey();
    const first = await api.post('/entries/approve', { ids: [...ids, '999999999'] }, key);
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.results.map((r: any) => r.ok),
      [true, true, true, false],
    );
    const again = await api.post('/entries/approve', { ids: [...ids, '999999999'] }, key);
    assert.deepEqual(again.body, first.body);
    const actuals = await api.database.db
      .selectFrom('actuals')
      .select('id')
      .where('entry_id', 'in', ids)
      .execute();
    assert.equal(actuals.length, 3);
  });

  it('§5: the answer showing a token secret is not kept; a repeat is told the work was done', async () => {
    const key = newKey();
    const name = `token ${key['idempotency-key']}`;
    const first = await api.post('/tokens', { name, role: 'viewer' }, key);
    assert.equal(first.status, 201);
    const again = await api.post('/tokens', { name, role: 'viewer' }, key);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'CONFLICT');
    assert.ok(!JSON.stringify(again.body).includes(first.body.token));
    const stored = await api.database.db
      .selectFrom('idempotency_keys')
      .select('response')
      .where('key', '=', key['idempotency-key'])
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(stored.response).includes(first.body.token));
    const tokens = await api.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', name)
      .execute();
    assert.equal(tokens.length, 1);
  });
});
