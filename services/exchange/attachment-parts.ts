import type { JsMsg } from '@nats-io/jetstream';
import { MAX_ATTACHMENT_BYTES, PART_BYTES } from '../attachments/index.js';
import { dropParts, expireParts, isStorageFault, stagePart } from '../store/index.js';
import { ATTACHMENT_PART_HEADER, parseAttachmentPartId, senderOfSubject } from '../transport/index.js';
import type { ExchangeDeps } from './deps.js';

/**
 * Bytes of parts one sender may have waiting here for their requests. A lane delivers a
 * request's parts just before the request, so this holds a few requests' worth; past it a
 * part is dropped (the sender's re-send brings it again).
 */
export const MAX_STAGED_BYTES_PER_SENDER = 5 * MAX_ATTACHMENT_BYTES;

/** The part id a message carries when it is an attachment part, not an envelope. */
export function partIdOf(msg: JsMsg): string | undefined {
  return msg.headers?.get(ATTACHMENT_PART_HEADER) || undefined;
}

/**
 * Keeps the attachment parts of a batch (docs/protocol.md §18.4) in one transaction, then acks
 * them. A part of a request already accepted, a part that is not one (bad id, too large, off
 * its sender's lane) or one over its sender's allowance is acknowledged and not kept. Parts
 * older than an envelope lifetime go at the same time. Returns false when the commit failed
 * (the parts are redelivered); throws a storage fault (nothing acknowledged).
 */
export function stageParts(deps: ExchangeDeps, parts: readonly JsMsg[]): boolean {
  const { store, clock, logger, networkId, country, settings } = deps;
  const now = clock.now();
  let dropped = 0;
  try {
    store.tx(() => {
      expireParts(store, now - settings.envelopeTtlMs);
      for (const msg of parts) {
        const id = parseAttachmentPartId(partIdOf(msg) ?? '');
        const sender = senderOfSubject(networkId, country, msg.subject);
        if (!id || !sender || msg.data.byteLength === 0 || msg.data.byteLength > PART_BYTES || id.offset % PART_BYTES !== 0) {
          dropped++;
          continue;
        }
        if (store.getDedup(id.requestId)) continue;
        if (!stagePart(store, { sender, ...id, bytes: msg.data }, now, MAX_STAGED_BYTES_PER_SENDER)) dropped++;
      }
    });
  } catch (e) {
    if (isStorageFault(e)) throw e;
    logger.error({ err: e }, 'cannot keep attachment parts; they will be redelivered');
    for (const msg of parts) msg.nak(1_000);
    return false;
  }
  if (dropped > 0) logger.warn({ dropped }, "attachment parts dropped: malformed, off their lane or over their sender's allowance");
  for (const msg of parts) msg.ack();
  return true;
}

/** Deletes the parts of requests that are applied now (their content is in the store). */
export function partsApplied(deps: ExchangeDeps, objectNames: readonly string[]): void {
  const ids = new Set(objectNames.map((n) => n.split('/')[0]!));
  deps.store.tx(() => {
    for (const id of ids) dropParts(deps.store, id);
  });
}
