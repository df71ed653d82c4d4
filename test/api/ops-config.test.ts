/**
 * Configuration is validated at start: each bad value stops the server with a message that
 * names the variable and exit code 2, before any database is opened.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TARGET } from '../support/database.js';
import { cleanEnv, ROOT, runProcess } from '../support/cli.js';

const MAIN = path.join(ROOT, 'src/main.ts');

const BAD: [Record<string, string>, RegExp][] = [
  [{ PORT: 'eighty' }, /PORT: .*number/i],
  [{ PORT: '70000' }, /PORT: .*65535/],
  [
    { DATABASE_URL: 'mysql://localhost/db' },
    /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
  ],
  [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN: must be at least 32 characters/],
  // Spec §5: 31 characters is one too few.
  [
    { ADMIN_TOKEN: 'x'.repeat(31) },
    /ADMIN_TOKEN: must be at least 32 characters .*openssl rand -hex 32/,
  ],
  [{ SHUTDOWN_GRACE_MS: 'soon' }, /SHUTDOWN_GRACE_MS: .*number/i],
  [{ AUTH_FAILURES_PER_MINUTE: '0' }, /AUTH_FAILURES_PER_MINUTE: /],
  [{ DEMO: 'yes' }, /DEMO: .*"0"\|"1"/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: .*"info"/],
];

describe(`configuration validation [${TARGET}]`, () => {
  it('each bad value stops the server with exit code 2 and a message naming the variable', async () => {
    const results = await Promise.all(
      BAD.map(([env]) =>
        runProcess(['--import', 'tsx', MAIN], cleanEnv({ DATA_DIR: 'memory://', ...env })),
      ),
    );
    results.forEach((res, i) => {
      const [env, message] = BAD[i] as [Record<string, string>, RegExp];
      assert.equal(res.code, 2, `${JSON.stringify(env)}: ${res.stderr}`);
      assert.match(res.stderr, /^invalid configuration:/, JSON.stringify(env));
      assert.match(res.stderr, message, JSON.stringify(env));
    });
  });

  it('the CLI refuses a bad DATABASE_URL the same way, with exit code 2', async () => {
    const res = await runProcess(
      [path.join(ROOT, 'bin/billing-backlog.js'), 'tokens', 'list', '--url', 'http://db'],
      cleanEnv(),
    );
    assert.equal(res.code, 2);
    assert.match(res.stderr, /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });
});
