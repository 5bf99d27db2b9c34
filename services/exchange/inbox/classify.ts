import { ErasureAnswer, ErasureRequest, RequestBody, StatusUpdate } from '../../../generated/enlace/v1/envelope.js';
import { bytesEqual, EnvelopeRejectedError } from '../../../keys/index.js';
import { receiveAttachments } from '../../attachments/index.js';
import { decodeOuter, KIND, MAX_FUTURE_SKEW_MS, open, parseAddress, readReceipt, UUID_V7, type Opened } from '../../envelope/index.js';
import { checkReceivedRequest, checkReceivedStep, problemOf } from '../../requests/content-rules.js';
import { receivedLinksProblem } from '../../requests/links.js';
import { assembledParts, envelopeIdInUse, type AttachmentFile, type Store } from '../../store/index.js';
import { senderOfSubject } from '../../transport/index.js';
import type { ExchangeDeps } from '../deps.js';
import { sha256 } from '../seal-for.js';
import { VICTIM_IDENTITY } from '../withdraw-consent.js';
import type { Replies } from './replies.js';
import type { NodeRejectionCode, Verdict } from './verdict.js';

/** What the de-duplication record says of an envelope id: unseen, the same bytes again, or other bytes under a used id. */
export type Seen = 'new' | 'copy' | 'replay';

/**
 * The one de-duplication gate: every inbound envelope id is accepted once, forever, and an
 * id this node already uses for something else (one of its own requests, steps, receipts)
 * is a replay too, never a second row under one id.
 */
export function seen(store: Store, id: string, digest: Uint8Array): Seen {
  const row = store.getDedup(id);
  if (!row) return envelopeIdInUse(store, id) ? 'replay' : 'new';
  return bytesEqual(row.sha256, digest) ? 'copy' : 'replay';
}

/**
 * Decides what one inbound message is, without writing anything: opens and verifies it,
 * checks its content, fetches its attachments, and seals the replies its application may
 * need. The transaction that applies the verdict asks the same gate again (`seen`), so
 * two copies in one batch are applied once. An envelope held for its lane's turn (§24) is
 * classified again when released, and checked as of `receivedAt`, when it arrived.
 */
export async function classify(deps: ExchangeDeps, replies: Replies, bytes: Uint8Array, subject: string, receivedAt?: number): Promise<Verdict> {
  const rejected = async (code: NodeRejectionCode, detail?: string): Promise<Verdict> => {
    if (detail) deps.logger.info({ code, detail, subject }, 'inbound content refused');
    return { type: 'rejected', code, bytes, reply: await replies.rejection(bytes, code, detail) };
  };
  const header = decodeOuter(bytes)?.header;
  const digest = sha256(bytes);
  if (header) {
    const sender = parseAddress(header.from)?.country;
    // The broker lets only a sender's own account publish on its lane: an envelope that claims
    // another sender is forged, kept in quarantine, and never answered (no signature for a liar).
    if (!sender || senderOfSubject(deps.networkId, deps.country, subject) !== sender) return { type: 'rejected', code: 'ERR_LANE_MISMATCH', bytes, reply: undefined };
    // A re-sent copy of an accepted envelope costs no cryptography: its header was verified the first time.
    const before = seen(deps.store, header.id, digest);
    if (before === 'copy') return { type: 'copy', id: header.id, sender, digest };
  }
  let opened: Opened;
  try {
    opened = await open(bytes, {
      networkId: deps.networkId,
      me: { country: deps.country, encryptionKeys: myKeys(deps) },
      keys: deps.trust,
      now: receivedAt ?? deps.clock.now(),
      maxBytes: deps.settings.maxEnvelopeBytes,
      debug: (code, detail) => deps.logger.debug({ code, detail, subject }, 'envelope rejected'),
    });
  } catch (e) {
    if (e instanceof EnvelopeRejectedError) return rejected(e.code);
    deps.logger.error({ err: e }, 'cannot process an inbound envelope; it will be redelivered');
    return { type: 'retry', error: e };
  }
  try {
    if (seen(deps.store, opened.header.id, opened.sha256) === 'replay') return await rejected('ERR_REPLAY');
    switch (opened.header.kind) {
      case KIND.request:
        return await classifyRequest(deps, replies, opened, rejected);
      case KIND.status: {
        const update = decodeWith(StatusUpdate, opened.body);
        if (!update) return await rejected('ERR_MALFORMED');
        const kind = deps.store.getRequest(update.requestId)?.kind;
        const problem = problemOf(() => checkReceivedStep(update, kind, deps.clock.now(), MAX_FUTURE_SKEW_MS));
        if (problem) return await rejected('ERR_CONTENT_INVALID', problem);
        const [accept, refuse] = await Promise.all([replies.answer(opened, 'accepted'), replies.answer(opened, 'ERR_INVALID_TRANSITION')]);
        return { type: 'step', opened, update, accept, refuse };
      }
      case KIND.erasure: {
        const erasure = decodeWith(ErasureRequest, opened.body);
        if (!erasure || !UUID_V7.test(erasure.requestId) || erasure.reason.length > 500 || erasure.legalGround.length > 500) return await rejected('ERR_MALFORMED');
        if (erasure.scope !== '' && erasure.scope !== VICTIM_IDENTITY) return await rejected('ERR_CONTENT_INVALID', `scope must be "" or "${VICTIM_IDENTITY}"`);
        const hold = deps.store.getRequest(erasure.requestId)?.legalHold ?? '';
        const now = deps.clock.now();
        const outcome = hold ? 'legal_hold' : 'erased';
        const body = ErasureAnswer.encode({ requestId: erasure.requestId, erasureId: opened.header.id, outcome, reason: hold, at: now, scope: erasure.scope }).finish();
        const [accept, refuse] = await Promise.all([replies.answer(opened, 'accepted'), replies.answer(opened, 'ERR_INVALID_TRANSITION')]);
        return { type: 'erasure', opened, erasure, accept, refuse, answerBody: body, hold };
      }
      case KIND.erasureAnswer: {
        const answer = decodeWith(ErasureAnswer, opened.body);
        if (!answer || (answer.outcome !== 'erased' && answer.outcome !== 'legal_hold') || answer.reason.length > 500) return await rejected('ERR_MALFORMED');
        if (answer.scope !== '' && answer.scope !== VICTIM_IDENTITY) return await rejected('ERR_CONTENT_INVALID', `scope must be "" or "${VICTIM_IDENTITY}"`);
        const [accept, refuse] = await Promise.all([replies.answer(opened, 'accepted'), replies.answer(opened, 'ERR_INVALID_TRANSITION')]);
        return { type: 'erasure_answer', opened, answer, accept, refuse };
      }
      case KIND.receipt: {
        const facts = readReceipt(opened.body);
        return facts ? { type: 'receipt', opened, facts } : await rejected('ERR_MALFORMED');
      }
      default:
        return await rejected('ERR_MALFORMED');
    }
  } catch (e) {
    deps.logger.error({ err: e }, 'cannot process an inbound envelope; it will be redelivered');
    return { type: 'retry', error: e };
  }
}

