import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../../src/db/lockfile.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'bb-lock-'));
const ownerPid = (dir: string) => JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid;

/** Runs `fn` with a live child process; the child is killed afterwards. */
async function withChild(
  command: string,
  args: string[],
  fn: (pid: number) => void | Promise<void>,
): Promise<void> {
  const child = spawn(command, args, { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  try {
    await fn(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

describe('embedded data directory lock', () => {
  it('refuses a second opener while the first holds the lock, and frees it on release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock left by a process that no longer runs, with a warning', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE), '2147483646');
    const warnings: string[] = [];
    const lock = acquireDataDirLock(dir, (m) => warnings.push(m));
    assert.equal(ownerPid(dir), process.pid);
    assert.match(warnings.join(), /no longer runs/);
    lock.release();
  });

  it("takes over a stale lock that names this process's own pid (PID 1 in a container after kill -9)", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, started: '1' }));
    const warnings: string[] = [];
    const lock = acquireDataDirLock(dir, (m) => warnings.push(m));
    assert.match(warnings.join(), /this process's own/);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to another program', async () => {
    const dir = tempDir();
    await withChild('sleep', ['30'], (pid) => {
      writeFileSync(path.join(dir, LOCK_FILE), String(pid));
      const warnings: string[] = [];
      const lock = acquireDataDirLock(dir, (m) => warnings.push(m));
      assert.match(warnings.join(), /is not billing-backlog/);
      lock.release();
    });
  });

  it('takes over a lock whose pid was reused by a process started later', async () => {
    const dir = tempDir();
    await withChild(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], (pid) => {
      writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, started: '1' }));
      const warnings: string[] = [];
      const lock = acquireDataDirLock(dir, (m) => warnings.push(m));
      assert.match(warnings.join(), /started later/);
      lock.release();
    });
  });

  it('refuses while a live billing-backlog process holds the lock', async () => {
    const dir = tempDir();
    const holder = `
      const { acquireDataDirLock } = await import(${JSON.stringify(path.resolve('src/db/lockfile.ts'))});
      acquireDataDirLock(${JSON.stringify(dir)});
      console.log('locked');
      setInterval(() => {}, 1000);`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', holder],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      assert.throws(
        () => acquireDataDirLock(dir, () => assert.fail('no takeover')),
        DataDirLockedError,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
