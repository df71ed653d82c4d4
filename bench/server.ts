/**
 * The real server, in this process, on a local port: the same `buildApp` as `npm start`,
 * reached over HTTP with keep-alive, as a client would. In-process so that the raw-SQL
 * baseline runs on the very same database (an embedded PGlite directory can be opened by one
 * process only). The process's RSS therefore includes this driver, a few tens of MB.
 */
import http from 'node:http';
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
  // Only warnings and errors, on stderr: a request log would itself cost time.
  const app = await buildApp({
    db,
    databaseKind: kind,
    adminToken: ADMIN_TOKEN,
    logger: { level: 'warn', stream: process.stderr },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/v1`;
  // Clients hold API tokens (looked up on every request), not the ADMIN_TOKEN of the
  // environment: measure with one. An admin token, as one role may do every operation here.
  const created = await fetch(`${base}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', role: 'admin' }),
  });
  if (created.status !== 201) throw new ApiError(`POST /tokens answered ${created.status}`);
  const { token } = (await created.json()) as { token: string };
  // GETs reuse keep-alive connections, like a browser. POSTs open a fresh connection: the
  // embedded database runs on this thread, so a long statement before a POST can stall the
  // event loop past the server's keep-alive timeout, and a reused socket would then be closed
  // under the request (ECONNRESET) as soon as the loop's timers run. A GET that meets such a
  // socket is repeated once, as browsers do.
  const keepAlive = new http.Agent({ keepAlive: true });
  const request = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    try {
      return await send<T>(method, path, body, method === 'GET' ? keepAlive : false);
    } catch (error) {
      if (method !== 'GET' || (error as { code?: string }).code !== 'ECONNRESET') throw error;
      return send<T>(method, path, body, false);
    }
  };
  const send = <T>(
    method: 'GET' | 'POST',
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
  return {
    request,
    close: async () => {
      keepAlive.destroy();
      await app.close();
    },
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
