/**
 * The one error handler: every failure leaves as application/problem+json with a stable
 * `code` (spec §5). Domain errors carry their code; only here do they get a status number.
 * Unexpected errors are logged and answered without internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  DomainError,
  MalformedInputError,
  type ErrorCode,
  type FieldError,
} from '../domain/errors.js';
import { pgErrorCode } from '../db/transaction.js';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 422,
  NOT_FOUND: 404,
  STATUS_READ_ONLY: 400,
  INVALID_TRANSITION: 409,
  NTE_FAILED: 409,
  NTE_NOT_EVALUATED: 409,
  INVOICE_CONFIRMED: 409,
  RETAINER_OVER_AVAILABLE: 422,
  MILESTONE_ON_TM_LINE: 422,
  CONFLICT: 409,
  TAX_CODE_IN_USE: 409,
  EINVOICE_INCOMPLETE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `https://billing-backlog.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** Names the failing field by its path; unknown keys are each named. */
function fieldNames(instancePath: string, params: Record<string, unknown>): string[] {
  const base = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const keys = params.keys;
  if (Array.isArray(keys) && keys.length > 0) {
    return keys.map((k) => [base, String(k)].filter(Boolean).join('.'));
  }
  return [base || 'body'];
}

/**
 * `notFoundFallback` lets the web UI answer paths outside the API with its page; it returns
 * false for everything it leaves to the problem+json 404.
 */
export function installProblemHandlers(
  app: FastifyInstance,
  notFoundFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setNotFoundHandler((request, reply) => {
    if (notFoundFallback?.(request, reply)) return reply;
    return sendProblem(
      reply,
      problem(404, 'NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`),
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      // Malformed input (a forged cursor) is a schema error wherever it is found: 400.
      const status = error instanceof MalformedInputError ? 400 : STATUS[error.code];
      return sendProblem(reply, problem(status, error.code, error.message, error.errors));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.flatMap((v) =>
        fieldNames(v.instancePath, v.params as Record<string, unknown>).map((field) => ({
          field,
          message: v.message ?? 'is invalid',
        })),
      );
      return sendProblem(
        reply,
        problem(400, 'VALIDATION_FAILED', 'the request is not valid', errors),
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(
          reply,
          problem(413, 'PAYLOAD_TOO_LARGE', 'the request body is over 1 MiB'),
        );
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(
          reply,
          problem(400, 'VALIDATION_FAILED', 'the request body is not valid JSON', [
            { field: 'body', message: error.message },
          ]),
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(
          reply,
          problem(415, 'VALIDATION_FAILED', 'send the request body as application/json', [
            { field: 'body', message: 'must be application/json' },
          ]),
        );
    }
    if (pgErrorCode(error) === '23505') {
      return sendProblem(
        reply,
        problem(409, 'CONFLICT', 'the change conflicts with another one; reload and try again'),
      );
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, problem(error.statusCode, 'VALIDATION_FAILED', error.message));
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(
      reply,
      problem(500, 'INTERNAL', 'an unexpected error occurred; it has been logged'),
    );
  });
}
