import { StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual, EnvelopeRejectedError } from '../../keys/index.js';
import { decodeOuter, open, readReceipt, type Opened } from '../envelope/index.js';
import { setReceiptVerdict, setStepVerdict, type Verdict } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';

/**
 * Verifies again every stored receipt and every step envelope received from the peer for
 * one request, against the trust store as it is now, and stores the fresh verdicts. Each
 * envelope is opened as on arrival (dated at its arrival, so its lifetime is not held
 * against it), and what it says must still be what the store recorded: an altered stored
 * copy, a key since revoked, or a record that no longer matches its envelope is "not
 * verified", with the reason. Returns how many verdicts were computed.
 */
export async function recheckSignatures(deps: ExchangeDeps, requestId: string): Promise<number> {
  const { store } = deps;
  const verdicts: { kind: 'receipt' | 'step'; id: string; verdict: Verdict }[] = [];
  for (const r of store.receiptsFor(requestId)) {
    const verdict = await check(deps, r.bytes, r.storedAt, r.signerCountry, (o) => {
      const facts = readReceipt(o.body);
      return (
        o.header.id === r.receiptId &&
        facts !== undefined &&
        bytesEqual(facts.envelopeSha256, r.envelopeSha256) &&
        facts.outcome === r.outcome &&
        (facts.reasonCode ?? '') === r.reasonCode &&
        facts.receivedAt === r.receivedAt
      );
    });
    verdicts.push({ kind: 'receipt', id: r.receiptId, verdict });
  }
  const request = store.getRequest(requestId);
  for (const t of store.transitionsFor(requestId)) {
    // Steps this node signed carry no peer signature; an erased case's envelopes are gone (the verdict on arrival stands).
    if (t.origin !== 'remote' || t.envelope.byteLength === 0 || !request) continue;
    const verdict = await check(deps, t.envelope, t.at, request.counterpart, (o) => {
      const u = decodeStatus(o.body);
      return o.header.id === t.eventId && u !== undefined && u.requestId === t.requestId && u.action === t.action && u.at === t.at;
    });
    verdicts.push({ kind: 'step', id: t.eventId, verdict });
  }
  store.tx(() => {
    for (const v of verdicts) {
      if (v.kind === 'receipt') setReceiptVerdict(store, v.id, v.verdict);
      else setStepVerdict(store, v.id, v.verdict);
    }
  });
  return verdicts.length;
}

async function check(deps: ExchangeDeps, bytes: Uint8Array, receivedAt: number, signer: string, matches: (o: Opened) => boolean): Promise<Verdict> {
  const checkedAt = deps.clock.now();
  const keyId = decodeOuter(bytes)?.header.senderKeyId ?? '';
  try {
    const opened = await open(bytes, {
      networkId: deps.networkId,
      me: { country: deps.country, encryptionKeys: new Map(deps.ring.sets.map((s) => [s.encryption.kid, s.encryption])) },
      keys: deps.trust,
      now: receivedAt,
      maxBytes: deps.settings.maxEnvelopeBytes,
    });
    if (opened.senderCountry !== signer) return { verified: false, keyId, checkedAt, detail: `signed by ${opened.senderCountry}, not ${signer}` };
    if (!matches(opened)) return { verified: false, keyId, checkedAt, detail: 'the stored record differs from what its envelope says' };
    return { verified: true, keyId: opened.header.senderKeyId, checkedAt, detail: '' };
  } catch (e) {
    if (e instanceof EnvelopeRejectedError) return { verified: false, keyId, checkedAt, detail: `re-check failed: ${e.code}` };
    throw e;
  }
}

function decodeStatus(body: Uint8Array): StatusUpdate | undefined {
  try {
    return StatusUpdate.decode(body);
  } catch {
    return undefined;
  }
}
