/**
 * `q` on `GET /contracts` and `GET /customers` (spec §5): a case-insensitive substring of the
 * name, `name ILIKE '%q%'`. A B-tree cannot serve a pattern that starts with a wildcard; a
 * trigram index (pg_trgm's GIN operator class) can, on PostgreSQL and on the embedded
 * database alike (PGlite ships pg_trgm as a loadable extension, src/db/database.ts loads it).
 * Searches of one or two characters have no trigram to look up and read the table instead,
 * which at 10,000 rows is a few milliseconds.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX contracts_name_trigrams ON contracts USING gin (name gin_trgm_ops);
    CREATE INDEX customers_name_trigrams ON customers USING gin (name gin_trgm_ops);
  `.execute(db);
}
