import { decodeOuter } from '../../envelope/index.js';
import type { ExchangeDeps } from '../deps.js';
import type { Outgoing } from '../seal-for.js';
import { sha256 } from '../seal-for.js';
import { applyErasure, applyErasureAnswer } from './apply-erasure.js';
import { applyReceipt } from './apply-receipt.js';
import { applyRequest } from './apply-request.js';
import { applyStep } from './apply-step.js';
import { seen } from './classify.js';
import type { Replies } from './replies.js';
import type { Verdict } from './verdict.js';

/** What applying needs, and what it leaves for after the commit. */
export interface ApplyContext {
  deps: ExchangeDeps;
  replies: Replies;
  /** Attachment objects whose content is committed now (their parts are deleted after commit). */
  discard: string[];
}

/**
 * Applies one verdict inside the caller's transaction; 'retry' when the message must be
 * redelivered and classified again (the gate found it replayed after classify saw it new).
 */
export function apply(ctx: ApplyContext, v: Verdict, bytes: Uint8Array): 'applied' | 'retry' {
  switch (v.type) {
    case 'retry':
      return 'retry';
    case 'rejected':
      quarantine(ctx, bytes, v.code, v.reply);
      return 'applied';
    case 'copy':
      answerCopy(ctx, v.id, v.sender);
      return 'applied';
    case 'request':
    case 'step':
    case 'receipt':
    case 'erasure':
    case 'erasure_answer': {
      const gate = seen(ctx.deps.store, v.opened.header.id, v.opened.sha256);
      if (gate === 'copy') {
        answerCopy(ctx, v.opened.header.id, v.opened.senderCountry);
        return 'applied';
      }
      if (gate === 'replay') return 'retry';
      switch (v.type) {
        case 'request':
          applyRequest(ctx, v, bytes);
          return 'applied';
        case 'step':
          applyStep(ctx, v, bytes);
          return 'applied';
        case 'receipt':
          applyReceipt(ctx, v, bytes);
          return 'applied';
        case 'erasure':
          return applyErasure(ctx, v, bytes);
        case 'erasure_answer':
          applyErasureAnswer(ctx, v, bytes);
          return 'applied';
        default: {
          const _exhaustive: never = v;
          return _exhaustive;
        }
      }
    }
    default: {
      const _exhaustive: never = v;
      return _exhaustive;
    }
  }
}

/**
 * The same envelope again (a re-send, or a replay of the same bytes): never applied twice;
 * its first reply goes back so that an honest sender stops re-sending.
 */
function answerCopy(ctx: ApplyContext, id: string, sender: string): void {
  const { store, clock } = ctx.deps;
  store.recordDuplicate(id, clock.now());
  const first = store.getDedup(id)?.receiptBytes;
  if (first) ctx.replies.resend(first, sender);
}

/**
 * Keeps a message that failed a check, visible to operators, and sends its signed rejection
 * if one was prepared (`refusal`: prepared in advance, so the rate limit applies here).
 */
export function quarantine(ctx: ApplyContext, bytes: Uint8Array, code: string, reply: Outgoing | undefined, refusal = false): void {
  const { store, clock, logger } = ctx.deps;
  const header = decodeOuter(bytes)?.header;
  const sent = ctx.replies.send(reply, refusal);
  store.quarantine({
    receivedAt: clock.now(),
    code,
    envelopeId: header?.id.slice(0, 64) ?? '',
    fromAddr: header?.from.slice(0, 64) ?? '',
    kind: header?.kind.slice(0, 64) ?? '',
    sha256: sha256(bytes),
    bytes,
    rejectionReceiptId: sent ? reply!.id : '',
  });
  logger.warn({ code, from: header?.from, id: header?.id }, 'inbound envelope quarantined');
}
