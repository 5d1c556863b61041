/** The one error type of Truce: a stable code the API maps to a status, and a message naming the field. */

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable'
  /** The database's disk is full: the write rolled back; retrying after space is freed succeeds. */
  | 'storage_full'
  | 'ledger_invalid'
  | 'internal';

export class TruceError extends Error {
  readonly code: ErrorCode;
  /** Dotted path of the offending input field, where there is one. */
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { field?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'TruceError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

export function isTruceError(error: unknown): error is TruceError {
  return error instanceof TruceError;
}
