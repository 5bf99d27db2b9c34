export { Transport, DEFAULT_LANE_BACKLOG, DEFAULT_INBOX_MAX_BYTES, PUBLISH_TIMEOUT_MS, type PublishOptions } from './nats.js';
export { LaneReader, LANE_QUANTUM_BYTES, LANE_STUCK_MS, INBOX_BATCH_BYTES } from './lane-reader.js';
export { FairQueue } from './fair-queue.js';
export type { TransportOptions, NatsTls } from './nats.js';
export { classifyNatsError, jetStreamCode } from './errors.js';
export type { NatsFailure } from './errors.js';
export { brokerAccounts, brokerConfig, defaultLimits } from './accounts.js';
export type { AccountLimits, BrokerPlan, BrokerTls, ServerConfigOptions } from './accounts.js';
export {
  stateAccount,
  NETWORK_ACCOUNT,
  NETWORK_USER,
  inboxStream,
  inboxSubject,
  inboxLanes,
  senderOfSubject,
  laneConsumer,
  isLaneConsumer,
  SINGLE_INBOX_CONSUMER,
  foreignApiPrefix,
  registryBucket,
  registryStream,
  registryKeySubject,
  registryNodeKey,
  registryLogKey,
  registryLogKeys,
  registryStatsKey,
  registryStatsKeys,
  parseRegistryKey,
  attachmentObjectName,
  ATTACHMENT_PART_HEADER,
  attachmentPartId,
  parseAttachmentPartId,
} from './names.js';
