import { Receipt, ReceiptOutcome } from '../../generated/enlace/v1/envelope.js';
import type { RejectionCode } from '../../keys/index.js';
import { seal, type SealInput, type Sealed } from './seal.js';
import { KIND } from './wire.js';

export interface ReceiptFacts {
  envelopeId: string;
  envelopeSha256: Uint8Array;
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  reasonCode?: RejectionCode;
  /** The field rule broken, for ERR_CONTENT_INVALID only. */
  detail?: string;
}

/**
 * Seals a receipt: an envelope of kind "receipt" from the recipient back to the sender,
 * whose body binds the SHA-256 of the exact envelope bytes, the time and the outcome.
 *
 * @example await sealReceipt({ envelopeId: h.id, envelopeSha256: sha, receivedAt: now, outcome: 'accepted' },
 *   { networkId, from: 'UY', to: [ar], signer, now });
 */
export async function sealReceipt(facts: ReceiptFacts, envelope: Omit<SealInput, 'kind' | 'body'>): Promise<Sealed> {
  return seal({ ...envelope, kind: KIND.receipt, body: encodeReceipt(facts) });
}

/** The body of a receipt envelope (to seal it with any sealing helper). */
export function encodeReceipt(facts: ReceiptFacts): Uint8Array {
  return Receipt.encode({
    envelopeId: facts.envelopeId,
    envelopeSha256: facts.envelopeSha256,
    receivedAt: facts.receivedAt,
    outcome: facts.outcome === 'accepted' ? ReceiptOutcome.RECEIPT_OUTCOME_ACCEPTED : ReceiptOutcome.RECEIPT_OUTCOME_REJECTED,
    reasonCode: facts.reasonCode ?? '',
    detail: facts.detail ?? '',
  }).finish();
}

/** Decodes the body of an opened receipt envelope; undefined when it is not a well-formed receipt. */
export function readReceipt(body: Uint8Array): ReceiptFacts | undefined {
  let r: Receipt;
  try {
    r = Receipt.decode(body);
  } catch {
    return undefined;
  }
  if (r.envelopeSha256.byteLength !== 32 || !r.envelopeId) return undefined;
  if (r.outcome === ReceiptOutcome.RECEIPT_OUTCOME_ACCEPTED) {
    return { envelopeId: r.envelopeId, envelopeSha256: r.envelopeSha256, receivedAt: r.receivedAt, outcome: 'accepted' };
  }
  if (r.outcome === ReceiptOutcome.RECEIPT_OUTCOME_REJECTED) {
    return {
      envelopeId: r.envelopeId,
      envelopeSha256: r.envelopeSha256,
      receivedAt: r.receivedAt,
      outcome: 'rejected',
      reasonCode: r.reasonCode as RejectionCode,
      ...(r.detail ? { detail: r.detail } : {}),
    };
  }
  return undefined;
}
