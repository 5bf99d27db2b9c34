/**
 * Every wire name on NATS is built here: subjects, stream names, consumer names.
 * A network id may contain dots; NATS tokens and stream names may not, so they are mapped to '_'.
 */
function token(networkId: string): string {
  return networkId.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Subject a node's inbound envelopes (requests and receipts) are published on. */
export function inboxSubject(networkId: string, country: string): string {
  return `enlace.${token(networkId)}.${country}.inbox`;
}

/** One JetStream stream per destination country, file storage. */
export function inboxStream(networkId: string, country: string): string {
  return `ENLACE_${token(networkId)}_${country}`;
}

/** The durable consumer through which a node reads its own inbox stream. */
export const INBOX_CONSUMER = 'node';

/** The registry's JetStream key-value bucket (node descriptors and every country's signed change log). */
export function registryBucket(networkId: string): string {
  return `ENLACE_REGISTRY_${token(networkId)}`;
}

/** Registry key of a country's node descriptor (the anchor-signed JWS). */
export function registryNodeKey(country: string): string {
  return `node.${country}`;
}

/** Registry key of record `seq` (1, 2, ...) of a country's change log; zero-padded so keys sort. */
export function registryLogKey(country: string, seq: number): string {
  return `log.${country}.${String(seq).padStart(12, '0')}`;
}

/** Parses a registry key back into what it names; undefined when it is not one. */
export function parseRegistryKey(key: string): { kind: 'node'; country: string } | { kind: 'log'; country: string; seq: number } | undefined {
  let m = /^node\.([A-Z]{2})$/.exec(key);
  if (m) return { kind: 'node', country: m[1]! };
  m = /^log\.([A-Z]{2})\.(\d{12})$/.exec(key);
  if (m && Number(m[2]) > 0) return { kind: 'log', country: m[1]!, seq: Number(m[2]) };
  return undefined;
}

/** The network's JetStream object store of attachment ciphertexts (docs/protocol.md §18.4). */
export function attachmentBucket(networkId: string): string {
  return `ENLACE_ATTACHMENTS_${token(networkId)}`;
}

/** Object name of one attachment's ciphertext: `<request id>/<attachment id>`. */
export function attachmentObjectName(requestId: string, attachmentId: string): string {
  return `${requestId}/${attachmentId}`;
}
