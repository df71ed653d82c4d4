/** The names of contracts, contract lines and customers, by id, for a page of rows. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { anyId } from './id-arrays.js';

export interface NameIds {
  contractIds: readonly string[];
  contractLineIds: readonly string[];
  customerIds: readonly string[];
}

export interface Names {
  contracts: Map<string, string>;
  contractLines: Map<string, string>;
  customers: Map<string, string>;
}

/** One statement for all three kinds: a page costs one more round trip, not three. */
export async function namesOf(db: Kysely<DB>, ids: NameIds): Promise<Names> {
  const names: Names = { contracts: new Map(), contractLines: new Map(), customers: new Map() };
  if (ids.contractIds.length + ids.contractLineIds.length + ids.customerIds.length === 0) {
    return names;
  }
  const rows = await db
    .selectFrom('contracts')
    .select([sql<string>`'contracts'`.as('kind'), 'id', 'name'])
    .where('id', '=', anyId(ids.contractIds))
    .unionAll(
      db
        .selectFrom('contract_lines')
        .select([sql<string>`'contractLines'`.as('kind'), 'id', 'name'])
        .where('id', '=', anyId(ids.contractLineIds)),
    )
    .unionAll(
      db
        .selectFrom('customers')
        .select([sql<string>`'customers'`.as('kind'), 'id', 'name'])
        .where('id', '=', anyId(ids.customerIds)),
    )
    .execute();
  for (const r of rows) names[r.kind as keyof Names].set(r.id, r.name);
  return names;
}
