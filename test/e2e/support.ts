/**
 * Browser tests against the real server: `tsx src/main.ts` on a free port with a fresh
 * DATA_DIR and DEMO=0, driven by the system Chromium through playwright-core (no browser
 * download). The web UI is built first when web/dist is missing or stale.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Per browser test: a stuck page fails the test instead of holding CI. */
export const E2E_TIMEOUT = { timeout: 180_000 };
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Server {
  url: string;
  api<T = any>(
    method: string,
    urlPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Runs on the fresh DATA_DIR before the server starts (the embedded database admits one
   * process at a time), e.g. to load a large data set by SQL.
   */
  prepareDataDir?: (dataDir: string) => Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<Server> {
  const build = spawnSync(process.execPath, ['scripts/build-web-if-missing.mjs'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('web UI build failed');
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bb-e2e-'));
  try {
    await options.prepareDataDir?.(dataDir);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const child: ChildProcess = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      DEMO: '0',
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not start in 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async api(method, urlPath, body) {
      const res = await fetch(`${url}/api/v1${urlPath}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        // A server that does not finish shutting down in 15 s is killed, never left behind.
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page signed in with the admin token (the UI keeps it in localStorage). */
export async function signedInPage(
  browser: Browser,
  server: Server,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  // Spec §5: the UI must work under the server's content security policy; the browser
  // reports every blocked script, style or request on the console.
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${server.url}/backlog`);
  await page.getByLabel('API token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Billing backlog' }).waitFor();
  if (violations.length > 0) throw new Error(`CSP violations: ${violations.join('\n')}`);
  return page;
}

/** Screenshots for docs/screenshots/, taken only when UPDATE_SCREENSHOTS=1 (docs/WEB-UI.md). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await page.screenshot({
    path: path.join(root, 'docs/screenshots', `${name}.png`),
    fullPage: true,
  });
}

export interface E2eSession {
  server: Server;
  browser: Browser;
}

/**
 * A fresh server and browser for one test file, started before its tests and stopped after;
 * `seed` runs once both are up (`options.prepareDataDir` before the server starts).
 */
export function e2eSession(
  seed?: (session: E2eSession) => Promise<void>,
  options: ServerOptions = {},
): E2eSession {
  const session = {} as E2eSession;
  before(async () => {
    session.server = await startServer(options);
    session.browser = await launchBrowser();
    await seed?.(session);
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}

/** Awaits an API call made by a test and checks its status, answering the body. */
export async function ok<T = any>(
  res: Promise<{ status: number; body: T }>,
  status: number,
): Promise<T> {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
