/**
 * Configuration comes from environment variables, validated once at start with a clear
 * message per bad value.
 */
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  // Spec §5 front door: a guessable admin token defeats every other guard.
  ADMIN_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters (generate one: openssl rand -hex 32)')
    .optional(),
  DEMO: z.enum(['0', '1']).default('1'),
  /** Failed authentications allowed per client address per minute before 429 (spec §5). */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** After SIGTERM: keep serving (with /ready at 503) this long before closing. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** R97: invoice-run worker loops in the server process (0: leave jobs to `billing-backlog worker`). */
  JOB_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  /** Finished invoice-run jobs are kept this many days, then forgotten (0: kept for ever). */
  JOB_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
