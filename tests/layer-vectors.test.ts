import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RequestBody, RequestLinks, StatusUpdate } from '../generated/enlace/v1/envelope.js';
import { b64u, type EnlaceError, fromB64u, InvalidArgumentError, pinAnchor, TrustStore, type OkpPublicJwk } from '../keys/index.js';
import { MAX_FUTURE_SKEW_MS, readReceipt } from '../services/envelope/index.js';
import { checkReceivedRequest, checkReceivedStep } from '../services/requests/content-rules.js';
import { receivedLinksProblem, type LinkParent } from '../services/requests/links.js';
import { nextState, type Action, type LifecycleState, type Side } from '../services/requests/lifecycle.js';
import { buildAllVectors } from '../scripts/gen-vectors.js';

// The committed files, read as another implementation would; the last test regenerates them.
const VECTORS = new URL('./vectors/', import.meta.url);
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, VECTORS), 'utf8')) as T;

/** The field a check names, or undefined when it passes. */
function failure(check: () => void): { field: string; detail: string } | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof InvalidArgumentError) return { field: e.field, detail: e.message };
    throw e;
  }
}

describe('node descriptor vectors (tests/vectors/descriptors-v1.json, protocol §4)', () => {
  interface File {
    networkId: string;
    anchor: { kid: string; publicJwk: OkpPublicJwk };
    cases: { name: string; section: string; descriptor: string; valid: boolean; error?: string; keyChecks?: { kid: string; at: number; expected: string }[] }[];
    serialSequence: { steps: { descriptor: string; error?: string; heldSerial: number }[] };
  }
  const v = read<File>('descriptors-v1.json');
  const pinned = pinAnchor(v.networkId, v.anchor.publicJwk);

  it('pins the anchor of the envelope vectors', () => {
    expect(pinned.kid).toBe(v.anchor.kid);
    expect(v.cases.map((c) => c.name)).toEqual(expect.arrayContaining(['valid', 'expired', 'revoked-node', 'wrong-anchor']));
  });

  for (const c of v.cases) {
    it(`${c.name} (${c.section})`, async () => {
      const trust = new TrustStore(pinned);
      const code = await trust.add(c.descriptor).then(
        () => undefined,
        (e: unknown) => (e as EnlaceError).code,
      );
      expect(code).toBe(c.valid ? undefined : c.error);
      for (const k of c.keyChecks ?? []) {
        let got = 'ok';
        try {
          trust.verificationKey('UY', k.kid, k.at);
        } catch (e) {
          got = (e as EnlaceError).code;
        }
        expect(got, `${k.kid} at ${k.at}`).toBe(k.expected);
      }
    });
  }

  it('applies the serial rule in sequence (§4.3)', async () => {
    const trust = new TrustStore(pinned);
    for (const s of v.serialSequence.steps) {
      const code = await trust.add(s.descriptor).then(
        () => undefined,
        (e: unknown) => (e as EnlaceError).code,
      );
      expect(code).toBe(s.error);
      expect(trust.descriptor('UY')?.serial).toBe(s.heldSerial);
    }
  });
});

describe('receipt vectors (tests/vectors/receipts-v1.json, protocol §10)', () => {
  interface File {
    sentSha256: string;
    cases: {
      name: string;
      body: string;
      valid: boolean;
      error?: string;
      expected?: { envelopeId: string; envelopeSha256: string; receivedAt: number; outcome: string; reasonCode: string; detail: string; matchesSent: boolean };
    }[];
  }
  const v = read<File>('receipts-v1.json');
  for (const c of v.cases) {
    it(c.name, () => {
      const facts = readReceipt(fromB64u(c.body));
      if (!c.valid) {
        expect(c.error).toBe('ERR_MALFORMED');
        expect(facts).toBeUndefined();
        return;
      }
      const e = c.expected!;
      expect(facts).toBeDefined();
      expect({
        envelopeId: facts!.envelopeId,
        envelopeSha256: b64u(facts!.envelopeSha256),
        receivedAt: facts!.receivedAt,
        outcome: facts!.outcome,
        reasonCode: facts!.reasonCode ?? '',
        detail: facts!.detail ?? '',
      }).toEqual({
        envelopeId: e.envelopeId,
        envelopeSha256: e.envelopeSha256,
        receivedAt: e.receivedAt,
        outcome: e.outcome,
        reasonCode: e.reasonCode,
        detail: e.detail,
      });
      expect(b64u(facts!.envelopeSha256) === v.sentSha256).toBe(e.matchesSent);
    });
  }
});

