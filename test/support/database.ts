/**
 * The database a test file runs against: embedded PGlite (default) or, with
 * TEST_DB=postgres, a fresh database created on the PostgreSQL server named by
 * TEST_DATABASE_URL and dropped afterwards. Both get the real migrations.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const TARGET = process.env.TEST_DB === 'postgres' ? 'postgres' : 'embedded';

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'TEST_DB=postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  return url;
}

export interface TestDatabase extends Database {
  /** Connection string of the fresh database (postgres only), for a second process. */
  url?: string;
}

/** A fresh database, migrated to the latest migration unless `migrate` is false. */
export async function openTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  if (TARGET === 'embedded') {
    const database = await openDatabase({ dataDir: 'memory://' });
    if (migrate) await migrateToLatest(database.db as never);
    return database;
  }
  const name = `bb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  if (migrate) await migrateToLatest(database.db as never);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
