/**
 * The API client: bearer token from localStorage, JSON in and out, problem+json errors as
 * `ApiError` (with the API's stable `code` and per-field `errors`).
 */

const TOKEN_KEY = 'billing-backlog.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
  window.dispatchEvent(new Event('billing-backlog-token'));
}

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export type Query = Record<string, string | string[] | number | undefined | null>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
): Promise<T> {
  const token = getToken();
  const res = await fetch(`/api/v1${path}${queryString(query)}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as {
      code?: string;
      detail?: string;
      title?: string;
      errors?: FieldError[];
    };
    if (res.status === 401) window.dispatchEvent(new Event('billing-backlog-unauthorized'));
    throw new ApiError(
      res.status,
      p.code ?? 'ERROR',
      p.detail ?? p.title ?? res.statusText,
      p.errors ?? [],
    );
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Totals {
  count: number;
  amount: string | null;
  byCurrency: { currency: string; count: number; amount: string }[];
}

export interface BacklogPage<T> extends Page<T> {
  totals?: Totals;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  skipped?: boolean;
  status?: string;
  code?: string;
  message?: string;
}

/** Every page of a list (bounded), for pickers and the ageing chart. */
export async function getAll<T>(path: string, query: Query = {}, max = 5000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(path, { ...query, limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}
