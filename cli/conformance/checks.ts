import { createHash } from 'node:crypto';
import { RequestBody, StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual } from '../../keys/index.js';
import { KIND } from '../../services/envelope/index.js';
import { checkReceivedRequest, problemOf } from '../../services/requests/content-rules.js';
import { attachments } from './attachments.js';
import { describeReceipt as describe, erasures, typedRequests, type Check } from './forms-and-erasure.js';
import { ACCEPTED, REJECTED, type Probe } from './probe.js';

export interface CheckResult {
  section: string;
  name: string;
  ok: boolean;
  detail: string;
}

const utf8 = (t: string) => new TextEncoder().encode(t);

function requestBody(subject: string): Uint8Array {
  return RequestBody.encode({
    requestKind: 'mla',
    toAuthority: '',
    subject,
    payload: utf8('{"conformance":"synthetic test data, no real person"}'),
    payloadType: 'application/json',
    senderReference: 'CONFORMANCE',
    urgency: '',
    attachments: [],
  }).finish();
}

/**
 * The checks of a conformance run, in order, each against the live node under test
 * through `probe`, each naming its section of docs/protocol.md. A check never throws: what goes
 * wrong is its failure.
 */
export async function runChecks(probe: Probe, timeoutMs: number, opts: { receive?: boolean; onWaiting?: (line: string) => void } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const check = async (section: string, name: string, run: () => Promise<[boolean, string]>) => {
    try {
      const [ok, detail] = await run();
      results.push({ section, name, ok, detail });
    } catch (e) {
      results.push({ section, name, ok: false, detail: `error: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const rejectedWith = async (bytes: Uint8Array, id: string, code: string, count = 1): Promise<[boolean, string]> => {
    await probe.publish(bytes);
    const r = await probe.receipt(id, timeoutMs, count);
    const sha = new Uint8Array(createHash('sha256').update(bytes).digest());
    return [r?.outcome === REJECTED && r.reasonCode === code && bytesEqual(r.envelopeSha256, sha), `${describe(r)}; expected rejected ${code} over the bytes sent`];
  };

  const request = await probe.sealed(KIND.request, requestBody('Conformance: a request'));
  await check('§10, §14', 'a request is answered with an accepted receipt bound to its bytes', async () => {
    await probe.publish(request.bytes, request.id);
    const r = await probe.receipt(request.id, timeoutMs);
    return [r?.outcome === ACCEPTED && bytesEqual(r.envelopeSha256, request.sha256) && r.reasonCode === '', describe(r)];
  });
  await check('§11, §14', 'a re-sent copy is answered again with the stored receipt, not delivered twice', async () => {
    await probe.publish(request.bytes);
    const r = await probe.receipt(request.id, timeoutMs, 2);
    const first = probe.receiptsFor(request.id)[0];
    return [
      r !== undefined && r.outcome === ACCEPTED && first !== undefined && r.receivedAt === first.receivedAt,
      r ? `${describe(r)}, received_at ${r.receivedAt === first?.receivedAt ? 'as in the first receipt' : 'differs from the first receipt'}` : 'no second receipt',
    ];
  });
  await check('§11', 'the same id with other bytes is rejected ERR_REPLAY', async () => {
    const other = await probe.sealed(KIND.request, requestBody('Conformance: other bytes, same id'), { id: request.id });
    return rejectedWith(other.bytes, request.id, 'ERR_REPLAY', 3);
  });
  await check('§8 step 10', 'a tampered ciphertext is rejected ERR_DECRYPT', async () => {
    const t = await probe.sealed(KIND.request, requestBody('Conformance: tampered'));
    const bytes = t.bytes.slice();
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
    return rejectedWith(bytes, t.id, 'ERR_DECRYPT');
  });
  await check('§18.5, §10', 'content breaking a field rule is rejected ERR_CONTENT_INVALID with a detail', async () => {
    const bad = await probe.sealed(KIND.request, requestBody(''));
    await probe.publish(bad.bytes);
    const r = await probe.receipt(bad.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_CONTENT_INVALID' && r.detail.length > 0, `${describe(r)}${r?.detail ? ` (${r.detail})` : ''}`];
  });
  await check('§8', 'an unknown kind is rejected ERR_MALFORMED', async () => {
    const odd = await probe.sealed('postcard', utf8('hello'));
    return rejectedWith(odd.bytes, odd.id, 'ERR_MALFORMED');
  });

  const proposal = StatusUpdate.encode({
    requestId: request.id,
    action: 'withdraw',
    status: 'withdrawn',
    stage: '',
    stageDate: '',
    note: '',
    at: Date.now(),
    response: new Uint8Array(),
    responseType: '',
    actorRole: 'focal_point',
    seq: 0,
    proposalId: '',
  }).finish();
  const p = await probe.sealed(KIND.status, proposal);
  await check('§19', 'a proposal of the requesting side is accepted and ordered: an ordering step comes back with seq and proposal_id', async () => {
    await probe.publish(p.bytes, p.id);
    const r = await probe.receipt(p.id, timeoutMs);
    const order = await probe.until(() => probe.received.find((x) => x.opened.header.kind === KIND.status && StatusUpdate.decode(x.opened.body).proposalId === p.id), timeoutMs);
    const u = order && StatusUpdate.decode(order.opened.body);
    return [
      r?.outcome === ACCEPTED && u !== undefined && u.seq >= 1 && u.action === 'withdraw' && u.status === 'withdrawn',
      `${describe(r)}; ordering step ${u ? `seq ${u.seq}, ${u.action} → ${u.status}` : 'not received'}`,
    ];
  });
  await check('§18.2, §19', 'a proposal the machine no longer allows is declined ERR_INVALID_TRANSITION', async () => {
    const again = await probe.sealed(KIND.status, StatusUpdate.encode({ ...StatusUpdate.decode(proposal), at: Date.now() }).finish());
    return rejectedWith(again.bytes, again.id, 'ERR_INVALID_TRANSITION');
  });
  const typed = await typedRequests(probe, timeoutMs, check);
  await erasures(probe, timeoutMs, check, typed);
  await attachments(probe, timeoutMs, check);
  if (opts.receive) await receiving(probe, timeoutMs, check, opts.onWaiting);
  return results;
}

/**
 * The other direction: a request the node under test sends to the tester (someone submits it
 * there while the kit waits), answered by the tester as the requested state with positioned
 * steps (§19 rule 2), which the node under test must accept in order.
 */
async function receiving(probe: Probe, timeoutMs: number, check: Check, onWaiting?: (line: string) => void): Promise<void> {
  onWaiting?.(`waiting up to ${Math.round((timeoutMs * 3) / 1000)} s for a request from the node under test to ${probe.country}`);
  const got = await probe.until(() => probe.received.find((r) => r.opened.header.kind === KIND.request), timeoutMs * 3);
  await check('§7, §8, §18.1', 'a request from the node under test opens and its body is a RequestBody of the field rules', async () => {
    if (!got) return [false, 'no request arrived'];
    const body = RequestBody.decode(got.opened.body);
    const problem = problemOf(() => checkReceivedRequest({ ...body, kind: body.requestKind }, Date.now()));
    return [problem === undefined, problem ?? `${body.requestKind}, "${body.subject}"`];
  });
  if (!got) return;
  const step = async (action: string, status: string, seq: number) => {
    const u = StatusUpdate.encode({
      requestId: got.opened.header.id,
      action,
      status,
      stage: '',
      stageDate: '',
      note: '',
      at: Date.now(),
      response: new Uint8Array(),
      responseType: '',
      actorRole: 'focal_point',
      seq,
      proposalId: '',
    }).finish();
    const e = await probe.sealed(KIND.status, u);
    await probe.publish(e.bytes, e.id);
    return probe.receipt(e.id, timeoutMs);
  };
  await check('§18.2, §19', "the requested side's positioned steps are accepted in order (acknowledge at 1, complete at 2)", async () => {
    const first = await step('acknowledge', 'acknowledged', 1);
    const second = await step('complete', 'completed', 2);
    return [first?.outcome === ACCEPTED && second?.outcome === ACCEPTED, `seq 1: ${describe(first)}; seq 2: ${describe(second)}`];
  });
  await check('§19 rule 5', 'a position already taken is refused ERR_INVALID_TRANSITION', async () => {
    const r = await step('complete', 'completed', 2);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_INVALID_TRANSITION', describe(r)];
  });
}

/** The report, one line per check grouped by section, and a last line with the totals. */
export function formatReport(target: string, results: CheckResult[]): string {
  const lines = results.map((r) => `${r.ok ? 'PASS' : 'FAIL'}  ${r.section.padEnd(12)} ${r.name}: ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  return [`conformance of node ${target}`, ...lines, `${results.length - failed} passed, ${failed} failed`].join('\n');
}
