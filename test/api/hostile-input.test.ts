/**
 * Hostile and malformed values for every property of every documented request body and
 * query: never a 5xx, always problem+json when refused, and a refused request changes no
 * table. Each body property gets every hostile value alone and inside an otherwise valid
 * body built from the OpenAPI document, so values reach the domain and the database too
 * (out-of-range dates answered 500 there before issue 19). At least 5,000 requests.
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
  // Issue 19 / spec §2: dates outside 1900-01-01…9999-12-31 or off the calendar.
  '0000-01-01',
  '0099-05-31',
  '1899-12-31',
  '10000-01-01',
  '2026-02-29',
  '-2026-01-01',
  '2026-1-1',
  // Amounts the ledger cannot hold.
  '9999999999999999.99',
  1e15,
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

let countQuery: ReturnType<typeof sql<{ counts: string }>> | undefined;

/** Every table's row count, in one statement (thousands of checks). */
async function tableCounts(): Promise<string> {
  if (!countQuery) {
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely_%'
      ORDER BY table_name`.execute(api.database.db);
    const parts = tables.rows.map(
      ({ table_name }) =>
        sql`${table_name} || '=' || (SELECT count(*) FROM ${sql.table(table_name)})::text`,
    );
    countQuery = sql<{ counts: string }>`SELECT concat_ws(' ', ${sql.join(parts)}) AS counts`;
  }
  return (await countQuery.execute(api.database.db)).rows[0]!.counts;
}

/** A valid value for a schema of the OpenAPI document, ids naming the records built above. */
function sample(schema: any, name = ''): unknown {
  if (!schema) return undefined;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return sample(options.find((o: any) => o.type !== 'null') ?? options[0], name);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const body: Record<string, unknown> = {};
      for (const prop of schema.required ?? [])
        body[prop] = sample(schema.properties?.[prop], prop);
      return body;
    }
    case 'array':
      return name === 'ids' || name === 'itemIds' ? [ids.actual] : [sample(schema.items, name)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return name === 'dryRun';
    default: {
      const byName: Record<string, string | undefined> = {
        contractLineId: ids.line,
        contractId: ids.contract,
        customerId: ids.customer,
        entryId: ids.entry,
      };
      if (byName[name]) return byName[name];
      if (/Id$/.test(name)) return '1';
      if (name === 'currency') return 'USD';
      if (name === 'role') return 'viewer';
      return `valid ${name}`.trim();
    }
  }
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
  it('every body property and query parameter, given hostile values, never gets a 5xx and a refusal changes nothing', async (t) => {
    const doc = (await api.get('/openapi.json')).body;
    let requests = 0;
    let accepted = 0;
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
          const valid = sample(bodySchema) as Record<string, unknown>;
          for (const prop of props) {
            for (const v of HOSTILE) {
              attempts.push({ url, body: { [prop]: v } });
              attempts.push({ url, body: { ...valid, [prop]: v } });
            }
          }
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
            accepted++;
            baseline = await tableCounts();
          }
        }
      }
    }
    t.diagnostic(`${requests} hostile requests, ${accepted} accepted`);
    assert.ok(requests >= 5000, `exercised ${requests} hostile requests`);
    // The valid bodies are valid: some hostile values (a long text, -0) are fine in them.
    assert.ok(accepted > 50, `only ${accepted} requests were accepted`);
  });
});
