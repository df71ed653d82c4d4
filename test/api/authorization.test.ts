/**
 * Every endpoint in the OpenAPI document × every role × (no token, bad token): 401, 403 or
 * allowed exactly as the spec's roles say (§5). The expected permission of each route is
 * written here from the spec, independently of the routes' own declarations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';

type Need = 'public' | 'read' | 'bill' | 'approve' | 'admin';

const ROLE_CAN: Record<string, Need[]> = {
  viewer: ['read'],
  biller: ['read', 'bill'],
  approver: ['read', 'approve'],
  admin: ['read', 'bill', 'approve', 'admin'],
};

/** The spec's reading of who may call what. */
export function expectedNeed(method: string, path: string): Need {
  const p = path.replace(/^\/api\/v1/, '');
  if (p === '/health' || p === '/openapi.json' || p === '/ready') return 'public';
  if (p.startsWith('/tokens')) return 'admin';
  if (method === 'GET') return 'read';
  if (p.startsWith('/entries')) return 'approve';
  if (p.startsWith('/backlog/')) return 'bill';
  if (
    /^\/invoices\/\{[^}]+\}\/confirm$/.test(p) ||
    p === '/invoices/confirm' ||
    p.endsWith('/corrections')
  )
    return 'admin';
  if (p.startsWith('/invoices') || p.startsWith('/invoice-runs')) return 'bill';
  // customers, contracts, lines, milestones, retainers: contract setup.
  return 'admin';
}

let api: TestApi;
const tokens: Record<string, string> = {};
before(async () => {
  api = await startApi();
  for (const role of Object.keys(ROLE_CAN)) {
    const res = await api.post('/tokens', { name: `matrix-${role}`, role });
    tokens[role] = res.body.token;
  }
});
after(async () => {
  await api.close();
});

describe(`authorization matrix [${TARGET}]`, () => {
  it('answers 401, 403 or lets through exactly as the roles say, on every documented endpoint', async () => {
    const doc = (await api.get('/openapi.json')).body;
    const operations: [string, string][] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const method of Object.keys(item)) {
        if (['get', 'post', 'patch', 'put', 'delete'].includes(method))
          operations.push([method.toUpperCase(), path]);
      }
    }
    assert.ok(
      operations.length >= 15,
      `the document lists the API (${operations.length} operations)`,
    );
    for (const [method, path] of operations) {
      const url = path.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, '987654321');
      const need = expectedNeed(method, path);
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const none = await api.request(method as any, url, body, { authorization: '' });
      const bad = await api.request(method as any, url, body, {
        authorization: 'Bearer nope-nope-nope',
      });
      if (need === 'public') {
        assert.notEqual(none.status, 401, `${method} ${path} is public`);
        continue;
      }
      assert.equal(none.status, 401, `${method} ${path} without a token`);
      assert.equal(bad.status, 401, `${method} ${path} with a bad token`);
      for (const [role, grants] of Object.entries(ROLE_CAN)) {
        const res = await api.request(method as any, url, body, {
          authorization: `Bearer ${tokens[role]}`,
        });
        if (grants.includes(need)) {
          assert.ok(
            ![401, 403].includes(res.status),
            `${role} may ${method} ${path}: got ${res.status} ${JSON.stringify(res.body)}`,
          );
          assert.ok(res.status < 500, `${role} ${method} ${path} answered ${res.status}`);
        } else {
          assert.equal(res.status, 403, `${role} may not ${method} ${path}`);
          assert.equal(res.body.code, 'FORBIDDEN');
        }
      }
    }
  });

  it('never answers a stack trace', async () => {
    const res = await api.post('/customers', '{"name":');
    assert.ok(!JSON.stringify(res.body).includes('    at '), 'no stack in the answer');
  });
});
