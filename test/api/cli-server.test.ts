/**
 * The real server process (`billing-backlog serve`) next to the CLI: first-start guidance,
 * the embedded database lock, and graceful shutdown on SIGTERM.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TARGET } from '../support/database.js';
import { openCliTarget, runCli, startServer, type CliTarget } from '../support/cli.js';

let target: CliTarget;
let token: string | undefined;

before(async () => {
  target = await openCliTarget();
});
after(async () => {
  await target.close();
});

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function createToken(): Promise<string> {
  const res = await runCli([
    'tokens',
    'create',
    '--name',
    'ops',
    '--role',
    'admin',
    '--json',
    ...target.args,
  ]);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout).token;
}

describe(`server process and CLI [${TARGET}]`, () => {
  it('first start with no ADMIN_TOKEN and no tokens prints how to create one; the CLI meets the database lock or uses --url', async () => {
    const server = await startServer(target.env);
    try {
      await waitFor(() => server.output().includes('no API token exists'), 'first-start guidance');
      assert.match(server.output(), /billing-backlog tokens create --name <who> --role admin/);
      if (TARGET === 'embedded') {
        const res = await runCli(['tokens', 'list', ...target.args]);
        assert.equal(res.code, 3, res.stderr);
        assert.match(res.stderr, /the embedded database is in use: .* is in use by process \d+/);
        assert.match(res.stderr, /--url \(or DATABASE_URL\)/);
      } else {
        // With PostgreSQL the CLI works next to the running server.
        token = await createToken();
      }
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
  });

  it('SIGTERM: a request in flight completes, new connections are refused, the process exits 0', async () => {
    token ??= await createToken();
    const server = await startServer(target.env);
    const body = JSON.stringify({ name: 'Arrived before shutdown' });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const closed = new Promise((r) => socket.once('close', r));
    // Headers and half the body now; the rest only after the shutdown has begun.
    socket.write(
      `POST /api/v1/customers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` +
        body.slice(0, 10),
    );
    await new Promise((r) => setTimeout(r, 500));
    server.child.kill('SIGTERM');
    await waitFor(() => server.output().includes('shutting down'), 'the shutdown to begin');
    assert.equal(
      await refusesConnections(server.port),
      true,
      'a new connection is refused during shutdown',
    );
    socket.write(body.slice(10));
    await closed;
    assert.match(answer, /^HTTP\/1\.1 201 /, answer);
    assert.match(answer, /"name":"Arrived before shutdown"/);
    assert.equal(await server.exited, 0, server.output());
  });
});
