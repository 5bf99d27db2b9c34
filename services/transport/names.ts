import { UUID } from '../envelope/wire.js';

/**
 * Every wire name on NATS is built here: accounts, subjects, stream names, consumer names,
 * API prefixes. The broker config (accounts.ts), the node and the tests all import them.
 * A network id may contain dots; NATS tokens and stream names may not, so they are mapped to '_'.
 */
function token(networkId: string): string {
  return networkId.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The NATS account of a state (one per state; its inbox and attachment buckets live there). */
export function stateAccount(country: string): string {
  return country;
}

/** The account of whoever sets up the network: it holds the registry bucket. */
export const NETWORK_ACCOUNT = 'NETWORK';
/** The user in NETWORK_ACCOUNT that `enlace network init` connects as. */
export const NETWORK_USER = 'network';

/**
 * Subject of the lane `from` publishes on into `to`'s inbox. Only `from`'s account can
 * publish there (the broker pins the sender): `enlace.<net>.inbox.<to>.from.<from>`.
 */
export function inboxSubject(networkId: string, to: string, from: string): string {
  return `enlace.${token(networkId)}.inbox.${to}.from.${from}`;
}

/** Every lane of `to`'s inbox: the subjects of its inbox stream. */
export function inboxLanes(networkId: string, to: string): string {
  return `enlace.${token(networkId)}.inbox.${to}.from.*`;
}

/**
 * The sender a message on `to`'s inbox came from, read from the lane it arrived on
 * (undefined when the subject is not a lane of that inbox). The broker let only that
 * sender's account publish there; an envelope claiming another sender is forged.
 *
 * @example senderOfSubject('enlace-demo', 'UY', 'enlace.enlace-demo.inbox.UY.from.AR') // 'AR'
 */
export function senderOfSubject(networkId: string, to: string, subject: string): string | undefined {
  const prefix = `enlace.${token(networkId)}.inbox.${to}.from.`;
  if (!subject.startsWith(prefix)) return undefined;
  const from = subject.slice(prefix.length);
  return /^[A-Z]{2}$/.test(from) ? from : undefined;
}

/** One JetStream stream per destination country, in that country's account, file storage. */
export function inboxStream(networkId: string, country: string): string {
  return `ENLACE_${token(networkId)}_${country}`;
}

/**
 * The durable consumer through which a node reads one lane of its own inbox stream, the lane
 * `from` publishes on (filter subject `inboxSubject(networkId, to, from)`).
 *
 * @example laneConsumer('AR') // 'lane_AR'
 */
export function laneConsumer(from: string): string {
  return `lane_${from}`;
}

/** Whether a consumer name is one of a node's lane consumers. */
export function isLaneConsumer(name: string): boolean {
  return /^lane_[A-Z]{2}$/.test(name);
}

/**
 * The one consumer over every lane that earlier versions of the node read their inbox through.
 * Deleted at start: a work-queue stream refuses consumers whose subjects overlap, so it would bar the lane consumers.
 */
export const SINGLE_INBOX_CONSUMER = 'node';

/**
 * Prefix under which an account sees the JetStream API calls another account exports to
 * it (stream info, message get): `$JS.<account>.API`, never the plain `$JS.API`, which is
 * the account's own JetStream.
 */
export function foreignApiPrefix(account: string): string {
  return `$JS.${account}.API`;
}

/** The registry's JetStream key-value bucket (node descriptors and every country's signed change log). */
export function registryBucket(networkId: string): string {
  return `ENLACE_REGISTRY_${token(networkId)}`;
}

/** The stream behind the registry bucket. */
export function registryStream(networkId: string): string {
  return `KV_${registryBucket(networkId)}`;
}

/** Subject a registry key is written on (`$KV.<bucket>.<key>`). */
export function registryKeySubject(networkId: string, key: string): string {
  return `$KV.${registryBucket(networkId)}.${key}`;
}

/** Registry key of a country's node descriptor (the anchor-signed JWS). */
export function registryNodeKey(country: string): string {
  return `node.${country}`;
}

/** Registry key of record `seq` (1, 2, ...) of a country's change log; zero-padded so keys sort. */
export function registryLogKey(country: string, seq: number): string {
  return `log.${country}.${String(seq).padStart(12, '0')}`;
}

/** Every log key of a country (the subject pattern its account may write). */
export function registryLogKeys(country: string): string {
  return `log.${country}.>`;
}

/** Registry key of a country's aggregate statistics record for a quarter (docs/protocol.md §27.4): `stats.UY.2026-Q1`. */
export function registryStatsKey(country: string, quarter: string): string {
  return `stats.${country}.${quarter}`;
}

/** Every statistics key of a country (the subject pattern its account may write). */
export function registryStatsKeys(country: string): string {
  return `stats.${country}.*`;
}

export type RegistryKey = { kind: 'node'; country: string } | { kind: 'log'; country: string; seq: number } | { kind: 'stats'; country: string; quarter: string };

/** Parses a registry key back into what it names; undefined when it is not one. */
export function parseRegistryKey(key: string): RegistryKey | undefined {
  let m = /^node\.([A-Z]{2})$/.exec(key);
  if (m) return { kind: 'node', country: m[1]! };
  m = /^log\.([A-Z]{2})\.(\d{12})$/.exec(key);
  if (m && Number(m[2]) > 0) return { kind: 'log', country: m[1]!, seq: Number(m[2]) };
  m = /^stats\.([A-Z]{2})\.(\d{4}-Q[1-4])$/.exec(key);
  if (m) return { kind: 'stats', country: m[1]!, quarter: m[2]! };
  return undefined;
}

/** Object name of one attachment's ciphertext: `<request id>/<attachment id>`. */
export function attachmentObjectName(requestId: string, attachmentId: string): string {
  return `${requestId}/${attachmentId}`;
}

/**
 * NATS header that marks a message on a lane as one part of an attachment's ciphertext, not an
 * envelope (docs/protocol.md §18.4). Its value is the part's id, which is also its Nats-Msg-Id.
 */
export const ATTACHMENT_PART_HEADER = 'Enlace-Attachment-Part';

/** Id of the part of an attachment's ciphertext that starts at byte `offset`: `<request id>/<attachment id>/<offset>`. */
export function attachmentPartId(requestId: string, attachmentId: string, offset: number): string {
  return `${attachmentObjectName(requestId, attachmentId)}/${offset}`;
}

/** `<request id>/<attachment id>/<offset>`, the ids as the vocabulary's UUID pattern. */
const PART_ID = new RegExp(`^(${UUID.source.slice(1, -1)})/(${UUID.source.slice(1, -1)})/(0|[1-9][0-9]{0,9})$`);

/** Reads a part id back; undefined when it is not one (ids lower-case, offset a decimal without leading zeros). */
export function parseAttachmentPartId(id: string): { requestId: string; attachmentId: string; offset: number } | undefined {
  const m = PART_ID.exec(id);
  return m ? { requestId: m[1]!, attachmentId: m[2]!, offset: Number(m[3]) } : undefined;
}
