/**
 * Spec §5 front door: failed authentications are rate limited per client address (429 with
 * Retry-After), every response carries the security headers, the UI a content security
 * policy with frame-ancestors, and the answer that shows a token's secret is never cached.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { ADMIN_TOKEN, startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
let guarded: FastifyInstance;
const LIMIT = 5;
before(async () => {
  api = await startApi();
  // The same app with a small limit, over the same database.
  guarded = await buildApp({
    db: api.database.db,
    databaseKind: api.database.kind,
    adminToken: ADMIN_TOKEN,
    authFailureLimit: { max: LIMIT, timeWindowMs: 60_000 },
  });
  await guarded.ready();
});
after(async () => {
  await guarded.close();
  await api.close();
});

const call = (token: string, remoteAddress = '198.51.100.7') =>
  guarded.inject({
    method: 'GET',
    url: '/api/v1/customers',
    remoteAddress,
    headers: { authorization: `Bearer ${token}` },
  });

describe(`front door [${TARGET}]`, () => {
  it('§5: failed authentications past the limit answer 429 with Retry-After, also for the right token, per address', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await call(`wrong-token-${i}`);
      assert.equal(res.statusCode, 401);
    }
    const refused = await call('wrong-token-again');
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['content-type']), /problem\+json/);
    assert.equal(refused.json().code, 'TOO_MANY_REQUESTS');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    // While refused, a right guess is not told apart from a wrong one.
    assert.equal((await call(ADMIN_TOKEN)).statusCode, 429);
    // Another address is not affected.
    assert.equal((await call(ADMIN_TOKEN, '198.51.100.8')).statusCode, 200);
  });

  it('§5: successful authentications are not limited', async () => {
    for (let i = 0; i < LIMIT * 3; i++) {
      assert.equal((await call(ADMIN_TOKEN, '198.51.100.9')).statusCode, 200);
    }
  });

  it('§5: every response carries nosniff, a CSP with frame-ancestors and a Referrer-Policy', async () => {
    for (const res of [
      await api.get('/health'),
      await api.get('/customers'),
      await api.get('/customers', 'wrong-token'),
      await api.get('/no-such-route'),
      await api.post('/customers', { nope: 1 }),
    ]) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    }
    const docs = await api.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(docs.headers['x-content-type-options'], 'nosniff');
    assert.match(String(docs.headers['content-security-policy']), /frame-ancestors 'none'/);
  });

  it("every answer, errors included, says the server's own time in Server-Timing", async () => {
    for (const res of [
      await api.get('/customers'),
      await api.get('/customers', 'wrong-token'),
      await api.post('/customers', { nope: 1 }),
    ]) {
      const timing = String(res.headers['server-timing']);
      const ms = Number(/^app;dur=(\d+\.\d)$/.exec(timing)?.[1]);
      assert.ok(Number.isFinite(ms) && ms >= 0 && ms < 60_000, timing);
    }
  });

  it('§5: the answer showing a new token carries Cache-Control: no-store', async () => {
    const res = await api.post('/tokens', { name: 'front-door', role: 'viewer' });
    assert.equal(res.status, 201);
    assert.equal(typeof res.body.token, 'string');
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});
