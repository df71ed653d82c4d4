/**
 * Exit codes every command keeps, so scripts can tell a bad file from a busy database:
 * 0 done, 1 the work failed (bad rows, a refused action), 2 bad usage or configuration,
 * 3 the embedded database is in use by another process.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

/** A failure the CLI explains in one message and ends with a chosen exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
