export type Direction = 'outbound' | 'inbound';
export type Status = 'submitted' | 'delivered' | 'received' | 'failed';
export type TimelineType = 'submitted' | 'published' | 'delivered' | 'received' | 'failed' | 'rejected';

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
}

export interface TimelineRow {
  requestId: string;
  type: TimelineType;
  at: number;
  detail: string;
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
  afterSeq: number;
  limit: number;
}
