import { ERROR_CATALOGUE, isEnlaceError, type ErrorCode } from '../keys/index.js';

/**
 * Codes the gateway adds to the shared catalogue (keys/errors.ts) for what only HTTP has:
 * a failed CSRF check and login rate limiting.
 */
const GATEWAY_CODES = {
  ERR_CSRF: { http: 403 },
  ERR_RATE_LIMITED: { http: 429 },
} as const;

export type GatewayErrorCode = ErrorCode | keyof typeof GATEWAY_CODES;

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
  return code in GATEWAY_CODES ? GATEWAY_CODES[code as keyof typeof GATEWAY_CODES].http : ERROR_CATALOGUE[code as ErrorCode].http;
}

/** Anything thrown becomes a GatewayError; unknown errors become ERR_INTERNAL (cause to the log only). */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  if (isEnlaceError(e)) return new GatewayError(e.code, `error.${e.code}`, { cause: e });
  return new GatewayError('ERR_INTERNAL', 'error.ERR_INTERNAL', { cause: e });
}
