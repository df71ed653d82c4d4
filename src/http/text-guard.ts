/**
 * PostgreSQL text cannot hold the NUL character; a string carrying one is refused up front,
 * with the field named, instead of failing deep in a query.
 */
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem.js';

function findNul(value: unknown, path: string, found: string[], depth = 0): void {
  if (found.length > 20 || depth > 8) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path || 'body');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  for (const [key, v] of entries) {
    if (key.includes('\u0000')) found.push(path ? `${path}.${key}` : key);
    findNul(v, path ? `${path}.${key}` : key, found, depth + 1);
  }
}

export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const found: string[] = [];
    findNul(request.body, '', found);
    findNul(request.query, '', found);
    findNul(request.params, '', found);
    if (found.length === 0) return;
    return sendProblem(
      reply,
      problem(
        400,
        'VALIDATION_FAILED',
        'text may not contain the NUL character',
        found.map((field) => ({ field, message: 'contains the NUL character' })),
      ),
    );
  });
}
