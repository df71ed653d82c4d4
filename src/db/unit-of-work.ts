/**
 * A unit of work that spans a whole HTTP request: one database transaction on one
 * connection, which every query of the request joins, wherever it is made.
 *
 * Why: an `Idempotency-Key` record must be written in the same transaction as the work it
 * answers for (spec §5, Idempotency), yet routes open their own transactions
 * (`inTransaction`) and read through the shared `db` afterwards. While a unit is bound
 * (AsyncLocalStorage), the pool hands out its connection instead of another one, and a
 * transaction opened inside becomes a savepoint of the unit's transaction: a command that
 * fails still rolls back alone, and nothing commits until the unit does.
 */
import { createHash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

interface Scope {
  client: pg.PoolClient;
}

const scope = new AsyncLocalStorage<Scope>();
let savepoints = 0;

/** The subset of `pg.Pool` that Kysely's PostgresDialect uses. */
export interface DialectPool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

const BEGIN = /^\s*(begin|start transaction)\b/i;
const COMMIT = /^\s*commit\s*$/i;
const ROLLBACK = /^\s*rollback\s*$/i;

/**
 * The unit's connection as seen by code that believes it has a connection of its own:
 * `begin`/`commit`/`rollback` become a savepoint, its release and a rollback to it; releasing
 * the connection leaves it with the unit.
 */
function joined(client: pg.PoolClient): pg.PoolClient {
  const name = `unit_of_work_${++savepoints}`;
  const query = (text: unknown, values?: unknown) => {
    if (typeof text === 'string') {
      if (BEGIN.test(text)) return client.query(`SAVEPOINT ${name}`);
      if (COMMIT.test(text)) return client.query(`RELEASE SAVEPOINT ${name}`);
      if (ROLLBACK.test(text)) return client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    }
    return client.query(text as string, values as unknown[]);
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query') return query;
      if (prop === 'release') return () => {};
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** The unit-aware pool behind each Kysely instance opened by `openDatabase`. */
const pools = new WeakMap<object, DialectPool>();

export function registerPool(db: object, pool: DialectPool): void {
  pools.set(db, pool);
}

export function poolOf(db: object): DialectPool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this database was not opened by openDatabase');
  return pool;
}

/**
 * Marks a hot read whose text is one of a few shapes (`preparedRead` in front of its
 * columns): it runs as a named prepared statement, parsed once per connection, and after a
 * few runs PostgreSQL may keep its plan. Planning the T&M page cost about as much as running
 * it (1–2 ms at 1M rows); a page request pays it no more.
 */
export const PREPARED_READ = '/* prepared */';

/** The statement name of a marked text: the same text always gets the same name. */
function preparedName(text: string): string {
  return `p_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

function preparingMarked(client: pg.PoolClient): pg.PoolClient {
  const query = (text: unknown, values?: unknown) => {
    if (typeof text === 'string' && text.slice(0, 40).includes(PREPARED_READ)) {
      return client.query({ name: preparedName(text), text, values: values as unknown[] });
    }
    return client.query(text as string, values as unknown[]);
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query') return query;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** Wraps a pool so that queries made inside a bound unit of work use the unit's connection. */
export function unitAwarePool(pool: pg.Pool): DialectPool {
  return {
    async connect() {
      const bound = scope.getStore();
      return preparingMarked(bound ? joined(bound.client) : await pool.connect());
    },
    end: () => pool.end(),
  };
}

export interface UnitOfWork {
  /** Runs `fn` (and everything it starts) inside the unit. */
  run<T>(fn: () => T): T;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly open: boolean;
}

/** Opens a transaction on a connection of its own; call `commit` or `rollback` exactly once. */
export async function beginUnitOfWork(pool: DialectPool): Promise<UnitOfWork> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  const store: Scope = { client };
  let open = true;
  const finish = async (statement: 'COMMIT' | 'ROLLBACK') => {
    if (!open) return;
    open = false;
    try {
      const result = await client.query(statement);
      client.release();
      // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK.
      if (statement === 'COMMIT' && result.command === 'ROLLBACK') {
        throw new Error('the unit of work was aborted by an earlier error and rolled back');
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  };
  return {
    run: (fn) => scope.run(store, fn),
    commit: () => finish('COMMIT'),
    rollback: () => finish('ROLLBACK'),
    get open() {
      return open;
    },
  };
}
