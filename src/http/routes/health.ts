import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { problem, sendProblem } from '../problem.js';
import type { RouteDeps } from './deps.js';

export function healthRoutes(app: FastifyInstance, { db, databaseKind }: RouteDeps): void {
  // Liveness: the process answers.
  app.get('/health', { schema: { tags: ['operations'] } }, async () => ({ status: 'ok' }));
  // Readiness: the database answers too.
  app.get('/ready', { schema: { tags: ['operations'] } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(db);
      return { status: 'ready', database: databaseKind };
    } catch {
      return sendProblem(reply, problem(503, 'NOT_READY', 'the database does not answer'));
    }
  });
}
