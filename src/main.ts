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
import { buildApp } from './http/app.js';
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
  const app = await buildApp({
    db: database.db,
    databaseKind: database.kind,
    adminToken: config.ADMIN_TOKEN,
    logger: { level: config.LOG_LEVEL },
    webDir: DEFAULT_WEB_DIR,
  });
  if (!hasWebBuild(DEFAULT_WEB_DIR)) {
    app.log.warn('the web UI is not built (run `npm run build:web`); serving the API only');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
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
            'Restart with ADMIN_TOKEN=<at least 16 characters>, or stop the server and run ' +
            '`billing-backlog tokens create --name <who> --role admin` (the embedded database is locked while the server runs).'
        : 'no API token exists and ADMIN_TOKEN is not set, so every API call but health answers 401. ' +
            'Create one with `billing-backlog tokens create --name <who> --role admin --url <DATABASE_URL>`, ' +
            'or restart with ADMIN_TOKEN=<at least 16 characters>.',
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
