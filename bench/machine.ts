/** What the numbers were measured on: they mean little without it. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  pglite: string;
  /** 1-minute load average at start and end: the machine may be shared. */
  loadAverage: { start: number; end?: number };
  /**
   * Milliseconds for a fixed CPU task (one million bigint additions), at start and end: compare
   * it between runs to see whether the CPU was shared while measuring.
   */
  calibrationMs: { start: number; end?: number };
}

export function calibrate(): number {
  const t = performance.now();
  let sum = 0n;
  for (let i = 0n; i < 1_000_000n; i++) sum += i;
  if (sum < 0n) throw new Error('unreachable');
  return Math.round(performance.now() - t);
}

function pgliteVersion(): string {
  try {
    const url = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pglite: pgliteVersion(),
    loadAverage: { start: os.loadavg()[0] ?? 0 },
    calibrationMs: { start: calibrate() },
  };
}

export async function databaseVersion(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ v: string }>`SELECT version() AS v`.execute(db);
  return (r.rows[0]?.v ?? 'unknown').replace(/ on .*$/, '').replace(/,.*$/, '');
}
