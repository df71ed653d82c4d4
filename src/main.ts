/**
 * `npm start`: opens the database (embedded PGlite unless DATABASE_URL is set), applies
 * migrations, loads the demo data on an empty database unless DEMO=0, and serves the API and
 * the web UI (web/dist).
 */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { DataDirLockedError } from './db/lockfile.js';
import { migrateToLatest } from './db/migrate.js';
import { loadDemoData } from './demo/demo-data.js';
import { buildApp, type Lifecycle } from './http/app.js';
import { hasActiveToken } from './repositories/tokens.js';
import { DEFAULT_WEB_DIR, hasWebBuild } from './http/web-ui.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
  });
  await migrateToLatest(database.db as never);
  if (config.DEMO === '1') await loadDemoData(database.db);
  const lifecycle: Lifecycle = { draining: false };
  const app = await buildApp({
    db: database.db,
    databaseKind: database.kind,
    adminToken: config.ADMIN_TOKEN,
    logger: { level: config.LOG_LEVEL },
    webDir: DEFAULT_WEB_DIR,
    authFailureLimit: { max: config.AUTH_FAILURES_PER_MINUTE, timeWindowMs: 60_000 },
    trustProxy: config.TRUST_PROXY === '1',
    lifecycle,
    jobWorkers: config.JOB_WORKERS,
    jobRetentionDays: config.JOB_RETENTION_DAYS,
  });
  if (!hasWebBuild(DEFAULT_WEB_DIR)) {
    app.log.warn('the web UI is not built (run `npm run build:web`); serving the API only');
  }

  // The drain: /ready answers 503 at once so the load balancer stops sending work; the
  // server keeps answering (with `Connection: close`) for the grace period, then stops
  // accepting, finishes what is in flight and closes the database.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.draining = true;
    app.log.info(
      { signal, graceMs: signal === 'SIGTERM' ? config.SHUTDOWN_GRACE_MS : 0 },
      'draining: /ready answers 503; serving until the grace period ends',
    );
    // SIGINT is Ctrl-C at a terminal: nobody routes traffic here, so no grace period.
    const grace = signal === 'SIGTERM' ? config.SHUTDOWN_GRACE_MS : 0;
    await new Promise((resolve) => setTimeout(resolve, grace));
    app.log.info('shutting down: finishing in-flight requests and the job contract in hand');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(
    {
      database: database.kind,
      dataDir: database.kind === 'embedded' ? config.DATA_DIR : undefined,
    },
    `billing backlog serving on http://localhost:${config.PORT}/ (API under /api/v1)`,
  );
  if (!config.ADMIN_TOKEN && !(await hasActiveToken(database.db))) {
    app.log.warn(
      database.kind === 'embedded'
        ? 'no API token exists and ADMIN_TOKEN is not set, so every API call but health answers 401. ' +
            'Restart with ADMIN_TOKEN=$(openssl rand -hex 32), or stop the server and run ' +
            '`billing-backlog tokens create --name <who> --role admin` (the embedded database is locked while the server runs).'
        : 'no API token exists and ADMIN_TOKEN is not set, so every API call but health answers 401. ' +
            'Create one with `billing-backlog tokens create --name <who> --role admin --url <DATABASE_URL>`, ' +
            'or restart with ADMIN_TOKEN=$(openssl rand -hex 32).',
    );
  }
}

main().catch((error: unknown) => {
  // Exit 2 for configuration, as the CLI does for bad usage; 1 for anything else.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(3);
  }
  console.error(error);
  process.exit(1);
});
