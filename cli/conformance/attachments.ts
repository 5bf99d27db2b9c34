import { RequestBody } from '../../generated/enlace/v1/envelope.js';
import { sealAttachments, type Part } from '../../services/attachments/index.js';
import { KIND, uuidv7 } from '../../services/envelope/index.js';
import { describeReceipt, type Check } from './forms-and-erasure.js';
import { ACCEPTED, REJECTED, type Probe } from './probe.js';

/** A synthetic PDF of `size` bytes: the signature, then filler (no real document). */
function pdf(size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0x20);
  out.set(new TextEncoder().encode('%PDF-1.7\n% Enlace conformance: synthetic test document\n'));
  return out;
}

async function withDocument(probe: Probe, subject: string, size: number) {
  const id = uuidv7(Date.now());
  const sealed = await sealAttachments(id, [{ fileName: 'conformance.pdf', mediaType: 'application/pdf', content: pdf(size) }]);
  const body = RequestBody.encode({
    requestKind: 'mla',
    toAuthority: '',
    subject,
    payload: new TextEncoder().encode('{"conformance":"synthetic test data, no real person"}'),
    payloadType: 'application/json',
    senderReference: 'CONFORMANCE',
    urgency: '',
    attachments: sealed.refs,
    links: undefined,
  }).finish();
  const envelope = await probe.sealed(KIND.request, body, { id });
  return { envelope, parts: sealed.parts };
}

const sendParts = async (probe: Probe, parts: Part[]) => {
  for (const p of parts) await probe.publishPart(p.id, p.bytes);
};

/**
 * §18.4 through the live protocol: a document in two parts on the tester's lane before its
 * request is accepted; parts that come after their request make it wait, then it is accepted;
 * an altered part gets the request rejected ERR_ATTACHMENT_INVALID.
 */
export async function attachments(probe: Probe, timeoutMs: number, check: Check): Promise<void> {
  await check('§18.4', 'a request with a document whose parts (two) come before it on the lane is accepted', async () => {
    const { envelope, parts } = await withDocument(probe, 'Conformance: a document', 600_000);
    await sendParts(probe, parts);
    await probe.publish(envelope.bytes, envelope.id);
    const r = await probe.receipt(envelope.id, timeoutMs);
    return [r?.outcome === ACCEPTED && parts.length === 2, `${describeReceipt(r)}${r?.detail ? ` (${r.detail})` : ''}, ${parts.length} parts`];
  });
  await check('§18.4', 'a request whose parts come after it waits for them, then is accepted', async () => {
    const { envelope, parts } = await withDocument(probe, 'Conformance: parts after the request', 1_000);
    await probe.publish(envelope.bytes, envelope.id);
    const early = await probe.receipt(envelope.id, Math.min(1_000, timeoutMs));
    await sendParts(probe, parts);
    const r = early ?? (await probe.receipt(envelope.id, timeoutMs));
    return [early === undefined && r?.outcome === ACCEPTED, early ? `answered before its parts came: ${describeReceipt(early)}` : describeReceipt(r)];
  });
  await check('§18.4', 'a request whose part was altered on the way is rejected ERR_ATTACHMENT_INVALID', async () => {
    const { envelope, parts } = await withDocument(probe, 'Conformance: an altered part', 1_000);
    const altered = parts.map((p, i) => (i === 0 ? { ...p, bytes: p.bytes.map((b, j) => (j === 40 ? b ^ 0x01 : b)) } : p));
    await sendParts(probe, altered);
    await probe.publish(envelope.bytes, envelope.id);
    const r = await probe.receipt(envelope.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_ATTACHMENT_INVALID', describeReceipt(r)];
  });
}
