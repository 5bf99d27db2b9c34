export { createAnchor, loadAnchor, pinAnchor, readPinnedAnchor, writePinnedAnchor, assertNetworkId } from './anchor.js';
export type { Anchor, PinnedAnchor } from './anchor.js';
export { describeNode, signDescriptor, verifyDescriptor, descriptorSchema, DESCRIPTOR_TYP } from './descriptor.js';
export type { NodeDescriptor, DescriptorKey, NodeStatus } from './descriptor.js';
export { b64u, fromB64u, hex, bytesEqual } from './encoding.js';
export { decodeB64uCanonical, splitCompactJws, verifyCompactJws } from './jws.js';
export type { CompactJws } from './jws.js';
export { parseStrictJson, StrictJsonError } from './strict-json.js';
export {
  ERROR_CATALOGUE,
  REJECTION_CODES,
  EnlaceError,
  EnvelopeRejectedError,
  InvalidArgumentError,
  isEnlaceError,
  isRejectionCode,
} from './errors.js';
export type { ErrorCode, RejectionCode } from './errors.js';
export {
  assertPrivateFiles,
  makePrivateDir,
  makePrivateFile,
  makePrivateSqliteFiles,
  prepareSqliteFile,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  sqliteFiles,
} from './file-modes.js';
export { publicJwk, thumbprint, ed25519PrivateKeyObject, ed25519PublicKeyObject, rawPublicKey } from './jwk.js';
export type { OkpPublicJwk, OkpCurve } from './jwk.js';
export { generateKeySetSecrets, keySetFromSecrets, signingKeyFromSeed } from './keyset.js';
export type { NodeKeySet, KeySetSecrets, SigningKey } from './keyset.js';
export { DEFAULT_KDF, decryptKeyFile, encryptKeyFile, parseKeyFile, readKeyFile, writeKeyFile } from './keystore.js';
export type { KdfStrength, KeyFile } from './keystore.js';
export { createNodeKeys, currentKeySet, loadNodeKeys, rotateNodeKeys, assertCountry } from './node-keys.js';
export type { NodeKeyring } from './node-keys.js';
export { getSodium } from './sodium.js';
export type { Sodium } from './sodium.js';
export { TrustStore } from './trust.js';
export type { EncryptionKey } from './trust.js';
export { ensureDemoNetwork, demoLayout } from './demo.js';
export type { DemoLayout } from './demo.js';
