/**
 * The required marks of the compose form are the node's rules (issue 17): on each step, a
 * field is marked required exactly when the node refuses a submit without it. The required set
 * is derived here from the validators themselves (protovalidate annotations of proto/ and the
 * node's own checks), not from the form's code, and compared with the marks on the pages.
 */
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { createValidator, type Validator } from '@bufbuild/protovalidate';
import { beforeAll, describe, expect, it } from 'vitest';
import { Request, SubmitRequestRequest } from '../generated/enlace/v1/exchange.js';
import { RequestPayload, ResponsePayload } from '../generated/enlace/v1/requests.js';
import { REQUEST_KINDS, type RequestKind } from '../gateway/app/codes.js';
import { requestPayloadOf, responsePayloadOf } from '../gateway/app/typed-compose.js';
import { alternativesOf, formFromBody, isVictimBasis, REQUEST_FORMS, RESPONSE_FORMS, RESPONSE_PREFIX, TYPED_PREFIX } from '../gateway/app/typed-forms.js';
import { translator } from '../gateway/i18n/index.js';
import { composePage } from '../gateway/ui/pages/compose.js';
import { actionsPanel } from '../gateway/ui/pages/request-detail.js';
import { InvalidArgumentError } from '../keys/index.js';
import { validSubmitRequest } from '../services/grpc/validate.js';
import { completeness } from '../services/requests/completeness.js';
import { completeRequest, completeResponse, TEST_NOW } from '../services/requests/testkit.js';
import { validRequestPayload, validResponsePayload } from '../services/requests/validate-payload.js';
import { collectViolations } from '../services/requests/violations.js';
import { protoRegistry } from './_protovalidate.js';

const view = {
  lang: 'en' as const,
  t: translator('en'),
  country: 'AR',
  csrf: 'x',
  path: '/compose',
  timeZone: 'UTC',
  user: { username: 'focal.ar', displayName: 'F', roles: ['focal_point' as const] },
};

/** The names of the fields a page marks required (the asterisk of a label or a legend). */
function marked(page: string): Set<string> {
  const out = new Set<string>();
  for (const m of page.matchAll(/<label for="f-([^"]+)">[^<]*<span class="req"/g)) out.add(m[1]!);
  for (const m of page.matchAll(/<fieldset class="field checks[^"]*"[^>]*>\s*<legend>[^<]*<span class="req"[^]*?name="([^"]+)"/g)) out.add(m[1]!);
  return out;
}

/** The compose form's name of each SubmitRequestRequest field the first two steps ask for. */
const COMMON: Record<string, string> = { to_country: 'toCountry', to_authority: 'toAuthority', kind: 'kind', subject: 'subject', sender_reference: 'senderReference' };

const snake = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(snake) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(x)])) : v;

/** The complete form of a kind as the compose form's fields. */
function completeForm(kind: RequestKind): Record<string, string | string[]> {
  const json = snake(RequestPayload.toJSON(completeRequest(kind))) as Record<string, Record<string, unknown>>;
  const form = formFromBody(REQUEST_FORMS[kind], json[kind]!, TYPED_PREFIX);
  // "other" asks for a description the form has no field for (one measure per code): left out.
  for (const [k, v] of Object.entries(form)) if (k.includes('.*.') && Array.isArray(v)) form[k] = v.filter((c) => c !== 'other');
  return form;
}

/**
 * Whether the node refuses a typed form (its validator) or blocks sending it (its checklist) for
 * want of the field at `path`: a complaint about the field itself, or about the list whose
 * first entry the field is ("measures" has no entry: `measures.*.code`).
 */
/** Whether the node accepts the form as it is and its checklist lets it be sent. */
function nodeAccepts(kind: RequestKind, form: Record<string, unknown>): boolean {
  const payload = requestPayloadOf(kind, form, 'es');
  try {
    collectViolations(() => validRequestPayload(kind, payload, { now: TEST_NOW }));
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    return false;
  }
  return !completeness(kind, payload).some((m) => m.required);
}

/** A value for the alternative `path` that the node accepts (a checkbox ticked, a ground or a name written). */
function completeOr(kind: RequestKind, path: string, complete: Record<string, unknown>): string {
  const f = REQUEST_FORMS[kind].find((x) => x.path === path);
  const had = complete[TYPED_PREFIX + path];
  if (typeof had === 'string' && had !== '' && had !== 'off') return had;
  return f?.kind === 'bool' ? 'on' : f?.kind === 'date' ? '2026-01-10' : 'Art. 8 of the national law on trafficking';
}

