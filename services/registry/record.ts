import { createHash, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { ed25519PublicKeyObject, EnlaceError, isEnlaceError, parseStrictJson, rawPublicKey, splitCompactJws, verifyCompactJws, type TrustStore } from '../../keys/index.js';
import { recordPayloadSchema, type Change, type RecordPayload } from './model.js';
import { today, validContact, validCountryProfile } from './validate.js';

/** `typ` of a registry record JWS. */
export const RECORD_TYP = 'enlace-registry-record+json';

/** `prev` of the first record of a country's log. */
export const GENESIS_PREV = '';

/** How far in the future a record's `at` may be (clock skew between nodes). */
const MAX_SKEW_MS = 5 * 60_000;

/** The chain hash of a record: base64url SHA-256 of its JWS compact serialization (ASCII). */
export function recordHash(jws: string): string {
  return createHash('sha256').update(jws, 'utf8').digest('base64url');
}

/**
 * Signs a record with the node's signing key: JWS compact, `alg: EdDSA`, `kid` = the
 * node's signing key id, `typ` = enlace-registry-record+json, payload = the record JSON.
 *
 * @example const jws = await signRecord(payload, { kid: set.signing.kid, privateKey: set.signing.privateKey });
 */
export async function signRecord(payload: RecordPayload, signer: { kid: string; privateKey: KeyObject }): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: RECORD_TYP }).sign(signer.privateKey);
}

/** A record that passed every check that does not depend on the log held so far. */
export interface VerifiedRecord {
  jws: string;
  hash: string;
  kid: string;
  payload: RecordPayload;
  /** The signing key has been revoked since (only reported when `historical`). */
  signedByRevokedKey: boolean;
}

export interface VerifyContext {
  networkId: string;
  trust: TrustStore;
  now: number;
  /** Re-checking records accepted earlier: a key revoked since is reported, not rejected. */
  historical?: boolean;
}

const reject = (code: 'ERR_REGISTRY_MALFORMED' | 'ERR_REGISTRY_SIGNATURE' | 'ERR_REGISTRY_REVOKED' | 'ERR_REGISTRY_WRONG_COUNTRY', detail: string, cause?: unknown) =>
  new EnlaceError(code, detail, { cause });

/** The country whose descriptor lists `kid` as a signing key, if any. */
function ownerOfKid(trust: TrustStore, kid: string): string | undefined {
  return trust.countries().find((c) => trust.descriptor(c)!.keys.some((k) => k.kid === kid && k.use === 'sig'));
}

function checkChange(change: Change, country: string, at: number): Change {
  const field = `changes[${change.id}]`;
  if (change.op === 'retire') return change;
  if (change.entry.country !== country) throw reject('ERR_REGISTRY_WRONG_COUNTRY', `entry ${change.id} is about ${change.entry.country}, signed by ${country}`);
  try {
    if (change.type === 'contact') {
      if (change.entry.id !== change.id) throw reject('ERR_REGISTRY_MALFORMED', `entry id ${change.entry.id} differs from change id ${change.id}`);
      return { ...change, entry: validContact(change.entry, field, today(at)) };
    }
    return { ...change, entry: validCountryProfile(change.entry, field) };
  } catch (e) {
    if (isEnlaceError(e) && e.code !== 'ERR_INVALID_ARGUMENT') throw e;
    throw reject('ERR_REGISTRY_MALFORMED', `invalid entry: ${(e as Error).message}`, e);
  }
}

/**
 * Verifies a record found at `log.<country>.<seq>`, in the order of docs/protocol.md
 * (Registry, "Verifying a record"). Throws EnlaceError with an ERR_REGISTRY_* code, or
 * ERR_UNKNOWN_NODE when no descriptor of `where.country` is held yet (the caller keeps the
 * record pending). Entries come back normalized.
 */
export async function verifyRecord(jws: string, where: { country: string; seq: number }, ctx: VerifyContext): Promise<VerifiedRecord> {
  // The profile of §6 (§17.4 step 1): canonical base64url, a header and a payload without
  // duplicate members, so no other reader sees another alg, kid or member.
  const split = splitCompactJws(jws);
  if (!split) throw reject('ERR_REGISTRY_MALFORMED', 'not a JWS compact serialization of the profile');
  const header = split.protectedHeader;
  if (header.typ !== RECORD_TYP) throw reject('ERR_REGISTRY_MALFORMED', `typ must be ${RECORD_TYP}`);
  if (header.alg !== 'EdDSA' || 'crit' in header) throw reject('ERR_REGISTRY_SIGNATURE', 'algorithm not allowed');
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const descriptor = ctx.trust.descriptor(where.country);
  const key = descriptor?.keys.find((k) => k.kid === kid && k.use === 'sig');
  if (!key) {
    const owner = ownerOfKid(ctx.trust, kid);
    if (owner) throw reject('ERR_REGISTRY_WRONG_COUNTRY', `record in ${where.country}'s log signed by ${owner}`);
    if (!descriptor) throw new EnlaceError('ERR_UNKNOWN_NODE', `no descriptor of ${where.country} yet`);
    throw reject('ERR_REGISTRY_SIGNATURE', `key ${kid} is not a signing key of ${where.country}`);
  }
  if (!verifyCompactJws(jws, ed25519PublicKeyObject(rawPublicKey(key.jwk)))?.verified) throw reject('ERR_REGISTRY_SIGNATURE', 'signature does not verify');
  let payload: RecordPayload;
  try {
    payload = recordPayloadSchema.parse(parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(split.payload)));
  } catch (e) {
    throw reject('ERR_REGISTRY_MALFORMED', 'payload does not match the record schema', e);
  }
  if (payload.networkId !== ctx.networkId) throw reject('ERR_REGISTRY_MALFORMED', 'record belongs to another network');
  if (payload.country !== where.country) throw reject('ERR_REGISTRY_WRONG_COUNTRY', `record about ${payload.country} in ${where.country}'s log`);
  if (payload.seq !== where.seq) throw reject('ERR_REGISTRY_MALFORMED', `record seq ${payload.seq} stored at seq ${where.seq}`);
  if (payload.at > ctx.now + MAX_SKEW_MS) throw reject('ERR_REGISTRY_MALFORMED', 'record is dated in the future');
  const inWindow = payload.at >= descriptor!.validFrom && payload.at < descriptor!.validUntil && payload.at >= key.notBefore && payload.at < key.notAfter;
  const revoked = descriptor!.status !== 'active' || key.status !== 'active';
  if (!inWindow) throw reject('ERR_REGISTRY_REVOKED', `key ${kid} was not valid at ${new Date(payload.at).toISOString()}`);
  if (revoked && !ctx.historical) throw reject('ERR_REGISTRY_REVOKED', `key ${kid} or node ${where.country} is ${key.status === 'active' ? descriptor!.status : key.status}`);
  const ids = new Set<string>();
  for (const c of payload.changes) {
    const id = `${c.type}:${c.id}`;
    if (ids.has(id)) throw reject('ERR_REGISTRY_MALFORMED', `entry ${c.id} changes twice in one record`);
    ids.add(id);
  }
  payload = { ...payload, changes: payload.changes.map((c) => checkChange(c, where.country, payload.at)) };
  return { jws, hash: recordHash(jws), kid, payload, signedByRevokedKey: revoked };
}
