/**
 * Issue 10, crash safety (PostgreSQL). Server processes are killed with SIGKILL at random
 * moments while clients confirm, bulk confirm and run invoices; after every kill the money
 * invariants hold (each confirm, draft and run item commits whole or not at all). 50 kills
 * by default, `SOAK=1` for 400. On the embedded database the server is one process with
 * its own data directory; the lock-file takeover after a crash is proved there instead.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';
import { checkInvariants } from '../support/invariants.js';
import { raceStep, random, seedContracts } from '../support/race.js';
import { startServer, type ServerProcess } from '../support/server.js';

const KILLS = Number(process.env.CRASH_KILLS ?? (process.env.SOAK === '1' ? 400 : 50));
const debug = (...xs: unknown[]) =>
  process.env.CRASH_DEBUG && console.error(new Date().toISOString(), ...xs);
const SLOTS = 4;
const CLIENTS_PER_SERVER = 4;

describe(`crash safety [${TARGET}]`, () => {
  if (TARGET === 'postgres') {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase();
    });
    after(async () => {
      await database.close();
    });

    it(`issue 10 (R63, R64, R66): ${KILLS} SIGKILLs during confirms, bulk confirms and runs lose and duplicate nothing`, async () => {
      const seeder = await startServer({ DATABASE_URL: database.url! });
      const contracts = await seedContracts(seeder, 3, 10);
      await seeder.kill('SIGTERM');
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
      let kills = 0;
      const statuses = new Map<string, number>();

      await Promise.all(
        Array.from({ length: SLOTS }, async (_, slot) => {
          const r = random(seed * 7 + slot);
          while (kills < KILLS) {
            debug('slot', slot, 'starting');
            const server = await startServer({ DATABASE_URL: database.url! }, true, {
              bundled: true,
            });
            debug('slot', slot, 'started');
            const stop = { now: false };
            let critical!: () => void;
            const inFlight = new Promise<void>((resolve) => (critical = resolve));
            // Keep new work arriving so there is always something to draft and confirm.
            const clients = Array.from({ length: CLIENTS_PER_SERVER }, async () => {
              while (!stop.now) {
                try {
                  const status = await raceStep(server, contracts, r, { feed: true, critical });
                  statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
                } catch {
                  statuses.set('connection', (statuses.get('connection') ?? 0) + 1);
                }
              }
            });
            // Kill while a confirm, bulk confirm or run is on its way (or after 5 s at most),
            // at a random moment of its transaction.
            await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, 5000))]);
            await new Promise((resolve) => setTimeout(resolve, r() * 1500));
            await server.kill('SIGKILL');
            kills++;
            stop.now = true;
            await Promise.all(clients);
            debug('slot', slot, 'killed', kills);
            const violations = await checkInvariants(database.db);
            debug('slot', slot, 'checked');
            assert.deepEqual(violations, [], `seed ${seed}, after kill ${kills}`);
          }
        }),
      );
      const fivexx = [...statuses].filter(([s]) => /^5/.test(s));
      assert.deepEqual(fivexx, [], `seed ${seed}: ${JSON.stringify([...statuses])}`);
      const confirmed = await database.db
        .selectFrom('invoices')
        .select('id')
        .where('status', '=', 'Confirmed')
        .execute();
      assert.ok(
        confirmed.length > 0,
        `seed ${seed}: confirms completed between kills ${JSON.stringify([...statuses])}`,
      );
    });
  } else {
    it('a lock file left by a killed process is taken over at the next start', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'bb-crash-'));
      try {
        // A pid that cannot be running: the previous owner died without releasing.
        writeFileSync(path.join(dir, 'billing-backlog.lock'), '2147483646');
        const server: ServerProcess = await startServer({ DATA_DIR: dir });
        assert.equal((await server.request('GET', '/health')).status, 200);
        await server.kill('SIGTERM');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
