/**
 * The real server on a local port, reached over HTTP with keep-alive, as a client would.
 *
 * On PostgreSQL it runs in a process of its own, beside a `billing-backlog worker` process
 * that works the invoice-run jobs, started as production starts them
 * (`npm start`: the compiled `dist/main.js`, built first when missing or stale, with
 * DATABASE_URL, PORT, ADMIN_TOKEN), so that its RSS is the server's
 * alone; the raw-SQL baseline runs from this process on the same database. On the embedded
 * database it runs in this process (the same `buildApp` as `npm start`): the raw SQL must run
 * on the same database, and a PGlite directory can be opened by one process only, so its RSS
 * includes this driver.
 */
import { spawn } from 'node:child_process';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { ensureServerBuild } from '../scripts/server-build.mjs';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../src/db/database.js';
import type { DB } from '../src/db/schema.js';
import { buildApp } from '../src/http/app.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export interface BenchServer {
  request<T = unknown>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T>;
  /** A GET whose answer is bytes (a PDF): its whole body, read to the end. */
  download(path: string): Promise<Buffer>;
  /**
   * Told each answer's `Server-Timing` (the server's own ms) while set: the mixed load
   * tells time in the server from time in the network and the client.
   */
  onServerTiming?: (method: string, path: string, ms: number) => void;
  /** The server's process: a child on PostgreSQL (see above), this process when embedded. */
  pid: number;
  /** The job worker's process on PostgreSQL; absent when jobs run in the server's process. */
  workerPid?: number;
  close(): Promise<void>;
}

export class ApiError extends Error {}

interface Listening {
  base: string;
  pid: number;
  workerPid?: number;
  close(): Promise<void>;
}

/**
 * `databaseUrl` (PostgreSQL, on Linux where /proc gives a child's RSS): the server in a
 * process of its own. Otherwise in this process, on `db`.
 */
