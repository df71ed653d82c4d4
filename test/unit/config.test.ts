import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration from the environment', () => {
  it('JOB_RETENTION_DAYS: 400 by default, 0 keeps every job, anything else out of range is refused by name', () => {
    assert.equal(loadConfig({}).JOB_RETENTION_DAYS, 400);
    assert.equal(loadConfig({ JOB_RETENTION_DAYS: '0' }).JOB_RETENTION_DAYS, 0);
    assert.equal(loadConfig({ JOB_RETENTION_DAYS: '30' }).JOB_RETENTION_DAYS, 30);
    for (const bad of ['-1', '1.5', 'forever', '36501']) {
      assert.throws(
        () => loadConfig({ JOB_RETENTION_DAYS: bad }),
        (e: unknown) => e instanceof ConfigError && /JOB_RETENTION_DAYS/.test(e.message),
        bad,
      );
    }
  });
});
