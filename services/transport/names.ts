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
