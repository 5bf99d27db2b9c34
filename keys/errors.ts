/**
 * The one catalogue of stable error codes. It sits in the bottom layer so that every
 * layer (keys, services, gateway) throws the same codes; the gRPC and HTTP statuses
 * each code maps to are in this table too, as plain numbers, so that nothing here
 * depends on a transport library. Tests assert on `code`, never on message text.
 */
export const ERROR_CATALOGUE = {
  // Envelope rejections (normative, docs/protocol.md §7). gRPC 3 = INVALID_ARGUMENT.
  ERR_TOO_LARGE: { grpc: 3, http: 413, text: 'envelope exceeds the maximum size' },
  ERR_MALFORMED: { grpc: 3, http: 400, text: 'envelope cannot be decoded' },
  ERR_UNSUPPORTED_VERSION: { grpc: 3, http: 400, text: 'unsupported protocol version' },
  ERR_WRONG_NETWORK: { grpc: 3, http: 400, text: 'envelope belongs to another network' },
  ERR_EXPIRED: { grpc: 3, http: 400, text: 'envelope has expired' },
  ERR_NOT_YET_VALID: { grpc: 3, http: 400, text: 'envelope is dated in the future' },
  ERR_WRONG_RECIPIENT: { grpc: 3, http: 400, text: 'envelope is not addressed to this node' },
  ERR_UNKNOWN_KEY: { grpc: 3, http: 400, text: 'sender key is not known' },
  ERR_KEY_REVOKED: { grpc: 3, http: 400, text: 'sender key or node is revoked or suspended' },
  ERR_KEY_NOT_VALID: { grpc: 3, http: 400, text: 'sender key is outside its validity period' },
  ERR_DECRYPT: { grpc: 3, http: 400, text: 'envelope cannot be decrypted' },
  ERR_ALG_NOT_ALLOWED: { grpc: 3, http: 400, text: 'signature algorithm not allowed' },
  ERR_BAD_SIGNATURE: { grpc: 3, http: 400, text: 'signature does not verify' },
  ERR_HEADER_MISMATCH: { grpc: 3, http: 400, text: 'outer header differs from the signed copy' },
  ERR_REPLAY: { grpc: 6, http: 409, text: 'envelope id was already accepted' },
  // Exchange outcomes recorded on a request's timeline or in quarantine.
  ERR_RECEIPT_UNMATCHED: { grpc: 9, http: 409, text: 'receipt for an envelope this node did not send' },
  ERR_DELIVERY_HORIZON: { grpc: 4, http: 504, text: 'no receipt within the delivery horizon' },
  ERR_INVALID_TRANSITION: { grpc: 9, http: 409, text: 'that step is not allowed for this request now' },
  ERR_USE_RESTRICTED: { grpc: 9, http: 409, text: 'a use restriction of the information forbids this; an override needs a recorded reason' },
  ERR_ATTACHMENT_INVALID: { grpc: 3, http: 422, text: 'an attachment is missing, altered, or not an allowed document' },
  ERR_LANE_MISMATCH: { grpc: 3, http: 400, text: 'envelope names another sender than the broker lane it arrived on' },
  ERR_CONTENT_INVALID: { grpc: 3, http: 422, text: 'content from another state breaks a field rule of the network' },
  // Keys and trust. gRPC 9 = FAILED_PRECONDITION.
  ERR_BAD_PASSPHRASE: { grpc: 9, http: 500, text: 'the key passphrase is wrong' },
  ERR_KEYSTORE_FORMAT: { grpc: 9, http: 500, text: 'the key file is not an Enlace key file' },
  ERR_FILE_PERMISSIONS: { grpc: 9, http: 500, text: 'a key or database file can be read by other users' },
  ERR_DESCRIPTOR_INVALID: { grpc: 3, http: 400, text: 'node descriptor rejected' },
  ERR_UNKNOWN_NODE: { grpc: 5, http: 404, text: 'no trusted descriptor for that node' },
  // Registry of contact points (docs/protocol.md, Registry). Record rejections are stored, never shown.
  ERR_REGISTRY_MALFORMED: { grpc: 3, http: 400, text: 'registry record is not in the registry format' },
  ERR_REGISTRY_SIGNATURE: { grpc: 3, http: 400, text: 'registry record signature does not verify' },
  ERR_REGISTRY_REVOKED: { grpc: 3, http: 400, text: 'registry record signed by a revoked, suspended or expired key' },
  ERR_REGISTRY_WRONG_COUNTRY: { grpc: 3, http: 400, text: 'registry record about another country than its signer' },
  ERR_REGISTRY_STALE: { grpc: 9, http: 409, text: 'registry record would replace a newer version with an older one' },
  ERR_REGISTRY_CHAIN: { grpc: 9, http: 409, text: "registry record does not extend its country's hash chain" },
  ERR_REGISTRY_CONFLICT: { grpc: 10, http: 409, text: 'the entry changed meanwhile; read it again and retry' },
  ERR_REGISTRY_UNRESOLVED: { grpc: 5, http: 404, text: 'no competent contact point found in the registry' },
  // Network statistics: aggregate records (docs/protocol.md §27.4)
  ERR_STATS_MALFORMED: { grpc: 3, http: 400, text: 'aggregate record is not in the statistics record format' },
  ERR_STATS_SIGNATURE: { grpc: 3, http: 400, text: 'aggregate record signature does not verify, or its key was not valid when it signed' },
  ERR_STATS_WRONG_COUNTRY: { grpc: 3, http: 400, text: 'aggregate record about another country than its signer' },
  ERR_STATS_DISCLOSIVE: { grpc: 3, http: 400, text: 'aggregate record shows a small count, or one that can be worked out from its totals' },
  // API.
  ERR_INVALID_ARGUMENT: { grpc: 3, http: 400, text: 'invalid argument' },
  ERR_UNAUTHENTICATED: { grpc: 16, http: 401, text: 'authentication required' },
  ERR_PERMISSION_DENIED: { grpc: 7, http: 403, text: 'permission denied' },
  ERR_NOT_FOUND: { grpc: 5, http: 404, text: 'not found' },
  ERR_CONFIG: { grpc: 9, http: 500, text: 'configuration error' },
  ERR_UNAVAILABLE: { grpc: 14, http: 503, text: 'service unavailable' },
  // gRPC 8 = RESOURCE_EXHAUSTED, HTTP 507 = Insufficient Storage.
  ERR_STORAGE_FULL: { grpc: 8, http: 507, text: 'the node cannot store anything now (its disk is full or failing): nothing was recorded or sent; try again once an operator has freed space' },
  // Gateway (HTTP only): a failed CSRF check, too many sign-in attempts.
  ERR_CSRF: { grpc: 7, http: 403, text: 'the form is stale or came from another site' },
  ERR_RATE_LIMITED: { grpc: 8, http: 429, text: 'too many attempts; wait and try again' },
  ERR_INTERNAL: { grpc: 13, http: 500, text: 'internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Codes an envelope can be rejected with; the order of checks is in docs/protocol.md. */
export const REJECTION_CODES = [
  'ERR_TOO_LARGE',
  'ERR_MALFORMED',
  'ERR_UNSUPPORTED_VERSION',
  'ERR_WRONG_NETWORK',
  'ERR_EXPIRED',
  'ERR_NOT_YET_VALID',
  'ERR_WRONG_RECIPIENT',
  'ERR_UNKNOWN_KEY',
  'ERR_KEY_REVOKED',
  'ERR_KEY_NOT_VALID',
  'ERR_DECRYPT',
  'ERR_ALG_NOT_ALLOWED',
  'ERR_BAD_SIGNATURE',
  'ERR_HEADER_MISMATCH',
  'ERR_REPLAY',
] as const satisfies readonly ErrorCode[];

export type RejectionCode = (typeof REJECTION_CODES)[number];

export function isRejectionCode(code: string): code is RejectionCode {
  return (REJECTION_CODES as readonly string[]).includes(code);
}

/** Base class: every error Enlace raises on purpose carries a stable code. */
export class EnlaceError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERROR_CATALOGUE[code].text, options);
    this.code = code;
    this.name = 'EnlaceError';
  }
}

