import { createHash } from 'node:crypto';
import { RequestBody, StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual } from '../../keys/index.js';
import { KIND } from '../../services/envelope/index.js';
import { answersFromTheNode } from './answers.js';
import { attachments } from './attachments.js';
import { consentFromTheNode } from './consent.js';
import { describeReceipt as describe, erasures, typedRequests, type Check } from './forms-and-erasure.js';
import { ACCEPTED, REJECTED, statusStep, type Probe } from './probe.js';
import { joining } from './joining.js';
import { laneOrder } from './lanes.js';
import { receiving, type OnWaiting } from './receiving.js';
import { tampered } from './tampered.js';

export interface CheckResult {
  section: string;
  name: string;
  ok: boolean;
  detail: string;
}

const utf8 = (t: string) => new TextEncoder().encode(t);

export function requestBody(subject: string, toAuthority = ''): Uint8Array {
  return RequestBody.encode({
    requestKind: 'mla',
    toAuthority,
    subject,
    payload: utf8('{"conformance":"synthetic test data, no real person"}'),
    payloadType: 'application/json',
    senderReference: 'CONFORMANCE',
    urgency: '',
    attachments: [],
    links: undefined,
  }).finish();
}

/** A check's runner that records into `results`: a check never throws, what goes wrong is its failure. */
function recorder(results: CheckResult[]): Check {
  return async (section, name, run) => {
    try {
      const [ok, detail] = await run();
      results.push({ section, name, ok, detail });
    } catch (e) {
      results.push({ section, name, ok: false, detail: `error: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
}

/** Publishes `bytes` and expects the `count`-th receipt for `id` to reject them with `code`, over their SHA-256. */
export async function rejectedWith(probe: Probe, timeoutMs: number, bytes: Uint8Array, id: string, code: string, count = 1): Promise<[boolean, string]> {
  await probe.publish(bytes);
  const r = await probe.receipt(id, timeoutMs, count);
  const sha = new Uint8Array(createHash('sha256').update(bytes).digest());
  return [r?.outcome === REJECTED && r.reasonCode === code && bytesEqual(r.envelopeSha256, sha), `${describe(r)}; expected rejected ${code} over the bytes sent`];
}

/**
 * The checks of a conformance run, in order, each against the live node under test
 * through `probe`, each naming its section of docs/protocol.md. A check never throws: what goes
 * wrong is its failure.
 */
export async function runChecks(probe: Probe, timeoutMs: number, opts: { join?: boolean; receive?: boolean; answer?: boolean; onWaiting?: OnWaiting } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const check = recorder(results);
  if (opts.join) await joining(probe, timeoutMs, check);
  const requestId = await envelopeChecks(probe, timeoutMs, check);
  await tampered(probe, timeoutMs, check);
  await laneOrder(probe, timeoutMs, check);
  await proposalChecks(probe, timeoutMs, check, requestId);
  const typed = await typedRequests(probe, timeoutMs, check);
  await erasures(probe, timeoutMs, check, typed);
  await attachments(probe, timeoutMs, check);
  if (opts.receive) {
    await receiving(probe, timeoutMs, check, opts.onWaiting);
    await consentFromTheNode(probe, timeoutMs, check, typed.get('spontaneous_information'), opts.onWaiting);
  }
  if (opts.answer) await answersFromTheNode(probe, timeoutMs, check, opts.onWaiting);
  return results;
}

/** §8, §10, §11, §14, §18.5: one request, its receipt and re-sent copy, a replay, tampered bytes, bad content, an unknown kind. Returns the request's id. */
async function envelopeChecks(probe: Probe, timeoutMs: number, check: Check): Promise<string> {
  const request = await probe.sealed(KIND.request, requestBody('Conformance: a request'));
  await check('§10, §14', 'a request is answered with an accepted receipt bound to its bytes', async () => {
    await probe.publish(request.bytes, request.id);
    const r = await probe.receipt(request.id, timeoutMs);
    return [r?.outcome === ACCEPTED && bytesEqual(r.envelopeSha256, request.sha256) && r.reasonCode === '', describe(r)];
  });
  await check('§11, §14', 'a re-sent copy is answered again with the stored receipt, published under a fresh Nats-Msg-Id (the first is inside the duplicate window), not delivered twice', async () => {
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
    return rejectedWith(probe, timeoutMs, other.bytes, request.id, 'ERR_REPLAY', 3);
  });
  await check('§8 step 10', 'a tampered ciphertext is rejected ERR_DECRYPT', async () => {
    const t = await probe.sealed(KIND.request, requestBody('Conformance: tampered'));
    const bytes = t.bytes.slice();
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
    return rejectedWith(probe, timeoutMs, bytes, t.id, 'ERR_DECRYPT');
  });
  await check('§18.5, §10', 'content breaking a field rule is rejected ERR_CONTENT_INVALID with a detail', async () => {
    const bad = await probe.sealed(KIND.request, requestBody(''));
    await probe.publish(bad.bytes);
    const r = await probe.receipt(bad.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_CONTENT_INVALID' && r.detail.length > 0, `${describe(r)}${r?.detail ? ` (${r.detail})` : ''}`];
  });
  await check('§18.5', "a request whose to_authority is not the authority of its envelope's address is rejected ERR_CONTENT_INVALID", async () => {
    const e = await probe.sealed(KIND.request, requestBody('Conformance: misaddressed', 'fiscalia-trata'));
    await probe.publish(e.bytes);
    const r = await probe.receipt(e.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_CONTENT_INVALID', `${describe(r)}${r?.detail ? ` (${r.detail})` : ''}; the envelope is addressed to the node alone`];
  });
  await check('§8', 'an unknown kind is rejected ERR_MALFORMED', async () => {
    const odd = await probe.sealed('postcard', utf8('hello'));
    return rejectedWith(probe, timeoutMs, odd.bytes, odd.id, 'ERR_MALFORMED');
  });
  return request.id;
}

/** §19, §18.2: a proposal of the requesting side is ordered; the same proposal again is declined. */
async function proposalChecks(probe: Probe, timeoutMs: number, check: Check, requestId: string): Promise<void> {
  const proposal = statusStep(requestId, 'withdraw', 'withdrawn');
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
    return rejectedWith(probe, timeoutMs, again.bytes, again.id, 'ERR_INVALID_TRANSITION');
  });
}

/** The numbered sections of docs/protocol.md a check names (`§18.2, §19 rule 5` names 18.2 and 19), in document order. */
function sectionsOf(section: string): string[] {
  return [...section.matchAll(/§(\d+(?:\.\d+)?)/g)].map((m) => m[1]!);
}

const bySectionNumber = (a: string, b: string): number => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0]! - y[0]! || (x[1] ?? 0) - (y[1] ?? 0);
};

/**
 * The report: one line per check in the order run, with its section; then, per numbered section
 * of docs/protocol.md in document order, the checks naming it that passed and failed; then the totals.
 */
export function formatReport(target: string, results: CheckResult[]): string {
  const lines = results.map((r) => `${r.ok ? 'PASS' : 'FAIL'}  ${r.section.padEnd(12)} ${r.name}: ${r.detail}`);
  const tally = new Map<string, { passed: number; failed: number }>();
  for (const r of results) {
    for (const n of new Set(sectionsOf(r.section))) {
      const t = tally.get(n) ?? { passed: 0, failed: 0 };
      t[r.ok ? 'passed' : 'failed'] += 1;
      tally.set(n, t);
    }
  }
  const sections = [...tally.keys()].sort(bySectionNumber).map((n) => `  §${n.padEnd(6)} ${tally.get(n)!.passed} passed, ${tally.get(n)!.failed} failed${tally.get(n)!.failed > 0 ? '  FAILING' : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  return [`conformance of node ${target}`, ...lines, 'by section of docs/protocol.md:', ...sections, `${results.length - failed} passed, ${failed} failed`].join('\n');
}