function nodeRequires(kind: RequestKind, form: Record<string, unknown>, path: string): boolean {
  const payload = requestPayloadOf(kind, form, 'es');
  const plain = (p: string) => p.replace(/\[\d+\]/g, '').replace(/\.(\d+|\*)(?=\.|$)/g, '');
  const target = plain(path);
  const list = /^(.*?)\.(\d+|\*)\.[^.]+$/.exec(path)?.[1];
  const about = (field: string) => {
    const n = plain(field.replace(/^(typed|payload)\./, '').replace(new RegExp(`^${kind}\\.`), ''));
    return n === target || (list !== undefined && n === plain(list));
  };
  try {
    collectViolations(() => validRequestPayload(kind, payload, { now: TEST_NOW }));
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    if (e.violations.some((v) => about(v.field))) return true;
  }
  return completeness(kind, payload).some((m) => m.required && about(m.field));
}

describe('required marks on the compose form', () => {
  let registry: ReturnType<typeof protoRegistry>;
  let validator: Validator;
  let submitDesc: DescMessage;
  beforeAll(() => {
    registry = protoRegistry();
    validator = createValidator({ registry });
    submitDesc = registry.getMessage('enlace.v1.SubmitRequestRequest')!;
  });

  it('type, destination, subject and reference: marked as the annotations and the node say', () => {
    const base = { toCountry: 'UY', toAuthority: 'dnm', kind: 'mla', subject: 'Bank records of a company', senderReference: 'REF-1', typed: completeRequest('mla') };
    const required = new Set<string>();
    for (const [proto, name] of Object.entries(COMMON)) {
      const msg = SubmitRequestRequest.fromPartial({ ...base, [name === 'toCountry' ? 'toCountry' : name]: '' });
      const bytes = SubmitRequestRequest.encode(msg).finish();
      const res = validator.validate(submitDesc, fromBinary(submitDesc, bytes));
      const annotation = res.kind !== 'valid';
      let node = false;
      try {
        validSubmitRequest(SubmitRequestRequest.decode(bytes), 'AR', TEST_NOW);
      } catch (e) {
        if (!(e instanceof InvalidArgumentError)) throw e;
        node = e.violations.some((v) => v.field === proto);
      }
      expect(node, `${proto}: the node and the annotation agree`).toBe(annotation);
      if (node) required.add(name);
    }
    expect(required).toEqual(new Set(['toCountry', 'kind', 'subject']));

    const step1 = marked(composePage(view, { values: {}, destinations: ['UY'], candidates: [] }));
    const step2 = marked(composePage(view, { values: { kind: 'mla', toCountry: 'UY' }, destinations: ['UY'], candidates: [] }));
    for (const step of [step1, step2]) expect(new Set([...step].filter((n) => Object.values(COMMON).includes(n)))).toEqual(new Set([...required].filter((n) => n !== 'subject' || step === step2)));
  });

  for (const kind of REQUEST_KINDS) {
    it(`the typed form of ${kind}: a field is marked exactly when the node refuses the complete form without it`, () => {
      const complete = completeForm(kind);
      expect(nodeAccepts(kind, complete), 'the complete form passes').toBe(true);
      const required = new Set<string>();
      for (const f of REQUEST_FORMS[kind]) {
        const name = TYPED_PREFIX + f.path;
        if (!(name in complete)) continue;
        const { [name]: _gone, ...without } = complete;
        // Required: the node asks for it in an empty form and refuses the complete form without it
        // (a field needed only with another, like a document's number, is asked for in neither).
        if (!nodeRequires(kind, without, f.path) || !nodeRequires(kind, {}, f.path)) continue;
        if (alternativesOf(f.path).length === 0) required.add(name);
      }
      // One of two (alternativesOf): the node refuses the form without both, and accepts it with either.
      const either: string[] = [];
      for (const f of REQUEST_FORMS[kind]) {
        const others = alternativesOf(f.path).filter((o) => REQUEST_FORMS[kind].some((x) => x.path === o));
        if (others.length === 0) continue;
        const name = TYPED_PREFIX + f.path;
        const { [name]: _gone, ...without } = complete;
        const neither = Object.fromEntries(Object.entries(without).filter(([k]) => !others.some((o) => k === TYPED_PREFIX + o)));
        const onlyOther = { ...neither, ...Object.fromEntries(others.map((o) => [TYPED_PREFIX + o, completeOr(kind, o, complete)])) };
        // The consent or the legal ground are needed only when the request concerns a victim.
        if (!isVictimBasis(f.path) || kind === 'nationality_verification') expect(nodeAccepts(kind, neither), `${kind} ${f.path}: the node wants it or ${others.join(', ')}`).toBe(false);
        expect(nodeAccepts(kind, onlyOther), `${kind} ${f.path}: ${others.join(', ')} stands in for it`).toBe(true);
        either.push(name);
      }
      expect(required.size, 'the node requires something of every form').toBeGreaterThan(0);
      if (kind === 'nationality_verification') expect(either).toEqual(expect.arrayContaining(['t.victim.family_names', 't.verify_nationality', 't.consent.written']));
      const marks = marked(composePage(view, { values: { kind, toCountry: 'UY' }, destinations: ['UY'], candidates: [] }));
      const typedMarks = new Set([...marks].filter((n) => n.startsWith(TYPED_PREFIX)));
      // Neither of a pair is marked; the hint names the other.
      const page = composePage(view, { values: { kind, toCountry: 'UY' }, destinations: ['UY'], candidates: [] });
      for (const name of either) {
        expect(typedMarks.has(name), name).toBe(false);
        expect(page, name).toMatch(new RegExp(`<p class="hint" id="${name.replace(/[.*]/g, '\\$&')}-hint">[^<]*(Required|required) unless`));
      }
      expect({ missingMark: [...required].filter((n) => !typedMarks.has(n)), markNotRequired: [...typedMarks].filter((n) => !required.has(n)) }).toEqual({ missingMark: [], markNotRequired: [] });
    });
  }
});

