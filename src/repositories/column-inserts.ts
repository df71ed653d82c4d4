/**
 * Multi-row inserts of any size in one statement. Each column travels as one text array and
 * the rows are rebuilt by `unnest`, so 10,000 rows of 17 columns are 17 parameters rather
 * than 170,000 (PostgreSQL refuses more than 65,535 in one statement, and binding them costs
 * far more than the insert). The rows come back in input order.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** A column an insert sets: name, SQL type, and the value for rows that leave it out. */
export type InsertColumn<Row> = readonly [
  column: keyof Row & string,
  type: string,
  otherwise?: string,
];

export async function insertColumnwise<Row extends object, Out>(
  db: Kysely<DB>,
  table: keyof DB & string,
  columns: readonly InsertColumn<Row>[],
  rows: readonly Row[],
  { returning = true }: { returning?: boolean } = {},
): Promise<Out[]> {
  if (rows.length === 0) return [];
  const arrays = columns.map(([column, , otherwise]) =>
    rows.map((row) => {
      const value = row[column];
      return value === undefined || value === null ? (otherwise ?? null) : String(value);
    }),
  );
  const names = sql.join(columns.map(([column]) => sql.ref(column)));
  const result = await sql<Out>`
    INSERT INTO ${sql.table(table)} (${names})
    SELECT ${sql.join(columns.map(([column, type]) => sql`u.${sql.ref(column)}::${sql.raw(type)}`))}
    FROM unnest(${sql.join(arrays.map((values) => sql`${values}::text[]`))}) WITH ORDINALITY AS u(${names}, ordinal)
    ORDER BY u.ordinal
    ${returning ? sql`RETURNING *` : sql``}
  `.execute(db);
  return result.rows;
}
