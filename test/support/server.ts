/**
 * Real server processes for the concurrency and crash tests: `tsx src/main.ts` on a free
 * port, DEMO=0, talking to the database the test names. Requests go over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { ADMIN_TOKEN } from './api.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const BUNDLE = path.join(ROOT, 'node_modules/.cache/billing-backlog-test/main.mjs');
let bundled = false;

/**
 * `src/main.ts` bundled once (packages left external) so a restart costs only node's own
 * start: the crash test restarts servers many times on a busy machine.
 */
function bundleServer(): string {
  if (!bundled) {
    buildSync({
      entryPoints: [path.join(ROOT, 'src/main.ts')],
      outfile: BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    bundled = true;
  }
  return BUNDLE;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  request<T = any>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerEnv {
  DATABASE_URL?: string;
  DATA_DIR?: string;
  /** 0 unless given: most tests stop servers with SIGTERM and need no drain. */
  SHUTDOWN_GRACE_MS?: string;
  AUTH_FAILURES_PER_MINUTE?: string;
  /** A crash point of the kill tests (src/http/idempotency.ts). */
  BILLING_BACKLOG_FAILPOINT?: 'before-commit' | 'after-commit';
}

/**
 * Starts a server (`tsx src/main.ts`, or the same code bundled with `bundled`); with
 * `waitReady` (the default) resolves once /api/v1/health answers.
 */
export async function startServer(
  env: ServerEnv,
  waitReady = true,
  options: { bundled?: boolean } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const [command, args] = options.bundled
    ? [process.execPath, [bundleServer()]]
    : [TSX, ['src/main.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      SHUTDOWN_GRACE_MS: '0',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: '0',
      ADMIN_TOKEN,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}/api/v1`;
  const server: ServerProcess = {
    port,
    child,
    exited,
    output: () => out,
    async request(method, url, body) {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  if (!waitReady) return server;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start: ${out}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill('SIGKILL');
      throw new Error(`server did not start in 60 s: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
