#!/usr/bin/env node
// The server's production build: `tsc -p tsconfig.build.json` into dist/, so the server and
// the CLI run as plain JavaScript with no TypeScript loader.
//   node scripts/server-build.mjs             build now (npm run build)
//   node scripts/server-build.mjs --if-stale  build only when dist/ is missing or older than
//                                             the sources (npm start's prestart)
// bin/billing-backlog.js calls ensureServerBuild() the same way before each command.
// One build at a time: a lock directory, so parallel CLI runs (tests) wait for one build.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
const lock = path.join(root, 'dist.lock');
const TSC = path.join(root, 'node_modules/typescript/bin/tsc');

function newestSource() {
  const files = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) =>
    path.join(root, f),
  );
  for (const f of readdirSync(path.join(root, 'src'), { recursive: true }))
    files.push(path.join(root, 'src', String(f)));
  return Math.max(...files.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
}

export function isServerBuildFresh() {
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource();
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function takeLock() {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    // A builder that died leaves its lock: one older than five minutes is taken over.
    try {
      if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000)
        rmSync(lock, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
    if (Date.now() > deadline) throw new Error(`another build holds ${lock}`);
    sleep(200);
  }
}

function build() {
  if (!existsSync(TSC))
    throw new Error(
      'the server is not built (dist/) and TypeScript is not installed to build it: ' +
        'run `npm ci` (with dev dependencies) and `npm run build`',
    );
  if (process.stderr.isTTY) process.stderr.write('building the server (dist/)…\n');
  // Built beside dist/ and swapped in whole: a reader never sees half a build.
  const next = `${dist}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--outDir', next], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    throw new Error('the server build (tsc -p tsconfig.build.json) failed');
  }
  writeFileSync(path.join(next, '.built'), new Date().toISOString());
  rmSync(dist, { recursive: true, force: true });
  renameSync(next, dist);
}

/** Builds dist/ when it is missing or older than the sources; `force` builds anyway. */
export function ensureServerBuild({ force = false } = {}) {
  if (!force && isServerBuildFresh()) return;
  takeLock();
  try {
    // Another process may have built it while this one waited for the lock.
    if (force || !isServerBuildFresh()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureServerBuild({ force: !process.argv.includes('--if-stale') });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
