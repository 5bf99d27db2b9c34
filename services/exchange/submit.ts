import { createHash } from 'node:crypto';
import { RequestBody } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual, EnlaceError, InvalidArgumentError } from '../../keys/index.js';
import { ATTACHMENT_PART_KIND, sealAttachments, type NewAttachmentInput } from '../attachments/index.js';
import { KIND, uuidv7 } from '../envelope/index.js';
import { refuseNamedPersons, typedForms } from '../requests/named-persons.js';
import { insertAttachments, type NewRequestRow, type RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { auditOverride, recordLinks, resolveLinks, type SubmitLinksInput, type Submitter } from './links.js';
import { sealOnLane } from './seal-for.js';

/** A submit after validation at the edge (services/grpc/validate.ts). */
export interface SubmitInput {
  toCountry: string;
  toAuthority: string;
  kind: string;
  subject: string;
  payload: Uint8Array;
  payloadType: string;
  idempotencyKey: string;
  senderReference: string;
  urgency: 'normal' | 'urgent';
  /** Documents, validated (services/attachments/rules.ts); encrypted, and their parts written to the outbox with the request. */
  attachments?: readonly NewAttachmentInput[];
  /** Case, parent request and use restrictions (docs/protocol.md §25), and who submits (an override is recorded under their name). */
  links?: SubmitLinksInput;
  by?: Submitter;
}

function requestHash(i: SubmitInput): Uint8Array {
  const h = createHash('sha256');
  for (const part of [i.toCountry, i.toAuthority, i.kind, i.subject, i.payloadType, i.senderReference, i.urgency]) {
    h.update(Buffer.from(part, 'utf8'));
    h.update(Buffer.from([0]));
  }
  h.update(i.payload);
  for (const a of i.attachments ?? []) {
    h.update(Buffer.from([0]));
    h.update(Buffer.from(`${a.fileName}\0${a.mediaType}\0`, 'utf8'));
    h.update(createHash('sha256').update(a.content).digest());
  }
  if (i.links) h.update(Buffer.from(`\0links\0${JSON.stringify([i.links.parentId, i.links.caseReference, i.links.handling, i.links.derivedFrom])}`, 'utf8'));
  return new Uint8Array(h.digest());
}

/** Fails INVALID_ARGUMENT on `field` when `country` is not an active node of this network. */
export function checkDestination(deps: ExchangeDeps, country: string, field = 'to_country'): void {
  try {
    deps.trust.encryptionKeys(country, deps.clock.now());
  } catch (e) {
    if (e instanceof EnlaceError && e.code === 'ERR_UNKNOWN_NODE') throw new InvalidArgumentError(field, `${country} is not an active node of this network`);
    throw e;
  }
}

/**
 * Seals a request and writes it with its outbox entry in one transaction. A submit whose
 * idempotency key was seen before returns the earlier request (created = false), or fails
 * if the key was used for different content.
 */
export async function submitRequest(deps: ExchangeDeps, input: SubmitInput): Promise<{ request: RequestRow; created: boolean }> {
  refuseNamedPersons('subject', input.subject, typedForms([{ bytes: input.payload, type: input.payloadType }]));
  const hash = requestHash(input);
  const earlier = () => {
    if (!input.idempotencyKey) return undefined;
    const found = deps.store.byIdempotencyKey(input.idempotencyKey);
    if (found && !bytesEqual(found.requestHash ?? new Uint8Array(), hash)) {
      throw new InvalidArgumentError('idempotency_key', 'was already used for a different request');
    }
    return found;
  };
  const before = earlier();
  if (before) return { request: before, created: false };

  // Checked before anything is uploaded: a destination that is not an active node is the caller's mistake.
  checkDestination(deps, input.toCountry);
  const links = input.links ? resolveLinks(deps, input.kind, input.toCountry, input.links) : undefined;
  const toAddr = input.toAuthority ? `${input.toCountry}/${input.toAuthority}` : input.toCountry;
  const now = deps.clock.now();
  const id = uuidv7(now);
  const uploaded = input.attachments?.length ? await sealAttachments(id, input.attachments) : undefined;
  const body = RequestBody.encode({
    requestKind: input.kind,
    toAuthority: input.toAuthority,
    subject: input.subject,
    payload: input.payload,
    payloadType: input.payloadType,
    senderReference: input.senderReference,
    urgency: input.urgency,
    attachments: uploaded?.refs ?? [],
    links: links?.signed,
  }).finish();
  const rowOf = (sealed: { bytes: Uint8Array; sha256: Uint8Array }): NewRequestRow => ({
    id,
    direction: 'outbound',
    fromAddr: deps.country,
    toAddr,
    counterpart: input.toCountry,
    kind: input.kind,
    subject: input.subject,
    payload: input.payload,
    payloadType: input.payloadType,
    senderReference: input.senderReference,
    status: 'submitted',
    failureReason: '',
    idempotencyKey: input.idempotencyKey || null,
    requestHash: hash,
    envelope: sealed.bytes,
    envelopeSha256: sealed.sha256,
    createdAt: now,
    updatedAt: now,
    urgency: input.urgency,
    stage: '',
    receivedAt: null,
    dueAt: null,
    pausedAt: null,
  });
  return deps.store.group(() => {
    const raced = earlier();
    if (raced) return { request: raced, created: false };
    // Sealed here, not before: its lane position (docs/protocol.md §24) is taken in the transaction that commits it.
    const sealed = sealOnLane(deps, toAddr, KIND.request, body, { id, now });
    const row = rowOf(sealed);
    deps.store.insertRequest(row);
    if (uploaded) insertAttachments(deps.store, row.id, uploaded.files);
    deps.store.addTimeline(row.id, 'submitted', now, `to ${toAddr}`, { code: 'submitted_to', params: { country: input.toCountry, authority: input.toAuthority } });
    recordLinks(deps, row, links?.signed, now, links?.caseTitle);
    if (links?.override) auditOverride(deps, row.id, input.toCountry, links.override, input.by ?? { subject: 'unknown', roles: [] }, now);
    // The parts first: the relay publishes in outbox order, so they reach the lane before the request
    // that names them, and they stay in the outbox (re-sent with it) until its receipt arrives.
    for (const part of uploaded?.parts ?? []) {
      deps.store.enqueue({ envelopeId: part.id, destination: input.toCountry, kind: ATTACHMENT_PART_KIND, bytes: part.bytes, expectsReceipt: true, nextAttemptAt: now });
    }
    deps.store.enqueue({ envelopeId: row.id, destination: input.toCountry, kind: KIND.request, bytes: sealed.bytes, expectsReceipt: true, nextAttemptAt: now });
    return { request: deps.store.getRequest(row.id)!, created: true };
  });
}
