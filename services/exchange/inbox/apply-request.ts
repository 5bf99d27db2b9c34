import { KIND, parseAddress } from '../../envelope/index.js';
import { insertAttachments, type NewRequestRow } from '../../store/index.js';
import { recordLinks } from '../links.js';
import { scheduleOnArrival } from '../schedule.js';
import type { ApplyContext } from './apply.js';
import { releaseHeld } from './apply-step.js';
import type { Verdict } from './verdict.js';

/** A new request from a peer: stored with its de-duplication record and its receipt, in one transaction. */
export function applyRequest(ctx: ApplyContext, v: Extract<Verdict, { type: 'request' }>, bytes: Uint8Array): void {
  const { store, clock, country } = ctx.deps;
  const { header, sha256: digest, senderCountry } = v.opened;
  const now = clock.now();
  const row: NewRequestRow = {
    id: header.id,
    direction: 'inbound',
    fromAddr: header.from,
    toAddr: header.to.find((r) => parseAddress(r.address)?.country === country)?.address ?? country,
    counterpart: senderCountry,
    kind: v.body.requestKind,
    subject: v.body.subject,
    payload: v.body.payload,
    payloadType: v.body.payloadType,
    senderReference: v.body.senderReference,
    status: 'received',
    failureReason: '',
    idempotencyKey: null,
    requestHash: null,
    envelope: bytes,
    envelopeSha256: digest,
    createdAt: header.createdAt,
    updatedAt: now,
    urgency: v.body.urgency === 'urgent' ? 'urgent' : 'normal',
    stage: '',
    receivedAt: null,
    dueAt: null,
    pausedAt: null,
  };
  store.insertDedup(header.id, digest, senderCountry, KIND.request, now, v.accept.bytes);
  store.insertRequest(row);
  insertAttachments(store, header.id, v.attachments);
  recordLinks(ctx.deps, row, v.body.links, now);
  ctx.discard.push(...v.body.attachments.map((a) => a.objectName));
  scheduleOnArrival(ctx.deps, store.getRequest(header.id)!, v.acceptedAt);
  store.addTimeline(header.id, 'received', now, `from ${header.from}, signature verified (key ${header.senderKeyId.slice(0, 8)}…)`, {
    code: 'received_from',
    params: { country: header.from.slice(0, 2), key_id: header.senderKeyId },
  });
  ctx.replies.send(v.accept);
  // Proposals of the requesting state that arrived before the request itself.
  releaseHeld(ctx, header.id);
}
