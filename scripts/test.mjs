#!/usr/bin/env node
// `npm test`: the unit tests once, then the integration suite on the embedded database and,
// when TEST_DATABASE_URL is set (CI sets it), again on the PostgreSQL server; then the
// browser tests when /usr/bin/chromium exists. Ends with one
// plain line `N passed, N failed`; exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filter = process.argv.slice(2);
const CHROMIUM = '/usr/bin/chromium';

function testFiles(dir) {
  const full = path.join(root, dir);
  return readdirSync(full, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => path.join(dir, String(f)))
    .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
    .sort();
}

const runs = [{ name: 'unit', files: testFiles('test/unit'), env: {} }];
const integration = testFiles('test/api');
runs.push({ name: 'embedded', files: integration, env: { TEST_DB: 'embedded' }, concurrency: 1 });
if (process.env.TEST_DATABASE_URL) {
  runs.push({ name: 'postgres', files: integration, env: { TEST_DB: 'postgres' }, concurrency: 2 });
} else {
  console.log('TEST_DATABASE_URL is not set: the PostgreSQL server run is left out (CI sets it).');
}
// Browser tests drive the system Chromium (no browser download); .ci/run installs it.
const e2e = testFiles('test/e2e');
if (existsSync(CHROMIUM)) {
  runs.push({ name: 'e2e', files: e2e, env: {}, concurrency: 1 });
} else if (e2e.length > 0) {
  console.log(
    `${CHROMIUM} is missing: the browser tests (test/e2e) are left out (apt-get install chromium).`,
  );
}

const dir = mkdtempSync(path.join(tmpdir(), 'bb-test-'));
let passed = 0;
let failed = 0;
let broken = false;
for (const run of runs) {
  if (run.files.length === 0) continue;
  console.log(`\n=== ${run.name}: ${run.files.length} files ===`);
  const counts = path.join(dir, `${run.name}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${run.concurrency ?? 2}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts/count-reporter.mjs')}`,
      `--test-reporter-destination=${counts}`,
      ...run.files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...run.env } },
  );
  try {
    const c = JSON.parse(readFileSync(counts, 'utf8'));
    passed += c.passed;
    failed += c.failed;
    console.log(`${run.name}: ${c.passed} passed, ${c.failed} failed`);
  } catch {
    broken = true;
  }
  if (result.status !== 0) broken = true;
}
if (broken && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
