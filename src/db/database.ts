/**
 * One PostgreSQL dialect everywhere: a PostgreSQL server through `pg.Pool` when
 * DATABASE_URL is set, otherwise embedded PGlite behind the same `pg.Pool` interface
 * (PGlite ships a node-postgres adapter), so Kysely and every query run unchanged on both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { acquireDataDirLock, type DataDirLock } from './lockfile.js';
import { registerPool, unitAwarePool, type DialectPool } from './unit-of-work.js';

// Dates stay `YYYY-MM-DD` strings; bigint and numeric already arrive as strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type DatabaseKind = 'embedded' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** The pool behind `db`, for a request-wide unit of work (src/db/unit-of-work.ts). */
  pool: DialectPool;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** Embedded data directory; `memory://` keeps everything in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // An idle pooled connection the server closes (restart, failover, pg_terminate_backend,
    // DROP DATABASE … FORCE) emits 'error' on the pool; unhandled, that crashes the whole
    // process. The pool has already discarded the client and the next query opens a new one.
    pool.on('error', (error) => {
      process.emitWarning(`idle PostgreSQL connection lost: ${error.message}`);
    });
    const shared = unitAwarePool(pool);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: shared }) });
    registerPool(db, shared);
    return { db, kind: 'postgres', pool: shared, close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? './data';
  let lock: DataDirLock | undefined;
  let location = dataDir;
  if (!dataDir.startsWith('memory://')) {
    location = path.resolve(dataDir);
    mkdirSync(location, { recursive: true });
    // Two processes on one PGlite directory corrupt it.
    lock = acquireDataDirLock(location);
  }
  try {
    // pg_trgm: the name search's index (migration 0070).
    return await openEmbedded(await PGlite.create(location, { extensions: { pg_trgm } }), lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Wraps an existing PGlite instance (tests reuse one per worker). */
export async function openEmbedded(lite: PGlite, lock?: DataDirLock): Promise<Database> {
  const shared = unitAwarePool(new pg.Pool(createPgConfig(lite)));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: shared }) });
  registerPool(db, shared);
  return {
    db,
    kind: 'embedded',
    pool: shared,
    async close() {
      await db.destroy();
      await lite.close();
      lock?.release();
    },
  };
}
