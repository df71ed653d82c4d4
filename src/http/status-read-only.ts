/**
 * R34: statuses change only through actions. A body that carries a status field is refused
 * with STATUS_READ_ONLY before any other validation (it takes precedence over the refusal
 * of unknown fields) and nothing changes.
 */
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem.js';

const STATUS_FIELDS = new Set([
  'billingStatus',
  'nteStatus',
  'headerStatus',
  'status',
  'nteFailedLevel',
]);

function findStatusFields(value: unknown, path: string, found: string[], depth = 0): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.slice(0, 1000).forEach((v, i) => findStatusFields(v, `${path}${i}.`, found, depth + 1));
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (STATUS_FIELDS.has(key)) found.push(`${path}${key}`);
    findStatusFields(v, `${path}${key}.`, found, depth + 1);
  }
}

export function installStatusReadOnly(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (!['POST', 'PATCH', 'PUT'].includes(request.method)) return;
    const found: string[] = [];
    findStatusFields(request.body, '', found);
    if (found.length === 0) return;
    return sendProblem(
      reply,
      problem(
        400,
        'STATUS_READ_ONLY',
        'statuses change only through actions (mark ready, invoice, confirm …), never by writing them',
        found.map((field) => ({ field, message: 'is read-only' })),
      ),
    );
  });
}
