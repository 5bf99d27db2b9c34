export { seal } from './seal.js';
export type { SealInput, SealRecipient, Sealed } from './seal.js';
export { open, decodeOuter } from './open.js';
export type { KeyResolver, OpenContext, Opened } from './open.js';
export { sealReceipt, readReceipt, encodeReceipt } from './receipt.js';
export type { ReceiptFacts } from './receipt.js';
export { sealTo, openSealed } from './sealed-box.js';
export { uuidv7 } from './uuid.js';
export {
  PROTOCOL_VERSION,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_TTL_MS,
  MAX_FUTURE_SKEW_MS,
  KIND,
  UUID,
  UUID_V7,
  parseAddress,
} from './wire.js';
export type { EnvelopeKind } from './wire.js';
