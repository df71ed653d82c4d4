/**
 * Names beside ids on every row the API lists (`contractName`, `contractLineName`,
 * `customerName`: additive fields), so a client shows "Acme Corp" without loading every
 * customer and contract first; at 10,000 contracts it could not.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { namesOf, type Names } from '../repositories/names.js';

interface Named {
  contractId?: string | null;
  contractLineId?: string | null;
  customerId?: string | null;
}

export interface RowNames {
  contractName?: string;
  contractLineName?: string;
  customerName?: string;
}

/** The ids a stored row carries (snake_case columns), for a lookup before presenting it. */
export function namedIdsOf(row: {
  contract_id?: string | null;
  contract_line_id?: string | null;
  customer_id?: string | null;
}): Named {
  return {
    contractId: row.contract_id ?? null,
    contractLineId: row.contract_line_id ?? null,
    customerId: row.customer_id ?? null,
  };
}

const present = (x: string | null | undefined): x is string => typeof x === 'string';

/** The names of every id the rows carry, in one query. */
export async function lookUpNames(db: Kysely<DB>, rows: readonly Named[]): Promise<Names> {
  return namesOf(db, {
    contractIds: rows.map((r) => r.contractId).filter(present),
    contractLineIds: rows.map((r) => r.contractLineId).filter(present),
    customerIds: rows.map((r) => r.customerId).filter(present),
  });
}

/** The row with the names of the ids it carries; an id without a name stays without one. */
export function named<T extends Named>(row: T, names: Names): T & RowNames {
  const contractName = row.contractId ? names.contracts.get(row.contractId) : undefined;
  const contractLineName = row.contractLineId
    ? names.contractLines.get(row.contractLineId)
    : undefined;
  const customerName = row.customerId ? names.customers.get(row.customerId) : undefined;
  return {
    ...row,
    ...(contractName === undefined ? {} : { contractName }),
    ...(contractLineName === undefined ? {} : { contractLineName }),
    ...(customerName === undefined ? {} : { customerName }),
  };
}

/** Every row with its names. */
export async function withNames<T extends Named>(
  db: Kysely<DB>,
  rows: readonly T[],
): Promise<(T & RowNames)[]> {
  const names = await lookUpNames(db, rows);
  return rows.map((r) => named(r, names));
}

/** Invoices with their contract's and customer's names, and each line's. */
export async function withInvoiceNames<I extends Named & { lines: readonly Named[] }>(
  db: Kysely<DB>,
  invoices: readonly I[],
): Promise<(I & RowNames)[]> {
  const names = await lookUpNames(db, [...invoices, ...invoices.flatMap((i) => i.lines)]);
  return invoices.map((i) => ({
    ...named(i, names),
    lines: i.lines.map((l) => named(l, names)) as unknown as I['lines'],
  }));
}

/** Contracts with the names of their customers and of each line's customers. */
export async function withContractNames<
  P extends Named,
  L extends { customers: readonly P[] },
  C extends { customers: readonly P[]; lines: readonly L[] },
>(db: Kysely<DB>, contracts: readonly C[]): Promise<C[]> {
  const parties = contracts.flatMap((c) => [
    ...c.customers,
    ...c.lines.flatMap((l) => l.customers),
  ]);
  const names = await lookUpNames(db, parties);
  return contracts.map((c) => ({
    ...c,
    customers: c.customers.map((p) => named(p, names)),
    lines: c.lines.map((l) => ({ ...l, customers: l.customers.map((p) => named(p, names)) })),
  }));
}