/**
 * An envelope failed `open`. The message is the generic catalogue text: the caller
 * learns "rejected" and the code, nothing else (detail goes to a debug log).
 */
export class EnvelopeRejectedError extends EnlaceError {
  declare readonly code: RejectionCode;
  constructor(code: RejectionCode) {
    super(code, `envelope rejected: ${code}`);
    this.name = 'EnvelopeRejectedError';
  }
}

/** One broken rule of one field: what a client shows next to that field. */
export interface FieldViolation {
  /** Proto field path, e.g. "typed.mla.measures[1].code". */
  readonly field: string;
  /** English sentence after the field name, for logs and API users ("must not be empty"). */
  readonly description: string;
  /** Stable snake_case id of the rule (services/requests/violations.ts), '' when none. */
  readonly rule: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Input that fails validation; the message names the field. `rule` (optional, a stable
 * snake_case id) names the rule broken where a client shows its own text for it, and
 * `params` what that text needs (`{ max: '200' }`). `violations` lists every field that
 * failed when the whole input was checked at once, this error's own first.
 */
export class InvalidArgumentError extends EnlaceError {
  readonly field: string;
  readonly rule: string;
  readonly params: Readonly<Record<string, string>>;
  readonly violations: readonly FieldViolation[];
  constructor(field: string, message: string, rule = '', params: Record<string, string> = {}, more: readonly FieldViolation[] = []) {
    super('ERR_INVALID_ARGUMENT', `${field} ${message}`);
    this.field = field;
    this.rule = rule;
    this.params = params;
    this.violations = [{ field, description: message, rule, params }, ...more];
    this.name = 'InvalidArgumentError';
  }

  /** One error for several violations (at least one); the first names the error. */
  static of(violations: readonly FieldViolation[]): InvalidArgumentError {
    const [first, ...more] = violations;
    if (!first) throw new TypeError('InvalidArgumentError.of needs a violation');
    return new InvalidArgumentError(first.field, first.description, first.rule, { ...first.params }, more);
  }
}

export function isEnlaceError(e: unknown): e is EnlaceError {
  return e instanceof EnlaceError;
}