async function classifyRequest(deps: ExchangeDeps, replies: Replies, opened: Opened, rejected: (code: NodeRejectionCode, detail?: string) => Promise<Verdict>): Promise<Verdict> {
  const now = deps.clock.now();
  const body = decodeWith(RequestBody, opened.body);
  if (!body) return rejected('ERR_MALFORMED');
  // A peer is checked like a client: the same field rules and typed-form checks as a local submit.
  const problem = problemOf(() => checkReceivedRequest({ ...body, kind: body.requestKind }, now));
  if (problem) return rejected('ERR_CONTENT_INVALID', problem);
  const misaddressed = authorityProblem(opened, deps.country, body.toAuthority);
  if (misaddressed) return rejected('ERR_CONTENT_INVALID', misaddressed);
  const linked = body.links?.parentRequestId ? deps.store.getRequest(body.links.parentRequestId) : undefined;
  const linkBroken = receivedLinksProblem(body.links, linked && { kind: linked.kind, counterpart: linked.counterpart }, body.requestKind, opened.senderCountry);
  if (linkBroken) return rejected('ERR_CONTENT_INVALID', linkBroken);
  let attachments: AttachmentFile[] = [];
  if (body.attachments.length > 0) {
    const { id } = opened.header;
    const got = await receiveAttachments((att, length) => assembledParts(deps.store, opened.senderCountry, id, att, length), id, body.attachments);
    // Parts still on their way (or lost by the broker, then re-sent with the request): not the request's fault, it waits.
    if (!got.ok && got.incomplete) return { type: 'retry', error: new Error(`request ${id}: ${got.detail}`) };
    if (!got.ok) {
      deps.logger.debug({ id: opened.header.id, from: opened.header.from, detail: got.detail }, 'attachment rejected');
      return rejected('ERR_ATTACHMENT_INVALID');
    }
    attachments = got.files;
  }
  return { type: 'request', opened, body, accept: await replies.answer(opened, 'accepted'), acceptedAt: now, attachments };
}

/**
 * §18.5 "Authorities": `to_authority` repeats the authority of the envelope's address, so a
 * receiver never has two answers to "to whom": it must be the slug of a `to` entry naming this
 * node, or empty when that entry names the node alone.
 */
function authorityProblem(opened: Opened, country: string, toAuthority: string): string | undefined {
  const mine = opened.header.to.map((r) => parseAddress(r.address)).filter((a) => a?.country === country);
  if (mine.some((a) => (a?.authority ?? '') === toAuthority)) return undefined;
  const named = mine.map((a) => (a?.authority ? `${country}/${a.authority}` : country)).join(', ');
  return `to_authority must be the authority of the envelope's address (${named}), or empty when it names the node`;
}

function decodeWith<T>(codec: { decode(bytes: Uint8Array): T }, bytes: Uint8Array): T | undefined {
  try {
    return codec.decode(bytes);
  } catch {
    return undefined;
  }
}

function myKeys(deps: ExchangeDeps): Map<string, { publicKey: Uint8Array; secretKey: Uint8Array }> {
  return new Map(deps.ring.sets.map((s) => [s.encryption.kid, { publicKey: s.encryption.publicKey, secretKey: s.encryption.secretKey }]));
}
