/** Protocol constants of envelope v1 (docs/protocol.md). */
export const PROTOCOL_VERSION = 1;
export const DEFAULT_MAX_ENVELOPE_BYTES = 8 * 1024 * 1024;
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
export const DEFAULT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const CONTENT_KEY_BYTES = 32;
export const NONCE_BYTES = 24;

/** Message kinds carried in EnvelopeHeader.kind. */
export const KIND = {
  request: 'request',
  receipt: 'receipt',
  status: 'status',
  erasure: 'erasure',
  erasureAnswer: 'erasure_answer',
} as const;
export type EnvelopeKind = (typeof KIND)[keyof typeof KIND];

const ADDRESS = /^([A-Z]{2})(?:\/([a-z0-9][a-z0-9-]{0,62}))?$/;

/** Splits "AR" or "AR/slug" into its country and optional authority slug, or undefined if malformed. */
export function parseAddress(address: string): { country: string; authority?: string } | undefined {
  const m = ADDRESS.exec(address);
  if (!m) return undefined;
  return m[2] ? { country: m[1]!, authority: m[2] } : { country: m[1]! };
}

/** Envelope and request ids: UUIDv7, lower-case. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Other ids (attachments): any UUID, lower-case. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A lane epoch (docs/protocol.md §24): 16 random bytes in lower-case hex. */
export const LANE_EPOCH = /^[0-9a-f]{32}$/;