describe('typed payload vectors (tests/vectors/payloads-v1.json, protocol §18.5-§18.8)', () => {
  interface File {
    now: number;
    cases: { name: string; section: string; requestBody: string; valid: boolean; error?: string; field?: string; detail?: string }[];
  }
  const v = read<File>('payloads-v1.json');
  it('has one valid form per request type and every rule broken once', () => {
    expect(v.cases.filter((c) => c.valid && c.name.startsWith('typed-'))).toHaveLength(8);
    // One rule per invalid case (distinct field and detail), except three rules broken two ways: an
    // unknown request type and an empty body (no type), a subject empty and too long, no basis for a
    // nationality verification and a consent not written.
    const invalid = v.cases.filter((c) => !c.valid);
    expect(new Set(invalid.map((c) => `${c.field} ${c.detail}`)).size).toBe(invalid.length - 3);
    expect(invalid.length).toBe(36);
  });
  for (const c of v.cases) {
    it(`${c.name} (${c.section})`, () => {
      const body = RequestBody.decode(fromB64u(c.requestBody));
      const got = failure(() => checkReceivedRequest({ ...body, kind: body.requestKind }, v.now));
      if (c.valid) return expect(got).toBeUndefined();
      expect(c.error).toBe('ERR_CONTENT_INVALID');
      expect(got).toEqual({ field: c.field, detail: c.detail });
    });
  }
});

describe('lifecycle step vectors (tests/vectors/steps-v1.json, protocol §18.2, §18.5)', () => {
  interface File {
    now: number;
    machine: { request: LifecycleState; side: Side; step: { action: Action; stage: string; note: string }; expected?: { status: string; stage: string }; error?: string }[];
    content: { name: string; kind: string; body: string; valid: boolean; error?: string; field?: string; detail?: string }[];
  }
  const v = read<File>('steps-v1.json');
  it(`gives the machine's result for all ${v.machine.length} steps`, () => {
    for (const m of v.machine) {
      const r = nextState(m.request, m.side, { action: m.step.action, stage: m.step.stage, hasReason: m.step.note !== '' });
      const label = `${m.side} ${m.step.action} ${m.step.stage} from ${m.request.status}/${m.request.stage}`;
      if (m.expected) expect(r, label).toEqual({ ok: true, ...m.expected });
      else expect(r.ok ? 'applied' : m.error, label).toBe('ERR_INVALID_TRANSITION');
    }
  });
  for (const c of v.content) {
    it(`content: ${c.name}`, () => {
      const u = StatusUpdate.decode(fromB64u(c.body));
      const got = failure(() => checkReceivedStep(u, c.kind, v.now, MAX_FUTURE_SKEW_MS));
      if (c.valid) return expect(got).toBeUndefined();
      expect(c.error).toBe('ERR_CONTENT_INVALID');
      expect(got).toEqual({ field: c.field, detail: c.detail });
    });
  }
});

describe('links vectors (tests/vectors/links-v1.json, protocol §25)', () => {
  interface File {
    parentRequestId: string;
    cases: { name: string; section: string; requestKind: string; sender: string; links: string; parent: LinkParent | null; valid: boolean; error?: string; detail?: string }[];
  }
  const v = read<File>('links-v1.json');
  it('covers the follow-ups the conventions name and each rule broken', () => {
    expect(v.cases.filter((c) => c.valid).map((c) => c.name)).toEqual(expect.arrayContaining(['travel-document', 'formal-extradition', 'case-and-codes']));
    expect(v.cases.filter((c) => !c.valid).every((c) => c.error === 'ERR_CONTENT_INVALID')).toBe(true);
  });
  for (const c of v.cases) {
    it(`${c.name} (${c.section})`, () => {
      const links = RequestLinks.decode(fromB64u(c.links));
      if (c.parent) expect(links.parentRequestId).toBe(v.parentRequestId);
      expect(receivedLinksProblem(links, c.parent ?? undefined, c.requestKind, c.sender)).toBe(c.valid ? undefined : c.detail);
    });
  }
});

describe('the vector files', () => {
  it('regenerate byte for byte', async () => {
    for (const [path, text] of await buildAllVectors()) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });
});
