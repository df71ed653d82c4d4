/**
 * Issue 19, exactly once under retries (spec §5 Idempotency), on PostgreSQL: the server
 * process is killed (SIGKILL) between the work and the answer — before the commit and after
 * it — and at random moments of a request, and its database connection is cut mid-request;
 * after any number of retries with the same key, each key created exactly one entry and
 * every retry that got an answer got the same one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ADMIN_TOKEN } from '../support/api.js';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

const ROUNDS = Number(process.env.IDEMPOTENCY_KILLS ?? 10);

let database: TestDatabase;
let lineId: string;

async function post(server: ServerProcess, key: string, body: unknown) {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/entries`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const entryBody = (description: string) => ({
  contractLineId: lineId,
  transactionClass: 'Time',
  date: '2026-03-02',
  quantity: '1',
  unitPrice: '100.00',
  description,
});

async function entriesWith(description: string): Promise<number> {
  const rows = await database.db
    .selectFrom('entries')
    .select('id')
    .where('description', '=', description)
    .execute();
  return rows.length;
}

/** A server that stays up, for the retries (a retry may come to any instance). */
let healthy: ServerProcess;

/** Retries until an answer arrives (a 5xx or a lost connection is retried). */
async function retryUntilAnswered(key: string, body: unknown) {
  for (let tries = 1; tries <= 5; tries++) {
    try {
      const res = await post(healthy, key, body);
      if (res.status < 500) return res;
    } catch {
      // connection lost: retry
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer for ${key}`);
}

describe(`exactly once under kills [${TARGET}]`, () => {
  // PostgreSQL only: the test watches the database from a second process while servers die
  // (the embedded database allows one process; its lock takeover is proved in crash.test.ts).
  if (TARGET !== 'postgres') return;
  before(async () => {
    database = await openTestDatabase();
    const seeder = await startServer({ DATABASE_URL: database.url! }, true, { bundled: true });
    const customer = (await seeder.request('POST', '/customers', { name: 'Crash' })).body;
    const contract = (
      await seeder.request('POST', '/contracts', {
        name: 'Crash',
        currency: 'USD',
        customers: [{ customerId: customer.id }],
      })
    ).body;
    lineId = (
      await seeder.request('POST', `/contracts/${contract.id}/lines`, {
        name: 'Work',
        billingMethod: 'TimeAndMaterial',
      })
    ).body.id;
    await seeder.kill('SIGKILL');
    healthy = await startServer({ DATABASE_URL: database.url! }, true, { bundled: true });
  });
  after(async () => {
    await healthy?.kill('SIGKILL');
    await database?.close();
  });

  it('§5: killed after the work, before the commit: nothing was done, the retry runs once and is replayed after', async () => {
    const key = `before-commit-${Date.now()}`;
    const body = entryBody(key);
    const dying = await startServer(
      { DATABASE_URL: database.url!, BILLING_BACKLOG_FAILPOINT: 'before-commit' },
      true,
      { bundled: true },
    );
    await assert.rejects(post(dying, key, body));
    assert.equal((await dying.exited).signal, 'SIGKILL');
    assert.equal(await entriesWith(key), 0, 'the killed attempt left nothing done');
    const first = await retryUntilAnswered(key, body);
    assert.equal(first.status, 201);
    const again = await retryUntilAnswered(key, body);
    assert.deepEqual(again.body, first.body);
    assert.equal(await entriesWith(key), 1);
  });

  it('§5: killed after the commit, before the answer: the retry replays the stored answer, nothing runs twice', async () => {
    const key = `after-commit-${Date.now()}`;
    const body = entryBody(key);
    const dying = await startServer(
      { DATABASE_URL: database.url!, BILLING_BACKLOG_FAILPOINT: 'after-commit' },
      true,
      { bundled: true },
    );
    await assert.rejects(post(dying, key, body));
    assert.equal(await entriesWith(key), 1, 'the work committed with its key');
    const replayed = await retryUntilAnswered(key, body);
    assert.equal(replayed.status, 201);
    assert.equal(replayed.body.description, key);
    assert.equal(await entriesWith(key), 1);
  });

  it(`§5: ${ROUNDS} SIGKILLs at random moments and cut connections, any number of retries: one entry per key`, async () => {
    const answers = new Map<string, string>();
    for (let round = 0; round < ROUNDS; round++) {
      const key = `random-${round}-${Date.now()}`;
      const body = entryBody(key);
      const server = await startServer(
        { DATABASE_URL: `${database.url}?application_name=victim` },
        true,
        { bundled: true },
      );
      const attempt = post(server, key, body).catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.random() * 40));
      if (round % 3 === 2) {
        // Cut the server's database connections instead of killing it.
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND application_name = 'victim'`.execute(database.db);
        const res = await attempt;
        if (res) assert.ok(res.status !== 201 || res.body.description === key);
        await server.kill('SIGKILL');
      } else {
        await server.kill('SIGKILL');
        await attempt;
      }
      // Any number of retries: three more, each on a fresh server.
      for (let retry = 0; retry < 3; retry++) {
        const res = await retryUntilAnswered(key, body);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const seen = answers.get(key);
        if (seen) assert.equal(JSON.stringify(res.body), seen);
        answers.set(key, JSON.stringify(res.body));
      }
      assert.equal(await entriesWith(key), 1, `round ${round}: exactly one entry for ${key}`);
    }
  });
});
