/**
 * An exclusive lock file in the embedded data directory: PGlite has no server process to
 * arbitrate access, and two processes writing one directory corrupt it.
 *
 * The file records the owner's pid, its start time and its program. A lock is stale — taken
 * over with a warning — when its owner no longer runs, when its pid is this process's own
 * (a container restarts the server as PID 1 after a kill -9; this process does not hold the
 * lock, so the file is a leftover), or when the pid now belongs to another program (pid
 * reuse). A live second billing-backlog process is refused.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {}

const PROGRAM = 'billing-backlog';
export const LOCK_FILE = 'billing-backlog.lock';

/** Lock files this process holds: opening one directory twice in one process is refused too. */
const held = new Set<string>();

interface Owner {
  pid: number;
  /** The owner's start time in clock ticks since boot (Linux), to tell a reused pid. */
  started?: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; undefined where /proc is not there (macOS, Windows). */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The process's command line, or undefined when it cannot be read. */
function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

function readOwner(file: string): Owner | undefined {
  const text = readFileSync(file, 'utf8').trim();
  // Older versions wrote the bare pid.
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as { pid?: unknown; started?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return undefined;
    return {
      pid: parsed.pid,
      started: typeof parsed.started === 'string' ? parsed.started : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Why the recorded owner cannot be a live holder, or undefined when it may be one. */
function staleReason(owner: Owner | undefined): string | undefined {
  if (!owner) return 'the lock file is unreadable';
  if (owner.pid === process.pid) return `its pid ${owner.pid} is this process's own`;
  if (!isRunning(owner.pid)) return `process ${owner.pid} no longer runs`;
  const started = startTimeOf(owner.pid);
  if (owner.started && started && owner.started !== started) {
    return `pid ${owner.pid} now belongs to a process started later`;
  }
  const command = commandLineOf(owner.pid);
  // Every way this program runs goes through node (npm start, tsx, the bin script).
  if (command !== undefined && !/node|tsx|billing-backlog/.test(command)) {
    return `process ${owner.pid} is not ${PROGRAM} (${command.trim().slice(0, 80)})`;
  }
  return undefined;
}

export function acquireDataDirLock(
  dataDir: string,
  warn: (message: string) => void = (m) => process.emitWarning(m),
): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  if (held.has(file)) {
    throw new DataDirLockedError(`${dataDir} is already open in this process`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      const owner = { pid: process.pid, started: startTimeOf(process.pid), program: PROGRAM };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      held.add(file);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          held.delete(file);
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      const stale = staleReason(owner);
      if (!stale) {
        throw new DataDirLockedError(
          `${dataDir} is in use by process ${owner?.pid}; stop it first, or use the HTTP API ` +
            `of the running server instead of opening the embedded database twice`,
        );
      }
      // A crash left the file behind: take the lock over, and say so.
      warn(`taking over the stale lock on ${dataDir}: ${stale}`);
      rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}`);
}
