/**
 * A test client over the real app (Fastify inject, no port) on a real database.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export interface TestApi {
  app: FastifyInstance;
  database: TestDatabase;
  request<T = any>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response<T>>;
  get<T = any>(url: string, token?: string): Promise<Response<T>>;
  post<T = any>(
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  del<T = any>(url: string): Promise<Response<T>>;
  close(): Promise<void>;
}

/** `options`: e.g. `{ jobWorkers: 1 }` for an in-process invoice-run worker (R97). */
export async function startApi(options: Partial<AppOptions> = {}): Promise<TestApi> {
  return apiOver(await openTestDatabase(), options);
}

/** The app over a database opened elsewhere (a CLI test's target); close() closes both. */
export async function apiOver(
  database: TestDatabase,
  options: Partial<AppOptions> = {},
): Promise<TestApi> {
  const app = await buildApp({
    db: database.db,
    databaseKind: database.kind,
    adminToken: ADMIN_TOKEN,
    // The suites send many deliberate bad tokens from one address; the limit itself is
    // proved in front-door.test.ts.
    authFailureLimit: { max: 1_000_000, timeWindowMs: 60_000 },
    // A 5xx is a bug for any input: its cause goes to stderr, where a failing run shows it.
    logger: { level: 'error', stream: process.stderr },
    ...options,
  });
  await app.ready();
  const request: TestApi['request'] = async (method, url, body, headers = {}) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = res.body;
    return {
      status: res.statusCode,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
    };
  };
  return {
    app,
    database,
    request,
    get: (url, token) =>
      request('GET', url, undefined, token ? { authorization: `Bearer ${token}` } : {}),
    post: (url, body, headers) => request('POST', url, body, headers),
    patch: (url, body) => request('PATCH', url, body),
    del: (url) => request('DELETE', url),
    async close() {
      await app.close();
      await database.close();
    },
  };
}
