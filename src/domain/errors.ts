/**
 * Domain errors are values with a stable `code`; only the HTTP edge maps them to status numbers.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'STATUS_READ_ONLY'
  | 'INVALID_TRANSITION'
  | 'NTE_FAILED'
  | 'NTE_NOT_EVALUATED'
  | 'INVOICE_CONFIRMED'
  | 'RETAINER_OVER_AVAILABLE'
  | 'MILESTONE_ON_TM_LINE'
  | 'CONFLICT'
  | 'TAX_CODE_IN_USE'
  | 'EINVOICE_INCOMPLETE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE';

export interface FieldError {
  /** Dotted path of the failing field, e.g. `customers.1.billingSplitPercent`. */
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * Input that is not well formed (a cursor this API never gave out), as against well-formed
 * input that breaks a rule. Still `VALIDATION_FAILED`; the HTTP edge answers it like any
 * other schema error (400), so a malformed cursor gets one status on every list.
 */
export class MalformedInputError extends DomainError {
  constructor(field: string, message: string) {
    super('VALIDATION_FAILED', message, [{ field, message: 'is malformed' }]);
    this.name = 'MalformedInputError';
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError('NOT_FOUND', `${what} ${id} does not exist`);

export const invalid = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, [{ field, message }]);

export const invalidTransition = (message: string) =>
  new DomainError('INVALID_TRANSITION', message);