export async function startServer(
  db: Kysely<DB>,
  kind: DatabaseKind,
  databaseUrl?: string,
): Promise<BenchServer> {
  const server =
    kind === 'postgres' && databaseUrl && statusKb(process.pid, 'VmRSS') !== undefined
      ? await spawnServer(databaseUrl)
      : await inProcessServer(db, kind);
  const { base } = server;
  let token: string;
  try {
    // Clients hold API tokens (looked up on every request), not the ADMIN_TOKEN of the
    // environment: measure with one. An admin token, as one role may do every operation here.
    const created = await fetch(`${base}/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'admin' }),
    });
    if (created.status !== 201) throw new ApiError(`POST /tokens answered ${created.status}`);
    ({ token } = (await created.json()) as { token: string });
  } catch (error) {
    await server.close();
    throw error;
  }
  // GETs reuse keep-alive connections, like a browser. POSTs open a fresh connection: the
  // embedded database runs on this thread, so a long statement before a POST can stall the
  // event loop past the server's keep-alive timeout, and a reused socket would then be closed
  // under the request (ECONNRESET) as soon as the loop's timers run. A GET that meets such a
  // socket is repeated once, as browsers do.
  const keepAlive = new http.Agent({ keepAlive: true });
  const request = async <T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<T> => {
    try {
      return await send<T>(method, path, body, method === 'GET' ? keepAlive : false);
    } catch (error) {
      if (method !== 'GET' || (error as { code?: string }).code !== 'ECONNRESET') throw error;
      return send<T>(method, path, body, false);
    }
  };
  const send = <T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: unknown,
    agent: http.Agent | false,
  ): Promise<T> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        `${base}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
          },
        },
        (res) => {
          const timing = /app;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
          if (timing) api.onServerTiming?.(method, path, Number(timing[1]));
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            // A benchmark of failures measures nothing: stop at the first one.
            if ((res.statusCode ?? 500) >= 300) {
              reject(
                new ApiError(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`),
              );
              return;
            }
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const download = async (path: string): Promise<Buffer> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200)
      throw new ApiError(`GET ${path} answered ${res.status}: ${bytes.toString('utf8', 0, 300)}`);
    return bytes;
  };
  const api: BenchServer = {
    request,
    download,
    pid: server.pid,
    ...(server.workerPid ? { workerPid: server.workerPid } : {}),
    close: async () => {
      keepAlive.destroy();
      await server.close();
    },
  };
  return api;
}

async function inProcessServer(db: Kysely<DB>, kind: DatabaseKind): Promise<Listening> {
  // Only warnings and errors, on stderr: a request log would itself cost time.
  const app = await buildApp({
    db,
    databaseKind: kind,
    adminToken: ADMIN_TOKEN,
    logger: { level: 'warn', stream: process.stderr },
    // One in-process job worker, as `npm start` runs (the mixed load queues its run as a job).
    jobWorkers: 1,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}/api/v1`, pid: process.pid, close: () => app.close() };
}

/**
 * `dist/main.js` in a child process, configured as docs/OPERATIONS.md says; answers once its
 * health route does. Stopped with SIGTERM (it finishes in-flight requests and exits), also
 * when this process exits or is told to stop first.
 */
async function spawnServer(databaseUrl: string): Promise<Listening> {
  const port = await freePort();
  // What production runs: compiled JavaScript, no TypeScript loader (its memory is not ours).
  ensureServerBuild();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
      DEMO: '0',
      SHUTDOWN_GRACE_MS: '0',
      // Only warnings and errors: a request log would itself cost time.
      LOG_LEVEL: 'warn',
      // Jobs go to a worker process, as docs/SCALING.md runs PostgreSQL in production: a
      // job worked in the API process shares its one thread with every request.
      JOB_WORKERS: '0',
    },
    // Its log (stdout) goes to our stderr, with the bench log; stdout is the results table.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.pipe(process.stderr);
  const worker = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/billing-backlog.js'), 'worker', '--url', databaseUrl, '--poll-ms', '200'],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  worker.stdout.pipe(process.stderr);
  const workerExited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  let stopped = false;
  const stop = () => {
    if (!stopped && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    if (!stopped && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
    stopped = true;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.on('exit', stop);
  for (const signal of signals) process.on(signal, onSignal);
  const close = async () => {
    stop();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      worker.kill('SIGKILL');
    }, 10_000);
    const how = await exited;
    await workerExited;
    clearTimeout(timer);
    process.off('exit', stop);
    for (const signal of signals) process.off(signal, onSignal);
    if (how !== 'exit 0') process.emitWarning(`the bench server process ended with ${how}`);
  };
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
    const deadline = Date.now() + 60_000;
    let early: string | undefined;
    void exited.then((how) => (early = how));
    for (;;) {
      if (early) throw new Error(`the server process ended before answering (${early})`);
      if (Date.now() > deadline) throw new Error('the server process did not answer within 60 s');
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { base, pid: child.pid as number, workerPid: worker.pid as number, close };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A `Vm…` line of /proc/<pid>/status in kB; undefined where there is none (not Linux, gone). */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak resident set size of process `pid` (default this one), sampled every 50 ms while
 * running; `hwmMb` is the kernel's own peak (VmHWM) over the process's whole life.
 */
export function rssSampler(pid = process.pid): {
  peakMb(): number;
  hwmMb(): number | undefined;
  stop(): void;
} {
  const rss = () =>
    pid === process.pid ? process.memoryUsage.rss() : (statusKb(pid, 'VmRSS') ?? 0) * 1024;
  let peak = rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 50);
  timer.unref();
  return {
    peakMb: () => Math.round(Math.max(peak, rss()) / 2 ** 20),
    hwmMb: () => {
      const kb = statusKb(pid, 'VmHWM');
      return kb === undefined ? undefined : Math.round(kb / 1024);
    },
    stop: () => clearInterval(timer),
  };
}
