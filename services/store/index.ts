export { openDb, migrate } from './db.js';
export { sealText } from './free-text.js';
export { textWords } from './list.js';
export { caseRequestIds, caseTimeline, fileCase, getCase, listCases, requestLinks, setRequestLinks } from './cases.js';
export type { CaseEventRow, CaseFilter, CaseRow, RequestLinksRow } from './cases.js';
export { recordSent, sentEnvelope, setLegalHold, setPeerErasure } from './erasure.js';
export { setPeerConsent, withdrawVictimIdentity } from './consent.js';
export type { Withdrawn } from './consent.js';
export type { Db } from './db.js';
export { Store } from './store.js';
export { processGroups, statsCombinations, STATS_COLUMNS } from './stats-query.js';
export type { ProcessGroup, StatsColumn, StatsCombination, StatsSelection } from './stats-query.js';
export { putStatsRecord, statsQuarters, statsRecordsOf } from './stats-records.js';
export type { StatsRecordRow } from './stats-records.js';
export { periodOf, workingDaysUtc } from './stats.js';
export { isStorageFault, storageFaultCode, StorageHealth } from './storage-fault.js';
export { CaseVault, loadOrCreateDataKey } from './case-vault.js';
export { AuditLog } from './audit.js';
export type { AuditEntry } from './audit.js';
export { insertAttachments, listAttachments, readAttachment, eraseAttachments } from './attachments.js';
export type { AttachmentFile, AttachmentMeta } from './attachments.js';
export { assembledParts, dropParts, expireParts, heldPartCount, stagePart } from './attachment-parts.js';
export type { ReceivedPart } from './attachment-parts.js';
export { dropHeld, heldOnLanes, heldReady, holdOnLane, laneApplied, laneNext, nextLaneSeq, skipStaleGaps } from './lanes.js';
export type { HeldEnvelope } from './lanes.js';
export type { NewOutbox, DedupRow } from './store.js';
export {
  declineProposal,
  envelopeIdInUse,
  heldStepCount,
  heldSteps,
  holdStep,
  lastStepSeq,
  openProposal,
  orderProposal,
  receiptVerdict,
  releaseHeldStep,
  setReceiptVerdict,
  setStepVerdict,
  stepEventIdOf,
  unorderedProposals,
  setOrderEnvelope,
} from './steps.js';
export type {
  Direction,
  Status,
  TimelineType,
  TimelineCode,
  TimelineWords,
  RequestRow,
  TimelineRow,
  OutboxRow,
  ReceiptRow,
  QuarantineRow,
  ListFilter,
  ListPage,
  TransitionRow,
  NewRequestRow,
  PeerErasure,
  ConsentWithdrawal,
  HeldStep,
  StepState,
  Verdict,
} from './types.js';
