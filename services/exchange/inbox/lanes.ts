import { decodeOuter, KIND, LANE_EPOCH, parseAddress } from '../../envelope/index.js';
import { senderOfSubject } from '../../transport/index.js';
import type { ExchangeDeps } from '../deps.js';

/** Where an inbound envelope stands on its sender's lane (docs/protocol.md §24). */
export interface LanePosition {
  sender: string;
  epoch: string;
  seq: number;
}

/**
 * The lane position an inbound envelope claims, or undefined when it is not on a lane: a
 * receipt, an envelope with lane_seq 0 (from before lanes), a header that does not decode or
 * is out of profile, or one published on another sender's lane (quarantined as ERR_LANE_MISMATCH).
 * The position of an envelope that `open` later rejects is not signature-checked; it still counts,
 * because only the sender's broker account can publish on its lane (§24.3).
 */
export function lanePosition(deps: ExchangeDeps, bytes: Uint8Array, subject: string): LanePosition | undefined {
  const header = decodeOuter(bytes)?.header;
  if (!header || header.kind === KIND.receipt || header.laneSeq <= 0 || !LANE_EPOCH.test(header.laneEpoch)) return undefined;
  const sender = parseAddress(header.from)?.country;
  if (!sender || senderOfSubject(deps.networkId, deps.country, subject) !== sender) return undefined;
  return { sender, epoch: header.laneEpoch, seq: header.laneSeq };
}

export const laneKey = (p: { sender: string; epoch: string }): string => `${p.sender} ${p.epoch}`;
