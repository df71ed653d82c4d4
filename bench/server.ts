/**
 * The real server, in this process, on a local port: the same `buildApp` as `npm start`,
 * reached over HTTP with keep-alive, as a client would. In-process so that the raw-SQL
 * baseline runs on the very same database (an embedded PGlite directory can be opened by one
 * process only). The process's RSS therefore includes this driver, a few tens of MB.
 */
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../src/db/database.js';
import type { DB } from '../src/db/schema.js';
import { buildApp } from '../src/http/app.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface BenchServer {
  request<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export class ApiError extends Error {}

export async function startServer(db: Kysely<DB>, kind: DatabaseKind): Promise<BenchServer> {
  const app = await buildApp({ db, databaseKind: kind, adminToken: ADMIN_TOKEN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/v1`;
  return {
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as T;
      // A benchmark of failures measures nothing: stop at the first one.
      if (!res.ok)
        throw new ApiError(
          `${method} ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`,
        );
      return json;
    },
    close: () => app.close(),
  };
}

/** Peak resident set size of this process, sampled every 50 ms while running. */
export function rssSampler(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  timer.unref();
  return {
    peakMb: () => Math.round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20),
    stop: () => clearInterval(timer),
  };
}
