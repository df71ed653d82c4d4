/**
 * The database a CLI command works on: the PostgreSQL server named by `--url` or
 * DATABASE_URL, else the embedded database in `--data-dir` or DATA_DIR. Migrations are
 * applied on open, as the server does at start.
 */
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { DataDirLockedError } from '../db/lockfile.js';
import { migrateToLatest } from '../db/migrate.js';
import { CliError, EXIT } from './exit.js';

export interface DatabaseOptions {
  url?: string;
  dataDir?: string;
}

export function withDatabaseOptions(command: Command): Command {
  return command
    .option(
      '--url <postgres-url>',
      'PostgreSQL server to use (default: DATABASE_URL); the way to work next to a running server',
    )
    .option(
      '--data-dir <dir>',
      'embedded database directory when no URL is given (default: DATA_DIR or ./data)',
    );
}

export function cliConfig(options: DatabaseOptions) {
  try {
    return loadConfig({
      ...process.env,
      ...(options.url ? { DATABASE_URL: options.url } : {}),
      ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

/**
 * `migrate`: 'always' (writers), 'embedded' (readers: a PostgreSQL read replica refuses
 * DDL, and its primary is migrated by the servers), or 'never' (the migrate command).
 */
export type MigratePolicy = 'always' | 'embedded' | 'never';

export async function openCliDatabase(
  options: DatabaseOptions,
  migrate: MigratePolicy = 'always',
  poolSize = 2,
): Promise<Database> {
  const config = cliConfig(options);
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(
        `the embedded database is in use: ${error.message}.\n` +
          'A running server owns its embedded database. Stop the server first, or run the server ' +
          'and the CLI on PostgreSQL and give the CLI --url (or DATABASE_URL).',
        EXIT.locked,
      );
    }
    throw error;
  }
  try {
    if (migrate === 'always' || (migrate === 'embedded' && database.kind === 'embedded')) {
      await migrateToLatest(database.db as never);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

export async function withDatabase<T>(
  options: DatabaseOptions,
  work: (database: Database) => Promise<T>,
  migrate: MigratePolicy = 'always',
): Promise<T> {
  const database = await openCliDatabase(options, migrate);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
