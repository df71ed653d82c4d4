import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { acquireDataDirLock, DataDirLockedError } from '../../src/db/lockfile.js';

describe('embedded data directory lock', () => {
  it('refuses a second opener while the first holds the lock, and frees it on release', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-lock-'));
    const lock = acquireDataDirLock(dir);
    assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-lock-'));
    writeFileSync(path.join(dir, 'billing-backlog.lock'), '2147483646');
    const lock = acquireDataDirLock(dir);
    assert.equal(readFileSync(path.join(dir, 'billing-backlog.lock'), 'utf8'), String(process.pid));
    lock.release();
  });
});
