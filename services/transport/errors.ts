import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from '@nats-io/transport-node';

/**
 * What went wrong talking to NATS, as the node acts on it. Every case comes from nats.js's
 * error classes or a JetStream API error code, never from message text (a library upgrade
 * that rewords a message changes nothing here).
 */
export type NatsFailure =
  /** JetStream API 10059: the stream does not exist. */
  | 'stream-not-found'
  /** JetStream API 10014: the consumer does not exist. */
  | 'consumer-not-found'
  /** JetStream API 10071 / 10164: a compare-and-set write lost (another revision is there). */
  | 'wrong-last-sequence'
  /** JetStream API 10077: the subject holds its maximum (a receiver's lane is full; discard new). */
  | 'subject-full'
  /** JetStream API 10060: the subject is captured by another stream than the one expected. */
  | 'stream-mismatch'
  /** Any other JetStream API error (see `jetStreamCode`). */
  | 'jetstream-api'
  /**
   * Nothing answered: a request nobody subscribes to, a JetStream publish on a subject no
   * stream captures, or a JetStream API not reachable from this account.
   */
  | 'no-responders'
  /** No answer in time. */
  | 'timeout'
  /** The broker refused a publish or subscription, or the credentials. */
  | 'permission'
  /** The connection was closed or is draining (this node is stopping or has not connected). */
  | 'closed'
  /** The server cannot be reached. */
  | 'connection'
  /** Not an error of NATS. */
  | 'other';

/** The JetStream API error code `e` carries (or wraps), if any. */
export function jetStreamCode(e: unknown): number | undefined {
  const api = find(e, (x): x is JetStreamApiError => x instanceof JetStreamApiError);
  return api?.code;
}

/**
 * Classifies an error thrown by nats.js, looking through `cause` chains (nats.js wraps a
 * RequestError around NoResponders, and its JetStream client wraps that again).
 *
 * @example
 *   try { await jsm.streams.info(name); } catch (e) { if (classifyNatsError(e) !== 'stream-not-found') throw e; }
 */
export function classifyNatsError(e: unknown): NatsFailure {
  const code = jetStreamCode(e);
  if (code !== undefined) {
    switch (code) {
      case JetStreamApiCodes.StreamNotFound:
        return 'stream-not-found';
      case JetStreamApiCodes.ConsumerNotFound:
        return 'consumer-not-found';
      case JetStreamApiCodes.StreamWrongLastSequence:
      case JetStreamApiCodes.StreamWrongLastSequenceUnknown:
        return 'wrong-last-sequence';
      case JS_MAX_MSGS_PER_SUBJECT:
        return 'subject-full';
      case JS_STREAM_MISMATCH:
        return 'stream-mismatch';
      default:
        return 'jetstream-api';
    }
  }
  if (has(e, PermissionViolationError) || has(e, AuthorizationError) || has(e, UserAuthenticationExpiredError)) return 'permission';
  if (has(e, NoRespondersError) || find(e, (x): x is RequestError => x instanceof RequestError && x.isNoResponders())) return 'no-responders';
  if (has(e, TimeoutError)) return 'timeout';
  if (has(e, ClosedConnectionError) || has(e, DrainingConnectionError)) return 'closed';
  if (has(e, ConnectionError)) return 'connection';
  return 'other';
}

/** JetStream API codes nats.js does not name (nats-server's errors.json). */
const JS_MAX_MSGS_PER_SUBJECT = 10077;
const JS_STREAM_MISMATCH = 10060;

const MAX_CAUSES = 8;

function find<T>(e: unknown, is: (x: unknown) => x is T): T | undefined {
  let x = e;
  for (let i = 0; i < MAX_CAUSES && x instanceof Error; i++, x = x.cause) if (is(x)) return x;
  return undefined;
}

function has(e: unknown, type: abstract new (...args: never[]) => Error): boolean {
  return find(e, (x): x is Error => x instanceof type) !== undefined;
}
