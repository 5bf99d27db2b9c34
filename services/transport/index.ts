export { Transport } from './nats.js';
export type { TransportOptions } from './nats.js';
export {
  inboxStream,
  inboxSubject,
  INBOX_CONSUMER,
  registryBucket,
  registryNodeKey,
  registryLogKey,
  parseRegistryKey,
  attachmentBucket,
  attachmentObjectName,
} from './names.js';
