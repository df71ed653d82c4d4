/**
 * Issue 10, concurrency. On PostgreSQL: two real server processes over one database and
 * 24 HTTP clients racing mark / invoice / confirm / run over the same items; afterwards no
 * answer was a 5xx and `checkInvariants` is empty. The embedded database serves one
 * process only: there the test proves a second process is refused (the data-dir lock).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';
import { checkInvariants } from '../support/invariants.js';
import { raceStep, random, seedContracts } from '../support/race.js';
import { startServer, type ServerProcess } from '../support/server.js';

const SOAK = process.env.SOAK === '1';
const CLIENTS = 24;
const ROUNDS = SOAK ? 80 : 12;

describe(`concurrency [${TARGET}]`, () => {
  if (TARGET === 'postgres') {
    let database: TestDatabase;
    const servers: ServerProcess[] = [];
    before(async () => {
      database = await openTestDatabase();
      servers.push(
        ...(await Promise.all([
          startServer({ DATABASE_URL: database.url! }),
          startServer({ DATABASE_URL: database.url! }),
        ])),
      );
    });
    after(async () => {
      await Promise.all(servers.map((s) => s.kill('SIGTERM')));
      await database.close();
    });

    it('issue 10 (R21, R63, R64, R66, R67): 24 clients on two servers race marks, drafts, confirms and runs; no money is lost or duplicated', async () => {
      const contracts = await seedContracts(servers[0]!, 3, 12);
      const seed = Number(process.env.RACE_SEED ?? Date.now() % 100_000);
      const statuses = new Map<number, number>();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const r = random(seed * 31 + client);
          const server = servers[client % servers.length]!;
          for (let i = 0; i < ROUNDS; i++) {
            const status = await raceStep(server, contracts, r);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        }),
      );
      const fivexx = [...statuses].filter(([s]) => s >= 500);
      assert.deepEqual(
        fivexx,
        [],
        `seed ${seed}: ${JSON.stringify([...statuses])}\n${servers.map((s) => s.output()).join('\n')}`,
      );
      assert.deepEqual(await checkInvariants(database.db), [], `seed ${seed}`);
      const confirmed = await database.db
        .selectFrom('invoices')
        .select('id')
        .where('status', '=', 'Confirmed')
        .execute();
      assert.ok(confirmed.length > 0, 'the race confirmed invoices');
    });
  } else {
    it('the embedded database refuses a second server process on the same data directory (lockfile)', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'bb-lock-'));
      const first = await startServer({ DATA_DIR: dir });
      try {
        const second = await startServer({ DATA_DIR: dir }, false);
        const exit = await second.exited;
        assert.notEqual(exit.code, 0, 'the second process exits with an error');
        assert.match(second.output(), /in use by process/);
        assert.equal(
          (await first.request('GET', '/health')).status,
          200,
          'the first process keeps serving',
        );
      } finally {
        await first.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
