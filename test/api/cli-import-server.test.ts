/**
 * `import entries --server URL --token T`: the default install imports while it serves.
 * Beside a running server the embedded data directory is locked, and the CLI says so and
 * how to use --server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TARGET } from '../support/database.js';
import { openCliTarget, runCli, startServer, type CliTarget } from '../support/cli.js';

const ADMIN = 'cli-import-admin-token-0123456789abcdef';
let target: CliTarget;
let dir: string;

before(async () => {
  target = await openCliTarget();
  dir = mkdtempSync(path.join(tmpdir(), 'bb-import-'));
});
after(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

async function api(port: number, method: string, url: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe(`import entries through a running server [${TARGET}]`, () => {
  it('imports through --server with a token and writes the bad rows to --errors; the lock message names --server', async () => {
    const server = await startServer({ ...target.env, ADMIN_TOKEN: ADMIN });
    try {
      const customer = await api(server.port, 'POST', '/customers', { name: 'Import Co' });
      const contract = await api(server.port, 'POST', '/contracts', {
        name: 'Import contract',
        currency: 'USD',
        customers: [{ customerId: customer.body.id }],
      });
      const line = await api(server.port, 'POST', `/contracts/${contract.body.id}/lines`, {
        name: 'Consulting',
        billingMethod: 'TimeAndMaterial',
      });
      const file = path.join(dir, 'entries.csv');
      writeFileSync(
        file,
        [
          'contractLineId,transactionClass,date,quantity,unitPrice',
          `${line.body.id},Time,2026-03-02,2,100.00`,
          `${line.body.id},Time,2026-03-02,-1,100.00`,
        ].join('\n'),
      );
      const report = path.join(dir, 'errors.csv');
      const server_ = `http://127.0.0.1:${server.port}`;
      const res = await runCli([
        'import',
        'entries',
        file,
        '--server',
        server_,
        '--token',
        ADMIN,
        '--mode',
        'skip-bad-rows',
        '--errors',
        report,
      ]);
      assert.equal(res.code, 1, res.stderr);
      assert.match(res.stdout, /imported 1 of 2 rows; 1 bad rows/);
      assert.match(readFileSync(report, 'utf8'), /^line,field,reason\n3,quantity,/);
      const entries = await api(server.port, 'GET', `/entries?contractLineId=${line.body.id}`);
      assert.equal(entries.body.items.length, 1);

      const noToken = await runCli(['import', 'entries', file, '--server', server_]);
      assert.equal(noToken.code, 2);
      assert.match(noToken.stderr, /--server needs --token/);

      if (TARGET === 'embedded') {
        const locked = await runCli(['import', 'entries', file, ...target.args]);
        assert.equal(locked.code, 3, locked.stderr);
        assert.match(locked.stderr, /the embedded database is in use: .* is in use by process \d+/);
        assert.match(locked.stderr, /--server http:\/\/localhost:3000 --token <token>/);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
