import type { ErasureAnswer, ErasureRequest, RequestBody, StatusUpdate } from '../../../generated/enlace/v1/envelope.js';
import type { RejectionCode } from '../../../keys/index.js';
import type { Opened, ReceiptFacts } from '../../envelope/index.js';
import type { AttachmentFile } from '../../store/index.js';
import type { Outgoing } from '../seal-for.js';

/** Envelope codes, and the node-level ones answered with a signed rejection too (docs/protocol.md §18). */
export type NodeRejectionCode = RejectionCode | 'ERR_ATTACHMENT_INVALID' | 'ERR_INVALID_TRANSITION' | 'ERR_RECEIPT_UNMATCHED' | 'ERR_CONTENT_INVALID' | 'ERR_LANE_MISMATCH';

/**
 * What `classify` made of one inbound message, before any write. Every verdict that can
 * be answered carries its signed replies, sealed in advance, because the transaction that
 * applies it is synchronous.
 */
export type Verdict =
  /** The exact bytes of an envelope already accepted: answered again with its first reply, never applied twice. */
  | { type: 'copy'; id: string; sender: string; digest: Uint8Array }
  /** Failed a check: kept in quarantine and, when the sender is a known node, answered with a signed rejection. */
  | { type: 'rejected'; code: NodeRejectionCode; bytes: Uint8Array; reply: Outgoing | undefined }
  | { type: 'request'; opened: Opened; body: RequestBody; accept: Outgoing; acceptedAt: number; attachments: AttachmentFile[] }
  | { type: 'step'; opened: Opened; update: StatusUpdate; accept: Outgoing; refuse: Outgoing }
  | { type: 'receipt'; opened: Opened; facts: ReceiptFacts }
  /** The other state erased its copy and asks for ours; `answerBody` is the ErasureAnswer for the legal hold seen by classify, sealed on the lane when applied. */
  | { type: 'erasure'; opened: Opened; erasure: ErasureRequest; accept: Outgoing; refuse: Outgoing; answerBody: Uint8Array; hold: string }
  | { type: 'erasure_answer'; opened: Opened; answer: ErasureAnswer; accept: Outgoing; refuse: Outgoing }
  /** Could not be processed now (not the message's fault): redelivered later. */
  | { type: 'retry'; error: unknown };

export type NewEnvelope = Extract<Verdict, { opened: Opened }>;

/**
 * The signature verdict of an envelope that `open` accepted: it exists only for an Opened,
 * which `open` returns only after the signature verified against the trust store's key.
 */
export function verifiedBy(opened: Opened, at: number): { verified: true; keyId: string; checkedAt: number; detail: '' } {
  return { verified: true, keyId: opened.header.senderKeyId, checkedAt: at, detail: '' };
}
