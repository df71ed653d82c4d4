import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { openTestDatabase, TARGET, type TestDatabase } from '../support/database.js';

let app: FastifyInstance;
let database: TestDatabase;
let webDir: string;
before(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'bb-web-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(webDir, 'assets/app-abc123.js'), 'console.log(1)');
  database = await openTestDatabase();
  app = await buildApp({ db: database.db, databaseKind: database.kind, webDir });
  await app.ready();
});
after(async () => {
  await app.close();
  await database.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe(`web UI served by the API process [${TARGET}]`, () => {
  it('serves the app shell at / and for any client route outside /api (SPA fallback)', async () => {
    for (const url of ['/', '/backlog/time-and-material', '/contracts/12?x=1']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /id="root"/);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
  });

  it('serves hashed assets as immutable files', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /immutable/);
  });

  it('keeps unknown /api paths a problem+json 404 (spec §5), never the app shell', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/no-such-thing'],
      ['GET', '/api'],
      ['POST', '/api/v1/backlog/nothing'],
      ['POST', '/somewhere'],
    ] as const) {
      const res = await app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(res.json().code, 'NOT_FOUND');
    }
  });

  it('still requires a bearer token for the API', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/customers' });
    assert.equal(res.statusCode, 401);
  });
});
