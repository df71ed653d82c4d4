import type { FastifyInstance } from 'fastify';
import { databaseAnswers } from '../../repositories/health.js';
import { problem, sendProblem } from '../problem.js';
import type { RouteDeps } from './deps.js';

export function healthRoutes(
  app: FastifyInstance,
  { db, databaseKind, lifecycle }: RouteDeps,
): void {
  // Liveness: the process answers.
  app.get('/health', { schema: { tags: ['operations'] } }, async () => ({ status: 'ok' }));
  // Readiness: the database answers too, and the process is not draining (SIGTERM), so a
  // load balancer stops sending new work here at once while in-flight work finishes.
  app.get('/ready', { schema: { tags: ['operations'] } }, async (_request, reply) => {
    if (lifecycle.draining) {
      return sendProblem(reply, problem(503, 'NOT_READY', 'the server is shutting down'));
    }
    if (!(await databaseAnswers(db))) {
      return sendProblem(reply, problem(503, 'NOT_READY', 'the database does not answer'));
    }
    return { status: 'ready', database: databaseKind };
  });
}
