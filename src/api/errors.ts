/** The single table from error codes to HTTP statuses, and the handler that keeps stack traces from clients. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, TruceError } from '../domain/errors.ts';
import { fieldOf } from '../record/parse.ts';
import { translateDbError } from '../record/transaction.ts';

export const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  // 507 Insufficient Storage (RFC 4918): the server cannot store what the request needs.
  storage_full: 507,
  ledger_invalid: 500,
  internal: 500,
};

export type ErrorBody = { error: { code: ErrorCode; message: string; field?: string; details?: unknown } };

function body(error: TruceError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.details ? { details: error.details } : {}),
    },
  };
}

export function errorHandler(raw: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let error: unknown = translateDbError(raw);
  if (hasZodFastifySchemaValidationErrors(raw)) {
    const issues = raw.validation.map((v) => {
      const path = v.instancePath
        .split('/')
        .filter(Boolean)
        .map((part: string) => (/^\d+$/.test(part) ? Number(part) : part));
      // Fields are named as the client sent them: `figures[0].value`, `bbox`, not `body/figures/0/value`.
      const field = fieldOf(path);
      return { field: field || (raw.validationContext ?? 'body'), message: v.message ?? 'is invalid' };
    });
    const first = issues[0]!;
    error = new TruceError('invalid_input', `${first.field}: ${first.message}`, {
      field: first.field,
      details: issues,
    });
  } else if (!(error instanceof TruceError)) {
    const status = raw.statusCode ?? 500;
    if (status === 413) error = new TruceError('too_large', 'request body is larger than the 1 MiB limit');
    else if (status === 415) error = new TruceError('invalid_input', 'content-type must be application/json');
    else if (status >= 400 && status < 500) error = new TruceError('invalid_input', raw.message);
    else {
      request.log.error({ err: raw }, 'unhandled error');
      error = new TruceError('internal', 'internal error; the server log has the details');
    }
  }
  const truceError = error as TruceError;
  if (STATUS[truceError.code] >= 500) request.log.error({ err: raw }, truceError.message);
  return reply.status(STATUS[truceError.code]).send(body(truceError));
}
