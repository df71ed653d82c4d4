/**
 * The front door (spec §5): security headers on every response, and failed
 * authentications rate limited per client address.
 *
 * Headers come from @fastify/helmet: `X-Content-Type-Options: nosniff`, a content security
 * policy with `frame-ancestors 'none'` that the built web UI and the API reference
 * (/api/docs) pass, `Referrer-Policy: no-referrer`. HSTS is left to the TLS-terminating
 * proxy: this server speaks plain HTTP.
 *
 * Failed authentications are counted per client address with @fastify/rate-limit's store;
 * an address over its limit is answered 429 with `Retry-After` before its token is even
 * looked at, so a guesser cannot tell a right token from a wrong one while refused.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface AuthFailureLimit {
  /** Failed authentications allowed per address within the window. */
  max: number;
  timeWindowMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = { max: 20, timeWindowMs: 60_000 };

/** Counts failed authentications per client address. */
export interface AuthFailures {
  /** Seconds to wait when the address is over its limit, else undefined (counts nothing). */
  blockedFor(request: FastifyRequest): Promise<number | undefined>;
  /** Counts one failure; the seconds to wait when this one passed the limit. */
  record(request: FastifyRequest): Promise<number | undefined>;
}

export async function installFrontDoor(
  app: FastifyInstance,
  limit: AuthFailureLimit,
): Promise<AuthFailures> {
  await app.register(helmet, (instance) => {
    const swaggerCsp = (
      instance as unknown as { swaggerCSP?: { script: string[]; style: string[] } }
    ).swaggerCSP ?? { script: [], style: [] };
    return {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'", ...swaggerCsp.script],
          'style-src': ["'self'", "'unsafe-inline'", ...swaggerCsp.style],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          // Plain-HTTP installations (an intranet address) must not be told to upgrade.
          'upgrade-insecure-requests': null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' as const },
      strictTransportSecurity: false,
    };
  });
  await app.register(rateLimit, { global: false });
  const check = app.createRateLimit({
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: (request) => request.ip,
  });
  return {
    async blockedFor(request) {
      const state = await check(request, { increment: false });
      return state.isAllowed || state.remaining > 0 ? undefined : Math.max(1, state.ttlInSeconds);
    },
    async record(request) {
      const state = await check(request);
      return state.isAllowed || !state.isExceeded ? undefined : Math.max(1, state.ttlInSeconds);
    },
  };
}