/** The complete answer of a kind as the answer form's fields. */
function completeAnswerForm(kind: RequestKind): Record<string, string | string[]> {
  const json = snake(ResponsePayload.toJSON(completeResponse(kind))) as Record<string, Record<string, unknown>>;
  return formFromBody(RESPONSE_FORMS[kind], json[kind]!, RESPONSE_PREFIX);
}

/** Whether the node refuses the answer the form describes (an answer with nothing in it when the form is empty) for want of the field at `path`. */
function nodeRequiresInAnswer(kind: RequestKind, form: Record<string, unknown>, path: string): boolean {
  const payload = responsePayloadOf(kind, form, 'es') ?? ResponsePayload.fromJSON({ language: 'es', [kind]: {} });
  const plain = (p: string) => p.replace(/\[\d+\]/g, '').replace(/\.(\d+|\*)(?=\.|$)/g, '');
  const target = plain(path);
  const list = /^(.*?)\.(\d+|\*)\.[^.]+$/.exec(path)?.[1];
  try {
    collectViolations(() => validResponsePayload(kind, payload, { now: TEST_NOW }));
    return false;
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    return e.violations.some((v) => {
      const n = plain(v.field.replace(/^response\./, '').replace(new RegExp(`^${kind}\\.`), ''));
      return n === target || (list !== undefined && n === plain(list));
    });
  }
}

describe('required marks on the answer form', () => {
  for (const kind of REQUEST_KINDS) {
    it(`the answer to ${kind}: a field is marked exactly when the node refuses an answer without it, and the browser never blocks a step for it`, () => {
      const complete = completeAnswerForm(kind);
      // The form holds part of an answer (no convictions or measures list): the node's complaints are read field by field.
      const required = new Set<string>();
      for (const f of RESPONSE_FORMS[kind]) {
        const name = RESPONSE_PREFIX + f.path;
        if (!(name in complete)) continue;
        const { [name]: _gone, ...without } = complete;
        // Required: the node asks for it in an answer with nothing in it and refuses the complete one without it
        // (the refusal grounds, needed only when the outcome is a refusal, are asked for in neither).
        if (nodeRequiresInAnswer(kind, without, f.path) && nodeRequiresInAnswer(kind, {}, f.path)) required.add(name);
      }
      if (['mla', 'nationality_verification', 'criminal_records', 'extradition'].includes(kind)) expect(required).toEqual(new Set([`${RESPONSE_PREFIX}outcome`]));
      const request = Request.fromPartial({ id: '0190a0a0-0000-7000-8000-000000000001', kind, allowedActions: ['acknowledge', 'complete', 'refuse'] });
      const page = String(actionsPanel({ ...view, path: `/requests/${request.id}` }, request, 'x', []));
      const marks = new Set([...marked(page)].filter((n) => n.startsWith(RESPONSE_PREFIX)));
      expect({ missingMark: [...required].filter((n) => !marks.has(n)), markNotRequired: [...marks].filter((n) => !required.has(n)) }).toEqual({ missingMark: [], markNotRequired: [] });
      // The answer is optional: acknowledging or refusing without one must not be stopped by the browser.
      expect(page).not.toMatch(/name="r\.[^"]*"[^>]*\srequired[\s>]/);
    });
  }
});
