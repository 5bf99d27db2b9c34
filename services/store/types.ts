export type Direction = 'outbound' | 'inbound';
export type Status = 'submitted' | 'delivered' | 'received' | 'acknowledged' | 'in_progress' | 'information_requested' | 'completed' | 'partially_executed' | 'refused' | 'withdrawn' | 'failed';
export type TimelineType = 'submitted' | 'published' | 'delivered' | 'received' | 'failed' | 'rejected' | 'transition' | 'proposed';

export interface RequestRow {
  seq: number;
  id: string;
  direction: Direction;
  fromAddr: string;
  toAddr: string;
  counterpart: string;
  kind: string;
  subject: string;
  payload: Uint8Array;
  /** The case was erased: its contents are gone for good. */
  erased: boolean;
  payloadType: string;
  senderReference: string;
  status: Status;
  failureReason: string;
  idempotencyKey: string | null;
  requestHash: Uint8Array | null;
  envelope: Uint8Array;
  envelopeSha256: Uint8Array;
  createdAt: number;
  updatedAt: number;
  urgency: 'normal' | 'urgent';
  stage: string;
  /** When the requested node accepted the request (from its receipt on the sending side). */
  receivedAt: number | null;
  dueAt: number | null;
  /** Set while information is requested: the deadline does not run. */
  pausedAt: number | null;
  /** The legal ground this node keeps the case under ('' = none). */
  legalHold: string;
  /** What became of the other state's copy after an erasure (docs/protocol.md §21). */
  peerErasure: PeerErasure;
  peerErasureReason: string;
  /** After a victim withdrew her consent: her identity data erased here, or kept restricted (docs/protocol.md §21.4). */
  consentWithdrawal: ConsentWithdrawal;
  /** The legal ground a restricted copy is kept under ('' when erased or not withdrawn). */
  consentLegalGround: string;
  consentWithdrawnAt: number | null;
  /** The other state's answer about its copy of that data. */
  peerConsent: PeerErasure;
  peerConsentReason: string;
}

export type PeerErasure = '' | 'requested' | 'erased' | 'legal_hold';

export type ConsentWithdrawal = '' | 'erased' | 'restricted';

/** A request as first stored (the erasure fields start empty). */
export type NewRequestRow = Omit<
  RequestRow,
  'seq' | 'erased' | 'legalHold' | 'peerErasure' | 'peerErasureReason' | 'consentWithdrawal' | 'consentLegalGround' | 'consentWithdrawnAt' | 'peerConsent' | 'peerConsentReason'
>;

/** The outcome of a signature check, stored with what it was checked against and when. */
export interface Verdict {
  verified: boolean;
  /** The key the signature was checked against (from the trust store). */
  keyId: string;
  /** 0: never checked. */
  checkedAt: number;
  /** Why it is not verified, when it is not. */
  detail: string;
}

/** Where a step stands on the shared timeline (docs/protocol.md §19). */
export type StepState = 'ordered' | 'proposed' | 'declined';

export interface TransitionRow {
  eventId: string;
  requestId: string;
  origin: 'local' | 'remote';
  action: string;
  statusAfter: Status;
  stage: string;
  stageDate: string;
  note: string;
  response: Uint8Array | null;
  responseType: string;
  actorRole: string;
  at: number;
  delivery: 'pending' | 'delivered' | 'rejected' | 'received';
  reasonCode: string;
  envelope: Uint8Array;
  envelopeSha256: Uint8Array;
  /** Position on the shared timeline; 0 while a proposal is not ordered. */
  seq: number;
  state: StepState;
  /** The requested state's envelope that ordered this proposal ('' otherwise). */
  orderId: string;
  /** At the requested node: SHA-256 of the ordering envelope it sent (null until sent, and elsewhere). */
  orderSha256?: Uint8Array | null;
  /** The signature check of the step envelope received from the peer (remote steps, and ordered proposals). */
  verdict: Verdict;
}

export interface TimelineRow {
  /** The journal position: a cursor for WatchRequests. */
  seq: number;
  requestId: string;
  type: TimelineType;
  at: number;
  detail: string;
  /** What happened as a code a client words (TIMELINE_CODES), '' on rows written before it existed. */
  code: string;
  params: Record<string, string>;
}

/**
 * The codes of timeline events and their parameters (README, "Timeline events"): countries
 * as ISO codes, key ids whole; a client names them in its user's language.
 */
export const TIMELINE_CODES = {
  submitted_to: ['country', 'authority'],
  published_for: ['country'],
  received_from: ['country', 'key_id'],
  delivered_to: ['country', 'key_id', 'late'],
  step: ['country', 'action', 'stage'],
  step_declined: ['country', 'action'],
} as const;

export type TimelineCode = keyof typeof TIMELINE_CODES;

/** The code and parameters of a timeline row. */
export interface TimelineWords {
  code: TimelineCode;
  params: Partial<Record<(typeof TIMELINE_CODES)[TimelineCode][number], string>>;
}

export interface OutboxRow {
  seq: number;
  envelopeId: string;
  destination: string;
  kind: string;
  bytes: Uint8Array;
  expectsReceipt: boolean;
  attempts: number;
  nextAttemptAt: number;
  /** Published at least once (a receipt due again with this set is one kept for the re-send window whose time is up). */
  published: boolean;
}

export interface ReceiptRow {
  receiptId: string;
  requestId: string;
  signerCountry: string;
  signerKid: string;
  outcome: 'accepted' | 'rejected';
  reasonCode: string;
  receivedAt: number;
  envelopeSha256: Uint8Array;
  matchesSent: boolean;
  bytes: Uint8Array;
  storedAt: number;
  verdict: Verdict;
}

/** A step received ahead of its turn, with its two prepared replies. */
export interface HeldStep {
  envelopeId: string;
  requestId: string;
  seq: number;
  sender: string;
  bytes: Uint8Array;
  /** The decoded, verified StatusUpdate bytes. */
  body: Uint8Array;
  senderKid: string;
  acceptReply: Uint8Array;
  refuseReply: Uint8Array | null;
  heldAt: number;
}

export interface QuarantineRow {
  seq: number;
  receivedAt: number;
  code: string;
  envelopeId: string;
  fromAddr: string;
  kind: string;
  sha256: Uint8Array;
  bytes: Uint8Array;
  rejectionReceiptId: string;
}

export interface ListFilter {
  direction?: Direction;
  status?: Status;
  counterpart?: string;
  kind?: string;
  stage?: string;
  /**
   * Words that must all appear in the sender's reference (or equal the type, counterpart or
   * status), or, with `searchContent`, in the decrypted subject too.
   */
  text?: string;
  /** The text filter also searches free text (content roles only). */
  searchContent?: boolean;
  /** Open requests whose due date is before this instant (and not paused). */
  dueBefore?: number;
  /** Requests updated at or after this instant. */
  updatedSince?: number;
  /** The requests of this case (docs/protocol.md §25.2). */
  caseId?: string;
  /** Only these requests (the linked requests a page names); empty or absent = no filter. */
  ids?: readonly string[];
}

/** Where a page of a listing starts and which way it runs (keyset on seq). */
export interface ListPage {
  /** The seq of the last row of the previous page; the page continues past it. */
  after?: number;
  /** Ascending seq (oldest first); the default is newest first. */
  oldestFirst: boolean;
  limit: number;
}
