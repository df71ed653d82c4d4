/**
 * Spec §6: every table that belongs to a contract includes `contract_id` in its primary and
 * unique keys, so the schema can be distributed by contract (Citus requires the
 * distribution column in every primary key and unique index). Read from the live schema
 * after all migrations, so tables added by any branch are checked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';

/** Tables with a contract_id column that are not distributed by it, and why. */
const NOT_DISTRIBUTED_BY_CONTRACT: Record<string, string> = {
  audit_events:
    'an append-only log across contracts and tokens: contract_id is nullable (token events have ' +
    'none), so it stays a coordinator-local table keyed by its own id',
  invoice_numbers:
    'the one installation-wide register of issued invoice numbers (R63): its primary key is the ' +
    'number itself, so on Citus it is a reference table, not distributed by contract',
};

let database: TestDatabase;
before(async () => {
  database = await openTestDatabase();
});
after(async () => {
  await database.close();
});

interface UniqueIndex {
  table_name: string;
  index_name: string;
  is_primary: boolean;
  columns: string[] | null;
  nullable_contract_id: boolean;
}

async function uniqueIndexesOfContractTables(): Promise<UniqueIndex[]> {
  const { rows } = await sql<UniqueIndex>`
    SELECT t.relname AS table_name,
           i.relname AS index_name,
           x.indisprimary AS is_primary,
           ARRAY(
             SELECT a.attname::text
             FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             ORDER BY k.n
           ) AS columns,
           (c.is_nullable = 'YES') AS nullable_contract_id
    FROM pg_index x
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace s ON s.oid = t.relnamespace
    JOIN information_schema.columns c
      ON c.table_schema = s.nspname AND c.table_name = t.relname AND c.column_name = 'contract_id'
    WHERE s.nspname = current_schema() AND t.relkind IN ('r', 'p') AND x.indisunique
    ORDER BY t.relname, i.relname`.execute(database.db);
  return rows;
}

describe(`schema keys for distribution by contract [${TARGET}]`, () => {
  it('§6: every primary key and unique constraint or index of a contract-owned table includes contract_id', async () => {
    const indexes = await uniqueIndexesOfContractTables();
    const tables = new Set(indexes.map((i) => i.table_name));
    for (const expected of ['entries', 'actuals', 'contract_lines', 'line_customers']) {
      assert.ok(tables.has(expected), `${expected} is checked`);
    }
    // The check sees keys without contract_id: the exempt audit log's primary key is one.
    assert.ok(
      indexes.some(
        (i) => i.table_name === 'audit_events' && !(i.columns ?? []).includes('contract_id'),
      ),
    );
    const offending = indexes
      .filter((i) => !(i.table_name in NOT_DISTRIBUTED_BY_CONTRACT))
      .filter((i) => !(i.columns ?? []).includes('contract_id'))
      .map(
        (i) => `${i.table_name}.${i.index_name} (${(i.columns ?? []).join(', ') || 'expression'})`,
      );
    assert.deepEqual(offending, [], `keys without contract_id: ${offending.join('; ')}`);
  });

  it('§6: contract_id is NOT NULL on every table distributed by it', async () => {
    const nullable = (await uniqueIndexesOfContractTables())
      .filter((i) => !(i.table_name in NOT_DISTRIBUTED_BY_CONTRACT) && i.nullable_contract_id)
      .map((i) => i.table_name);
    assert.deepEqual([...new Set(nullable)], []);
  });
});
