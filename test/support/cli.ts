/**
 * Runs the real `billing-backlog` CLI or server as a child process, against the database of
 * the current test target: the PostgreSQL test database by URL, or an embedded data
 * directory on disk (which the test opens itself only while no child holds it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openTestDatabase, TARGET, type TestDatabase } from './database.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = path.join(ROOT, 'bin/billing-backlog.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without the caller's database settings, so only the test's choice applies. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'ADMIN_TOKEN', 'PORT', 'HOST', 'DEMO', 'LOG_LEVEL'])
    delete env[k];
  return { ...env, ...extra };
}

export function runProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const runCli = (args: string[], env: NodeJS.ProcessEnv = cleanEnv()) =>
  runProcess([BIN, ...args], env);

/** A database the CLI (a second process) and the test can both reach. */
export interface CliTarget {
  /** `--url …` or `--data-dir …` for the CLI. */
  args: string[];
  /** Server environment selecting this database. */
  env: Record<string, string>;
  /** Runs work on the database from the test process (embedded: only while no child holds it). */
  use<T>(work: (database: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openCliTarget(): Promise<CliTarget> {
  if (TARGET === 'postgres') {
    const database: TestDatabase = await openTestDatabase();
    const url = database.url as string;
    return {
      args: ['--url', url],
      env: { DATABASE_URL: url },
      use: (work) => work(database),
      close: () => database.close(),
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-cli-'));
  const dataDir = path.join(dir, 'data');
  const first = await openDatabase({ dataDir });
  await migrateToLatest(first.db as never);
  await first.close();
  return {
    args: ['--data-dir', dataDir],
    env: { DATA_DIR: dataDir },
    async use(work) {
      const database = await openDatabase({ dataDir });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the server logged so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts the real server (`billing-backlog serve`) and waits until it answers ready. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: cleanEnv({ DEMO: '0', HOST: '127.0.0.1', PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not get ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, port, output: () => output, exited };
}
