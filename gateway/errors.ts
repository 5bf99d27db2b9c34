import { ERROR_CATALOGUE, isEnlaceError, type ErrorCode } from '../keys/index.js';

/** The gateway's codes are the shared catalogue's (keys/errors.ts), ERR_CSRF and ERR_RATE_LIMITED included. */
export type GatewayErrorCode = ErrorCode;

/** Where a validation problem is: a form field and the dictionary key of its message. */
export interface FieldProblem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/**
 * An error the gateway shows to a person: a stable code, and what to say as dictionary
 * keys (never English text), so the page speaks the user's language.
 */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly messageKey: string;
  readonly params: Record<string, string | number>;
  readonly problems: FieldProblem[];
  constructor(code: GatewayErrorCode, messageKey: string, opts: { params?: Record<string, string | number>; problems?: FieldProblem[]; cause?: unknown } = {}) {
    super(`${code}: ${messageKey}`, { cause: opts.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.messageKey = messageKey;
    this.params = opts.params ?? {};
    this.problems = opts.problems ?? [];
  }
}

export function httpStatusOf(code: GatewayErrorCode): number {
  return ERROR_CATALOGUE[code].http;
}

/** Anything thrown becomes a GatewayError; unknown errors become ERR_INTERNAL (cause to the log only). */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  if (isEnlaceError(e)) return new GatewayError(e.code, `error.${e.code}`, { cause: e });
  return new GatewayError('ERR_INTERNAL', 'error.ERR_INTERNAL', { cause: e });
}
