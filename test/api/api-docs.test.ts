import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

describe(`browsable API reference [${TARGET}]`, () => {
  it('§5: /api/docs answers an HTML page without authentication', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/docs' });
    const page =
      res.statusCode === 302
        ? await api.app.inject({ method: 'GET', url: String(res.headers.location) })
        : res;
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /swagger-ui/i);
  });

  it('§5: the reference is generated from the OpenAPI document the API serves', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/entries'], 'documents the entries route');
  });
});
