/**
 * Hostile and malformed values for every property of every documented request body and
 * query: never a 5xx, always problem+json when refused, and a refused request changes no
 * table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import { approvedActuals, buildContract, buildLine, submitEntry } from '../support/factories.js';
import { TARGET } from '../support/database.js';

const HOSTILE: unknown[] = [
  null,
  true,
  [],
  {},
  -1,
  1e308,
  1.2345678901234568e29,
  '1'.repeat(100),
  `0.${'1'.repeat(100)}`,
  '-0',
  '-0.00',
  'NaN',
  'Infinity',
  '',
  ' ',
  'ñ😀\u0000\u202e',
  "'; DROP TABLE actuals; --",
  '9999-99-99',
  'x'.repeat(5000),
];

let api: TestApi;
let ids: Record<string, string> = {};
before(async () => {
  api = await startApi();
  const contract = await buildContract(api, { percents: ['50', '50'] });
  const line = await buildLine(api, contract.id);
  const fixed = await buildLine(api, contract.id, {
    billingMethod: 'FixedPrice',
    contractedAmount: '1000.00',
  });
  const [actual] = await approvedActuals(api, line.id);
  const entryId = await submitEntry(api, line.id);
  ids = {
    contract: contract.id,
    line: line.id,
    fixedLine: fixed.id,
    entry: entryId,
    actual: actual.id,
    customer: contract.customerIds[0]!,
  };
});
after(async () => {
  await api.close();
});

async function tableCounts(): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely_%'
    ORDER BY table_name`.execute(api.database.db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const r = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM ${sql.table(table_name)}`.execute(api.database.db);
    parts.push(`${table_name}=${r.rows[0]?.n}`);
  }
  return parts.join(' ');
}

function concretePath(path: string): string {
  const p = path.replace(/^\/api\/v1/, '');
  const idFor = (prefix: string) =>
    prefix === 'contracts'
      ? ids.contract
      : prefix === 'contract-lines'
        ? ids.fixedLine
        : prefix === 'entries'
          ? ids.entry
          : prefix === 'customers'
            ? ids.customer
            : '1';
  return p
    .replace(/\/([a-z-]+)\/\{[^}]+\}/g, (_m, prefix: string) => `/${prefix}/${idFor(prefix)}`)
    .replace(/\{[^}]+\}/g, '1');
}

describe(`hostile input [${TARGET}]`, () => {
  it('every body property and query parameter, given hostile values, never gets a 5xx and a refusal changes nothing', async () => {
    const doc = (await api.get('/openapi.json')).body;
    let requests = 0;
    let baseline = await tableCounts();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (!['get', 'post', 'patch', 'delete'].includes(method)) continue;
        const url = concretePath(path);
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        const queryParams = (op.parameters ?? [])
          .filter((p: any) => p.in === 'query')
          .map((p: any) => p.name as string);
        const attempts: { url: string; body?: unknown }[] = [];
        if (bodySchema) {
          const props = Object.keys(bodySchema.properties ?? {});
          for (const prop of props)
            for (const v of HOSTILE) attempts.push({ url, body: { [prop]: v } });
          attempts.push(
            { url, body: { unknownField: 1 } },
            { url, body: [1, 2] },
            { url, body: 'text' },
          );
        }
        if (method === 'get') {
          for (const q of queryParams) {
            for (const v of HOSTILE) {
              if (typeof v === 'object' && v !== null) continue;
              attempts.push({ url: `${url}?${q}=${encodeURIComponent(String(v))}` });
            }
          }
        }
        for (const a of attempts) {
          requests++;
          const res = await api.request(method.toUpperCase() as any, a.url, a.body);
          const what = `${method.toUpperCase()} ${a.url} ${JSON.stringify(a.body)?.slice(0, 120)}`;
          assert.ok(res.status < 500, `${what} answered ${res.status} ${JSON.stringify(res.body)}`);
          if (res.status >= 400) {
            assert.match(String(res.headers['content-type']), /problem\+json/, what);
            assert.equal(typeof res.body.code, 'string', what);
            const now = await tableCounts();
            assert.equal(now, baseline, `${what} was refused but changed the database`);
          } else {
            baseline = await tableCounts();
          }
        }
      }
    }
    assert.ok(requests > 200, `exercised ${requests} hostile requests`);
  });
});
