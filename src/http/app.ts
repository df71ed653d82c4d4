/**
 * The HTTP application: validation by zod schemas (which also generate the OpenAPI
 * document), bearer auth, status read-only guard, idempotency, problem+json errors, and
 * one routes file per resource under /api/v1.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import { poolOf, type DialectPool } from '../db/unit-of-work.js';
import type { DB } from '../db/schema.js';
import { installAuth } from './auth.js';
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  installFrontDoor,
  type AuthFailureLimit,
} from './front-door.js';
import { installIdempotency } from './idempotency.js';
import { installProblemHandlers } from './problem.js';
import { installStatusReadOnly } from './status-read-only.js';
import { installTextGuard } from './text-guard.js';
import { actualRoutes } from './routes/actuals.js';
import { auditRoutes } from './routes/audit.js';
import { retainerBacklogRoutes } from './routes/backlog-retainers.js';
import { fixedPriceMilestoneBacklogRoutes } from './routes/backlog-milestones.js';
import { timeAndMaterialBacklogRoutes } from './routes/backlog-tm.js';
import { contractRoutes } from './routes/contracts.js';
import { contractChangeRoutes } from './routes/contract-changes.js';
import { meRoutes } from './routes/me.js';
import { entryImportRoutes } from './routes/entry-import.js';
import { customerRoutes } from './routes/customers.js';
import { einvoiceRoutes } from './routes/einvoice.js';
import type { RouteDeps } from './routes/deps.js';
import { entryRoutes } from './routes/entries.js';
import { healthRoutes } from './routes/health.js';
import { invoiceRetainerRoutes } from './routes/invoice-retainers.js';
import { invoiceRoutes } from './routes/invoices.js';
import { reportRoutes } from './routes/reports.js';
import { invoiceRunJobRoutes } from './routes/invoice-run-jobs.js';
import { startInvoiceRunWorker } from '../commands/invoiceRunWorker.js';
import { EMBEDDED_VACUUM_EVERY_MS, startEmbeddedVacuum } from '../db/embedded-vacuum.js';
import { invoiceDocumentRoutes } from './routes/invoice-documents.js';
import { retainerRoutes } from './routes/retainers.js';
import { taxCodeRoutes } from './routes/tax-codes.js';
import { settingsRoutes } from './routes/settings.js';
import { milestoneRoutes } from './routes/milestones.js';
import { tokenRoutes } from './routes/tokens.js';
import { hasWebBuild, installWebUi } from './web-ui.js';

export interface AppOptions {
  db: Kysely<DB>;
  databaseKind: DatabaseKind;
  /** The pool behind `db` (default: the one `openDatabase` registered for it). */
  pool?: DialectPool;
  adminToken?: string;
  logger?: FastifyServerOptions['logger'];
  /** Directory of the built web UI; served at / when it holds an index.html. */
  webDir?: string;
  /** Failed authentications allowed per client address (spec §5 front door). */
  authFailureLimit?: AuthFailureLimit;
  /** Take the client address from X-Forwarded-For (behind a reverse proxy). */
  trustProxy?: boolean;
  /** Set once SIGTERM arrives: /ready answers 503 and connections are closed after each answer. */
  lifecycle?: Lifecycle;
  /** R97: invoice-run worker loops in this process (default 0: none; the server runs 1). */
  jobWorkers?: number;
  /** How often an idle in-process worker looks for jobs queued by other processes. */
  jobPollMs?: number;
  /** Finished jobs older than this many days are forgotten by the worker (default 0: kept). */
  jobRetentionDays?: number;
  /**
   * Embedded database only: how often the server vacuums the tables every action rewrites
   * (src/db/embedded-vacuum.ts); default every ten minutes, 0 for never.
   */
  vacuumEveryMs?: number;
}

/** What the process tells the app about its own life (the drain, src/main.ts). */
export interface Lifecycle {
  draining: boolean;
}

const ONE_MIB = 1024 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: ONE_MIB,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: false } },
    trustProxy: options.trustProxy ?? false,
  });
  const lifecycle = options.lifecycle ?? { draining: false };
  // The drain: while draining, every answer tells the client to open a new connection
  // (to another instance, once /ready has taken this one out of the load balancer).
  // `Server-Timing`: the server's own time for the answer (until it is handed to the socket),
  // so a slow answer seen in the browser's devtools or a load test can be told apart from
  // time spent on the network or queued in the client.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (lifecycle.draining) reply.header('connection', 'close');
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    return payload;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // An empty body on a JSON request means "no body", not a parse error.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const err = error as Error & { statusCode?: number; code?: string };
      err.statusCode = 400;
      err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(err, undefined);
    }
  });

  const webUi =
    options.webDir && hasWebBuild(options.webDir)
      ? await installWebUi(app, options.webDir)
      : undefined;
  installProblemHandlers(app, webUi);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Billing backlog API',
        version: '1.0.0',
        description:
          'Time and material, fixed price milestones, retainers and invoices. See SPEC.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // A browsable reference generated from the same OpenAPI document; public like the document.
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  const failures = await installFrontDoor(
    app,
    options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT,
  );
  installAuth(app, options.db, failures, options.adminToken);
  installStatusReadOnly(app);
  installTextGuard(app);
  installIdempotency(app, options.db, options.pool ?? poolOf(options.db));

  // R97: the server works jobs itself; the drain stops it claiming, and close waits for the
  // contract in hand (after in-flight requests, before the database closes).
  const jobs =
    (options.jobWorkers ?? 0) > 0
      ? startInvoiceRunWorker(options.db, {
          concurrency: options.jobWorkers,
          pollMs: options.jobPollMs,
          retentionDays: options.jobRetentionDays,
          log: app.log,
          stopping: () => lifecycle.draining,
        })
      : undefined;
  if (jobs) app.addHook('onClose', () => jobs.stop());
  // PGlite has no autovacuum: the server vacuums what every action rewrites.
  const vacuumEveryMs = options.vacuumEveryMs ?? EMBEDDED_VACUUM_EVERY_MS;
  const vacuum =
    options.databaseKind === 'embedded' && vacuumEveryMs > 0
      ? startEmbeddedVacuum(options.db, { everyMs: vacuumEveryMs, log: app.log })
      : undefined;
  if (vacuum) app.addHook('onClose', () => vacuum.stop());
  const deps: RouteDeps = { db: options.db, databaseKind: options.databaseKind, lifecycle, jobs };
  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      for (const routes of [
        healthRoutes,
        customerRoutes,
        contractRoutes,
        contractChangeRoutes,
        meRoutes,
        entryImportRoutes,
        entryRoutes,
        actualRoutes,
        einvoiceRoutes,
        timeAndMaterialBacklogRoutes,
        retainerRoutes,
        retainerBacklogRoutes,
        milestoneRoutes,
        fixedPriceMilestoneBacklogRoutes,
        invoiceRoutes,
        invoiceRunJobRoutes,
        invoiceDocumentRoutes,
        invoiceRetainerRoutes,
        taxCodeRoutes,
        settingsRoutes,
        tokenRoutes,
        auditRoutes,
        reportRoutes,
      ]) {
        routes(api, deps);
      }
    },
    { prefix: '/api/v1' },
  );
  return app;
}
