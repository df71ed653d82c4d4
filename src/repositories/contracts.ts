/** Contracts, their customers, lines, line customers and invoice schedules. */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type {
  ContractCustomersTable,
  ContractLinesTable,
  ContractsTable,
  DB,
  InvoiceScheduleDatesTable,
  LineCustomersTable,
} from '../db/schema.js';
import { isId } from '../domain/ids.js';
import { nameContains } from './name-search.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export type ContractRow = Selectable<ContractsTable>;
export type ContractCustomerRow = Selectable<ContractCustomersTable>;
export type ContractLineRow = Selectable<ContractLinesTable>;
export type LineCustomerRow = Selectable<LineCustomersTable>;
export type ScheduleRow = Selectable<InvoiceScheduleDatesTable>;

export interface LineRecord {
  line: ContractLineRow;
  customers: LineCustomerRow[];
  schedule: ScheduleRow[];
}

export interface ContractRecord {
  contract: ContractRow;
  customers: ContractCustomerRow[];
  lines: LineRecord[];
}

export async function findContractRow(
  db: Kysely<DB>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ContractRow | undefined> {
  if (!isId(id)) return undefined;
  let query = db.selectFrom('contracts').selectAll().where('id', '=', id);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * Locks contract rows (`FOR UPDATE`) in id order, in one statement: the order every command
 * that holds several contracts takes them in, so two of them never wait on each other.
 */
export async function lockContractRows(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<ContractRow[]> {
  const wanted = [...new Set(ids.filter(isId))];
  if (wanted.length === 0) return [];
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('id', '=', sql<string>`ANY(${wanted}::bigint[])`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function findLine(db: Kysely<DB>, lineId: string): Promise<LineRecord | undefined> {
  if (!isId(lineId)) return undefined;
  const line = await db
    .selectFrom('contract_lines')
    .selectAll()
    .where('id', '=', lineId)
    .executeTakeFirst();
  if (!line) return undefined;
  const [customers, schedule] = await Promise.all([
    db
      .selectFrom('line_customers')
      .selectAll()
      .where('contract_id', '=', line.contract_id)
      .where('contract_line_id', '=', line.id)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('invoice_schedule_dates')
      .selectAll()
      .where('contract_id', '=', line.contract_id)
      .where('contract_line_id', '=', line.id)
      .orderBy('run_date')
      .execute(),
  ]);
  return { line, customers, schedule };
}

export async function loadContracts(
  db: Kysely<DB>,
  contracts: ContractRow[],
): Promise<ContractRecord[]> {
  if (contracts.length === 0) return [];
  const ids = contracts.map((c) => c.id);
  const [customers, lines, lineCustomers, schedule] = await Promise.all([
    db
      .selectFrom('contract_customers')
      .selectAll()
      .where('contract_id', 'in', ids)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('contract_lines')
      .selectAll()
      .where('contract_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('line_customers')
      .selectAll()
      .where('contract_id', 'in', ids)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('invoice_schedule_dates')
      .selectAll()
      .where('contract_id', 'in', ids)
      .orderBy('run_date')
      .execute(),
  ]);
  return contracts.map((contract) => ({
    contract,
    customers: customers.filter((c) => c.contract_id === contract.id),
    lines: lines
      .filter((l) => l.contract_id === contract.id)
      .map((line) => ({
        line,
        customers: lineCustomers.filter((lc) => lc.contract_line_id === line.id),
        schedule: schedule.filter((s) => s.contract_line_id === line.id),
      })),
  }));
}

export async function loadContract(
  db: Kysely<DB>,
  id: string,
): Promise<ContractRecord | undefined> {
  const contract = await findContractRow(db, id);
  if (!contract) return undefined;
  const [record] = await loadContracts(db, [contract]);
  return record;
}

export async function listContracts(
  db: Kysely<DB>,
  q: { limit: number; cursor?: string; customerId?: string; q?: string; runDate?: string },
): Promise<Page<ContractRecord>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = db
    .selectFrom('contracts')
    .selectAll()
    .orderBy('id')
    .limit(q.limit + 1);
  if (after?.[0]) query = query.where('id', '>', after[0]);
  if (q.q) query = query.where(nameContains('contracts.name', q.q));
  if (q.customerId !== undefined) {
    const customerId = q.customerId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contract_customers as cc')
          .select('cc.id')
          .whereRef('cc.contract_id', '=', 'contracts.id')
          .where('cc.customer_id', '=', customerId),
      ),
    );
  }
  if (q.runDate !== undefined) {
    const runDate = q.runDate;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('invoice_schedule_dates as s')
          .select('s.contract_line_id')
          .whereRef('s.contract_id', '=', 'contracts.id')
          .where('s.run_date', '=', runDate),
      ),
    );
  }
  const rows = await query.execute();
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.id],
  );
  return { items: await loadContracts(db, page.items), nextCursor: page.nextCursor };
}

/** Whether the database holds any contract yet (the demo data loads only into an empty one). */
export async function hasAnyContract(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('contracts').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertContract(
  db: Kysely<DB>,
  contract: Insertable<ContractsTable>,
): Promise<string> {
  const row = await db
    .insertInto('contracts')
    .values(contract)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertContractCustomers(
  db: Kysely<DB>,
  rows: Insertable<ContractCustomersTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('contract_customers').values(rows).execute();
}

export async function insertContractLine(
  db: Kysely<DB>,
  line: Insertable<ContractLinesTable>,
): Promise<string> {
  const row = await db
    .insertInto('contract_lines')
    .values(line)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertLineCustomers(
  db: Kysely<DB>,
  rows: Insertable<LineCustomersTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('line_customers').values(rows).execute();
}

export async function insertScheduleDates(
  db: Kysely<DB>,
  rows: Insertable<InvoiceScheduleDatesTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('invoice_schedule_dates').values(rows).execute();
}
