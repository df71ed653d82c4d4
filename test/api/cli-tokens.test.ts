/**
 * `billing-backlog tokens`: a token the CLI creates is accepted by the API with its role,
 * listed without its secret, and refused once revoked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { TARGET } from '../support/database.js';
import { openCliTarget, runCli, type CliTarget } from '../support/cli.js';

let target: CliTarget;
before(async () => {
  target = await openCliTarget();
});
after(async () => {
  await target.close();
});

/** Calls the API in this process on the target database (no CLI holds it meanwhile). */
const callApi = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
  target.use(async (database) => {
    const app = await buildApp({ db: database.db, databaseKind: database.kind });
    try {
      const res = await app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
    } finally {
      await app.close();
    }
  });

describe(`CLI tokens [${TARGET}]`, () => {
  it('§5: a created token works with its role, is listed without its secret, and is refused once revoked', async () => {
    const admin = await runCli([
      'tokens',
      'create',
      '--name',
      'ops lead',
      '--role',
      'admin',
      '--json',
      ...target.args,
    ]);
    assert.equal(admin.code, 0, admin.stderr);
    const viewer = await runCli([
      'tokens',
      'create',
      '--name',
      'auditor',
      '--role',
      'viewer',
      '--json',
      ...target.args,
    ]);
    const viewerToken = JSON.parse(viewer.stdout);
    const adminToken = JSON.parse(admin.stdout).token;

    const listed = await callApi('GET', '/tokens', adminToken);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map((t: any) => [t.name, t.role, t.revokedAt]),
      [
        ['ops lead', 'admin', null],
        ['auditor', 'viewer', null],
      ],
    );
    assert.ok(!JSON.stringify(listed.body).includes(viewerToken.token), 'no secret in the list');
    assert.equal(
      (await callApi('POST', '/customers', viewerToken.token, { name: 'x' })).status,
      403,
    );

    const revoked = await runCli(['tokens', 'revoke', viewerToken.id, ...target.args]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await callApi('GET', '/customers', viewerToken.token)).status, 401);
    const list = await runCli(['tokens', 'list', '--json', ...target.args]);
    assert.ok(JSON.parse(list.stdout).find((t: any) => t.id === viewerToken.id).revokedAt);
  });

  it('revoking an unknown token fails with NOT_FOUND and exit code 1', async () => {
    const res = await runCli(['tokens', 'revoke', '999999', ...target.args]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /token 999999 does not exist \(NOT_FOUND\)/);
  });

  it('migrate reports an up-to-date database; demo loads only into an empty one', async () => {
    const migrate = await runCli(['migrate', ...target.args]);
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /the database is up to date/);
    const demo = await runCli(['demo', ...target.args]);
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /demo data loaded/);
    const again = await runCli(['demo', ...target.args]);
    assert.match(again.stdout, /already has contracts: demo data left out/);
    const entries = await runCli(['export', 'entries', '--format', 'json', ...target.args]);
    assert.ok(JSON.parse(entries.stdout).length > 0);
  });
});
