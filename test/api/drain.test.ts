/**
 * The drain on SIGTERM (issue 19): /ready answers 503 at once, the server keeps serving for
 * SHUTDOWN_GRACE_MS with `Connection: close`, then stops accepting, finishes what is in
 * flight, closes the database and exits 0.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../support/api.js';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';
import { startServer, type ServerEnv } from '../support/server.js';

const GRACE_MS = 2000;

/** One request on a fresh connection: status, headers and body. */
function get(
  port: number,
  url: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: `/api/v1${url}`,
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let database: TestDatabase | undefined;
let dataDir: string | undefined;
let env: ServerEnv;
before(async () => {
  if (TARGET === 'postgres') {
    database = await openTestDatabase();
    env = { DATABASE_URL: database.url! };
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'bb-drain-'));
    env = { DATA_DIR: dataDir };
  }
});
after(async () => {
  await database?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe(`drain on SIGTERM [${TARGET}]`, () => {
  it('SIGTERM: /ready 503 at once, requests still served with Connection: close for the grace period, then exit 0', async () => {
    const server = await startServer({ ...env, SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    assert.equal((await get(server.port, '/ready')).status, 200);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));

    const ready = await get(server.port, '/ready');
    assert.equal(ready.status, 503);
    assert.equal(JSON.parse(ready.body).code, 'NOT_READY');
    assert.equal(ready.headers.connection, 'close');

    const created = await get(
      server.port,
      '/customers',
      'POST',
      JSON.stringify({ name: 'During the grace period' }),
    );
    assert.equal(created.status, 201, created.body);
    assert.equal(created.headers.connection, 'close');

    const exit = await server.exited;
    assert.equal(exit.code, 0, server.output());
    assert.ok(Date.now() - signalled >= GRACE_MS, 'served through the grace period');
    if (database) {
      const row = await database.db
        .selectFrom('customers')
        .select('name')
        .where('name', '=', 'During the grace period')
        .executeTakeFirst();
      assert.ok(row, 'the request served while draining committed');
    }
  });
});
