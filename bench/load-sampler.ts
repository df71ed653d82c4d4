/**
 * Where a mixed load's time goes (issue 18): while it runs, samples the machine's CPU, the
 * CPU of each of our processes, and what the database's active backends are doing (running,
 * or waiting on a lock, an LWLock, I/O …). A page p99 of hundreds of milliseconds is either
 * time queued for a core or time waiting on a lock; the samples tell which.
 */
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';

export interface LoadSample {
  /** Busy share of the machine's cores over the load, 0–1. */
  machineBusy: number;
  cores: number;
  /** Busy share of one core per process over the load (1 = one core all the time). */
  processes: Record<string, number>;
  /** Active backends on the database, on average over the samples. */
  activeBackends: number;
  /** Of the active backends' samples: share per wait (`running`: no wait, on a core or queued for one). */
  waits: Record<string, number>;
  /** Samples of the database's backends taken. */
  samples: number;
}

const TICKS_PER_SECOND = 100;

function processTicks(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces), 14th and 15th: utime, stime.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number; cores: number } | undefined {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const all = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const idle = (all[3] ?? 0) + (all[4] ?? 0);
    const total = all.reduce((a, b) => a + b, 0);
    const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
    return { busy: total - idle, total, cores };
  } catch {
    return undefined;
  }
}

/** Starts sampling every `everyMs`; `stop()` answers the summary (undefined off Linux). */
export function sampleLoad(
  db: Kysely<DB>,
  pids: Record<string, number | undefined>,
  everyMs = 250,
): { stop(): Promise<LoadSample | undefined> } {
  const started = performance.now();
  const machine0 = machineTicks();
  const ticks0 = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, pid ? processTicks(pid) : undefined]),
  );
  const waits = new Map<string, number>();
  let active = 0;
  let samples = 0;
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pending = (async () => {
      const rows = await sql<{ wait: string; n: string }>`
        SELECT coalesce(wait_event_type || ':' || wait_event, 'running') AS wait, count(*) AS n
        FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
        GROUP BY 1`
        .execute(db)
        .catch(() => ({ rows: [] }));
      samples += 1;
      for (const r of rows.rows) {
        const n = Number(r.n);
        active += n;
        waits.set(r.wait, (waits.get(r.wait) ?? 0) + n);
      }
    })();
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      const machine1 = machineTicks();
      if (!machine0 || !machine1) return undefined;
      const seconds = (performance.now() - started) / 1000;
      const processes: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const before = ticks0[name];
        const after = pid ? processTicks(pid) : undefined;
        if (before !== undefined && after !== undefined) {
          processes[name] = (after - before) / TICKS_PER_SECOND / seconds;
        }
      }
      const shares: Record<string, number> = {};
      for (const [wait, n] of [...waits].sort((a, b) => b[1] - a[1])) {
        shares[wait] = active > 0 ? n / active : 0;
      }
      return {
        machineBusy: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total),
        cores: machine1.cores,
        processes,
        activeBackends: samples > 0 ? active / samples : 0,
        waits: shares,
        samples,
      };
    },
  };
}

/** The summary as one line of a result's detail. */
export function describeLoad(s: LoadSample | undefined): string {
  if (!s) return 'load not sampled (no /proc)';
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const procs = Object.entries(s.processes)
    .map(([name, share]) => `${name} ${pct(share)}`)
    .join(', ');
  const waits = Object.entries(s.waits)
    .slice(0, 5)
    .map(([wait, share]) => `${wait} ${pct(share)}`)
    .join(', ');
  return (
    `CPU ${pct(s.machineBusy)} of ${s.cores} cores (of one core: ${procs}); ` +
    `${s.activeBackends.toFixed(1)} active backends on average (${waits})`
  );
}
