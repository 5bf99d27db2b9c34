import { ErasureAnswer, ErasureRequest, RequestBody, type AttachmentRef } from '../../generated/enlace/v1/envelope.js';
import { PART_BYTES, receiveAttachments } from '../../services/attachments/index.js';
import { KIND } from '../../services/envelope/index.js';
import { checkReceivedRequest, problemOf } from '../../services/requests/content-rules.js';
import { parseAttachmentPartId } from '../../services/transport/index.js';
import { answerToTheNode } from './answers.js';
import { describeReceipt as describe, type Check } from './forms-and-erasure.js';
import { ACCEPTED, type Probe, type Received } from './probe.js';

/** Where the kit asks whoever runs it to act at the node under test; the line names what to do. */
export type OnWaiting = (line: string) => void;

/**
 * The other direction: a request with a document that the node under test sends to the tester
 * (someone submits it there while the kit waits), answered by the tester as the requested state
 * with positioned steps and a typed answer (§18.2, §19 rule 2), which the node under test must
 * accept in order; then an
 * erasure of that case started at the node under test (§21), which the tester answers.
 */
export async function receiving(probe: Probe, timeoutMs: number, check: Check, onWaiting?: OnWaiting): Promise<void> {
  onWaiting?.(`waiting up to ${Math.round((timeoutMs * 3) / 1000)} s for a request with a document (a PDF) from the node under test to ${probe.country}`);
  const got = await probe.until(() => probe.received.find((r) => r.opened.header.kind === KIND.request), timeoutMs * 3);
  await check('§7, §8, §18.1', 'a request from the node under test opens and its body is a RequestBody of the field rules', async () => {
    if (!got) return [false, 'no request arrived'];
    const body = RequestBody.decode(got.opened.body);
    const problem = problemOf(() => checkReceivedRequest({ ...body, kind: body.requestKind }, Date.now()));
    return [problem === undefined, problem ?? `${body.requestKind}, "${body.subject}"`];
  });
  if (!got) return;
  await check('§18.4', 'the documents of that request came as parts on its lane before it, and they assemble, hash, decrypt and carry their type', () => documentsOf(probe, got));
  await answerToTheNode(probe, timeoutMs, check, got.opened.header.id, RequestBody.decode(got.opened.body).requestKind);
  await erasureFromTheNode(probe, timeoutMs, check, got.opened.header.id, onWaiting);
}

/** What the parts of a received request show against §18.4: undefined when they are as the spec says. */
function partsProblem(probe: Probe, request: Received, refs: readonly AttachmentRef[]): string | undefined {
  const requestId = request.opened.header.id;
  for (const [i, ref] of refs.entries()) {
    const parts = [...probe.parts.values()].filter((p) => parseAttachmentPartId(p.id)?.attachmentId === ref.id && p.id.startsWith(`${requestId}/`));
    if (parts.length === 0) return `attachment ${i}: no part arrived`;
    if (parts.some((p) => p.order > request.order)) return `attachment ${i}: a part came after its request`;
    const offsets = parts.map((p) => ({ offset: parseAttachmentPartId(p.id)!.offset, bytes: p.bytes.byteLength })).sort((a, b) => a.offset - b.offset);
    const last = offsets[offsets.length - 1]!;
    if (offsets.some((p) => p !== last && p.bytes !== PART_BYTES) || last.bytes === 0 || last.bytes > PART_BYTES)
      return `attachment ${i}: parts are not of ${PART_BYTES} bytes, the last shorter and not empty`;
  }
  return undefined;
}

async function documentsOf(probe: Probe, request: Received): Promise<[boolean, string]> {
  const refs = RequestBody.decode(request.opened.body).attachments;
  if (refs.length === 0) return [false, 'the request carries no attachment'];
  const problem = partsProblem(probe, request, refs);
  if (problem) return [false, problem];
  const files = await receiveAttachments(probe.ciphertextOf(request.opened.header.id), request.opened.header.id, refs);
  if (!files.ok) return [false, files.detail];
  const parts = [...probe.parts.values()].filter((p) => p.id.startsWith(`${request.opened.header.id}/`)).length;
  return [true, `${files.files.length} document(s), ${files.files.map((f) => `${f.mediaType} of ${f.content.byteLength} bytes`).join(', ')}, in ${parts} part(s)`];
}

/**
 * §21 steps 1 and 3 from the other side: the node under test erases the case (someone does it
 * there while the kit waits) and sends an `erasure` to the tester, which received the request;
 * the tester answers `erased`, and the node under test acknowledges the answer.
 */
async function erasureFromTheNode(probe: Probe, timeoutMs: number, check: Check, requestId: string, onWaiting?: OnWaiting): Promise<void> {
  onWaiting?.(`waiting up to ${Math.round((timeoutMs * 3) / 1000)} s for an erasure of request ${requestId} from the node under test (erase that case there)`);
  const got = await probe.until(() => probe.received.find((r) => r.opened.header.kind === KIND.erasure && ErasureRequest.decode(r.opened.body).requestId === requestId), timeoutMs * 3);
  const erasure = got && ErasureRequest.decode(got.opened.body);
  await check('§21 step 1', 'an erasure of that case from the node under test names the request, scope "" (the whole case), a reason of at most 500 characters and when', async () => {
    if (!erasure) return [false, 'no erasure arrived'];
    const ok = erasure.scope === '' && erasure.reason.length > 0 && [...erasure.reason].length <= 500 && erasure.at > 0 && erasure.legalGround === '';
    return [ok, `scope "${erasure.scope}", a reason of ${[...erasure.reason].length} characters, at ${erasure.at > 0 ? 'given' : 'missing'}`];
  });
  if (!got || !erasure) return;
  await check('§21 step 3', "the tester's answer erased to that erasure is acknowledged accepted", async () => {
    const answer = ErasureAnswer.encode({ requestId, erasureId: got.opened.header.id, outcome: 'erased', reason: '', at: Date.now(), scope: '' }).finish();
    const e = await probe.sealed(KIND.erasureAnswer, answer);
    await probe.publish(e.bytes, e.id);
    const r = await probe.receipt(e.id, timeoutMs);
    return [r?.outcome === ACCEPTED, describe(r)];
  });
}
