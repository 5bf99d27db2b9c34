import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { completeness } from '../../services/requests/completeness.js';
import { validRequestPayload, validResponsePayload } from '../../services/requests/validate-payload.js';
import { checkProvidedInformation } from '../../services/requests/validate-provided.js';
import { collectViolations } from '../../services/requests/violations.js';
import type { FieldProblem } from '../errors.js';
import type { RequestKind } from './codes.js';
import { problemOfViolation } from './violations.js';
import { COUNTRY_CODES, LANGUAGE_CODES } from './world.js';
import { alternativesOf, bodyFromForm, plainPath, PROVIDED_FORM, PROVIDED_PREFIX, REQUEST_FORMS, RESPONSE_FORMS, RESPONSE_PREFIX, TYPED_PREFIX, type TypedField } from './typed-forms.js';

/** The RequestPayload the form describes, free text declared in `lang`. */
export function requestPayloadOf(kind: RequestKind, form: Record<string, unknown>, lang: string): RequestPayload {
  return RequestPayload.fromJSON({ language: lang, [kind]: bodyFromForm(REQUEST_FORMS[kind], form, TYPED_PREFIX) });
}

/** The ResponsePayload of an answer form, or undefined when none of its fields was filled. */
export function responsePayloadOf(kind: RequestKind, form: Record<string, unknown>, lang: string): ResponsePayload | undefined {
  const body = bodyFromForm(RESPONSE_FORMS[kind], form, RESPONSE_PREFIX);
  if (Object.keys(body).length === 0) return undefined;
  return ResponsePayload.fromJSON({ language: lang, [kind]: body });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Format problems a browser can fix field by field, before the node's own rules. */
function formatProblems(fields: readonly TypedField[], form: Record<string, unknown>, prefix: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const f of fields) {
    const name = prefix + f.path;
    const raw = form[name];
    if (f.kind === 'countries' && (Array.isArray(raw) ? raw : [raw]).some((c) => typeof c === 'string' && c !== '' && !COUNTRY_CODES.includes(c.toUpperCase()))) {
      out.push({ field: name, key: 'v.country' });
    }
    const v = typeof raw === 'string' ? raw.trim() : '';
    if (v === '') continue;
    if (f.kind === 'date' && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) out.push({ field: name, key: 'v.date' });
    if (f.kind === 'country' && !COUNTRY_CODES.includes(v.toUpperCase())) out.push({ field: name, key: 'v.country' });
    if (f.kind === 'language' && !LANGUAGE_CODES.includes(v)) out.push({ field: name, key: 'v.language' });
    if (f.kind === 'number' && !/^\d{1,6}$/.test(v)) out.push({ field: name, key: 'v.invalid' });
  }
  return out;
}

/** The form field a node-side path names ("typed.nationality_verification.victim.date_of_birth"), if the form has it. */
export function fieldFor(fields: readonly TypedField[], nodePath: string, kind: string, prefix: string): string | undefined {
  const p = plainPath(nodePath.replace(/^(typed(_response)?|payload|response)\./, '').replace(new RegExp(`^${kind}\\.`), ''));
  const match = fields.find((f) => plainPath(f.path) === p) ?? fields.find((f) => plainPath(f.path).startsWith(p + '.'));
  return match && prefix + match.path;
}

/** The node's own validation (the same code it runs on submit), every violation tied to its form field. */
function nodeProblems(fields: readonly TypedField[], kind: string, prefix: string, run: () => void): FieldProblem[] {
  try {
    collectViolations(run);
    return [];
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    return e.violations.map((v) => {
      const field = fieldFor(fields, v.field, kind, prefix) ?? '_';
      return v.rule ? problemOfViolation(v, field) : { field, ...nodeMessage(v.description) };
    });
  }
}

/**
 * The fields of a request form the node requires: those it reports as required when the form
 * is sent empty (the same rules as a submit), so the marks on the form are the node's own.
 */
export function requiredFields(kind: RequestKind): ReadonlySet<string> {
  const hit = REQUIRED.get(kind);
  if (hit) return hit;
  const fields = REQUEST_FORMS[kind];
  const empty = requestPayloadOf(kind, {}, 'es');
  const out = new Set<string>();
  try {
    collectViolations(() => validRequestPayload(kind, empty, { now: 0 }));
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    for (const v of e.violations) if (v.rule === 'required' || v.rule === 'min_entries') out.add(fieldFor(fields, v.field, kind, TYPED_PREFIX) ?? '');
  }
  for (const m of completeness(kind, empty)) if (m.required) out.add(fieldFor(fields, m.field, kind, TYPED_PREFIX) ?? '');
  out.delete('');
  // One of two will do: neither is required alone (the form says so in the field's hint).
  for (const f of fields) if (alternativesOf(f.path).length) out.delete(TYPED_PREFIX + f.path);
  REQUIRED.set(kind, out);
  return out;
}

const REQUIRED = new Map<RequestKind, ReadonlySet<string>>();

/**
 * The fields of an answer form the node requires once an answer is given (the form itself is
 * optional): those it reports as required in an answer of the kind with nothing in it, the same
 * rules as the step that carries it. What depends on the outcome (refusal grounds) is not marked.
 */
export function requiredAnswerFields(kind: RequestKind): ReadonlySet<string> {
  const hit = REQUIRED_ANSWER.get(kind);
  if (hit) return hit;
  const fields = RESPONSE_FORMS[kind];
  const out = new Set<string>();
  // The paths the node complains about in the answer `form` describes (`missing`: only those it says are missing).
  const asked = (form: Record<string, unknown>, missing: boolean): string[] => {
    try {
      collectViolations(() => validResponsePayload(kind, responsePayloadOf(kind, form, 'es') ?? ResponsePayload.fromJSON({ language: 'es', [kind]: {} }), { now: 0 }));
      return [];
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      return e.violations.filter((v) => !missing || v.rule === 'required' || v.rule === 'min_entries').map((v) => plainPath(v.field.replace(/^response\./, '').replace(`${kind}.`, '')));
    }
  };
  const needed = asked({}, true);
  for (const f of fields) {
    const path = plainPath(f.path);
    if (needed.includes(path)) out.add(RESPONSE_PREFIX + f.path);
    // A list the answer needs an entry of ("answers"): the entry's fields the node asks for once the others are there.
    const list = /^(.*)\.0\.[^.]+$/.exec(f.path)?.[1];
    if (list === undefined || !needed.includes(plainPath(list))) continue;
    const others = Object.fromEntries(fields.filter((o) => o !== f && o.path.startsWith(`${list}.0.`)).map((o) => [RESPONSE_PREFIX + o.path, SAMPLE[o.kind] ?? 'x']));
    // Left empty while the rest of the entry is valid, any complaint about it is that it is missing.
    if (asked(others, false).includes(path)) out.add(RESPONSE_PREFIX + f.path);
  }
  REQUIRED_ANSWER.set(kind, out);
  return out;
}

/** A value of each kind of field the node accepts, to fill an entry's other fields. */
const SAMPLE: Partial<Record<TypedField['kind'], string>> = { number: '1', date: '2026-01-01', bool: 'on' };

const REQUIRED_ANSWER = new Map<RequestKind, ReadonlySet<string>>();

export interface CheckItem {
  /** Form field name, or '' when the form has no field for it. */
  field: string;
  /** Node path, for a label when the form has no field. */
  path: string;
  required: boolean;
  message: string;
}

export interface TypedCheck {
  problems: FieldProblem[];
  /** What the request still lacks: required items block sending, the others are advice. */
  missing: CheckItem[];
  payload: RequestPayload;
}

/** Everything the form and the review page need to know about a typed request before it is sent. */
export function checkTypedRequest(kind: RequestKind, form: Record<string, unknown>, lang: string, now: number): TypedCheck {
  const fields = REQUEST_FORMS[kind];
  const payload = requestPayloadOf(kind, form, lang);
  const problems = formatProblems(fields, form, TYPED_PREFIX);
  for (const p of nodeProblems(fields, kind, TYPED_PREFIX, () => validRequestPayload(kind, payload, { now }))) if (!problems.some((q) => q.field === p.field)) problems.push(p);
  const missing = completeness(kind, payload).map((m) => ({ field: fieldFor(fields, m.field, kind, TYPED_PREFIX) ?? '', path: m.field, required: m.required, message: m.message }));
  return { problems: problems.filter((p) => p.key !== 'v.required' || !missing.some((m) => m.field === p.field && m.required)), missing, payload };
}

/** Checks an answer form; undefined payload when the form is empty. */
export function checkTypedResponse(kind: RequestKind, form: Record<string, unknown>, lang: string, now: number): { problems: FieldProblem[]; payload?: ResponsePayload } {
  const fields = RESPONSE_FORMS[kind];
  const payload = responsePayloadOf(kind, form, lang);
  if (!payload) return { problems: [] };
  const problems = formatProblems(fields, form, RESPONSE_PREFIX);
  for (const p of nodeProblems(fields, kind, RESPONSE_PREFIX, () => validResponsePayload(kind, payload, { now }))) if (!problems.some((q) => q.field === p.field)) problems.push(p);
  return { problems, payload };
}

/** The node's sentences that have a message of their own in the dictionaries; the rest are quoted. */
const NODE_MESSAGES: readonly [RegExp, string][] = [
  [/^must not be empty/, 'v.required'],
  [/^must be given/, 'v.required'],
  [/^must be an? .+ code \(one of/, 'v.choose'],
  [/^must be a date/, 'v.date'],
  [/^must not be in the future/, 'v.notFuture'],
  [/^must be an ISO 3166-1/, 'v.country'],
  [/^must be the number of a question/, 'v.questionNumber'],
  [/^repeats question/, 'v.questionRepeated'],
  [/^must be recorded \(written consent/, 'v.consentOrGround'],
  [/^must have at least one entry \(or answers/, 'v.provideSomething'],
  [/^must be true: date_of_birth/, 'v.childByAge'],
];

function nodeMessage(detail: string): Pick<FieldProblem, 'key' | 'params'> {
  const max = /^must have at most (\d+) characters/.exec(detail);
  if (max) return { key: 'v.tooLong', params: { max: Number(max[1]) } };
  const known = NODE_MESSAGES.find(([re]) => re.test(detail));
  return known ? { key: known[1] } : { key: 'v.invalidDetail', params: { detail } };
}

/**
 * Drops the entries of a list the person left empty ("items.0" blank, "items.1" filled), and
 * remembers where each kept entry was on the form, to put the node's complaints back there.
 */
function compact(body: Record<string, unknown>): Record<string, number[]> {
  const positions: Record<string, number[]> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!Array.isArray(value)) continue;
    positions[key] = [...value.keys()].filter((i) => value[i] !== undefined);
    body[key] = value.filter((x) => x !== undefined);
  }
  return positions;
}

/**
 * Checks the provided-information form with the node's own rules, every problem at once, each
 * tied to its field; undefined payload when the form is empty.
 */
export function checkProvidedInformationForm(form: Record<string, unknown>, lang: string, now: number): { problems: FieldProblem[]; payload?: ResponsePayload } {
  const body = bodyFromForm(PROVIDED_FORM, form, PROVIDED_PREFIX);
  if (Object.keys(body).length === 0) return { problems: [] };
  const positions = compact(body);
  const payload = ResponsePayload.fromJSON({ language: lang, provided_information: body });
  const problems = formatProblems(PROVIDED_FORM, form, PROVIDED_PREFIX);
  const root = 'typed_response.provided_information';
  const value = payload.body?.$case === 'providedInformation' ? payload.body.value : undefined;
  for (const e of value ? checkProvidedInformation(value, root, now).problems : []) {
    const field = providedField(e.field.slice(root.length + 1), positions);
    if (problems.some((p) => p.field === field)) continue;
    problems.push(e.rule ? problemOfViolation(e.violations[0]!, field) : { field, ...nodeMessage(e.message.slice(e.field.length + 1)) });
  }
  return { problems, payload };
}

/** "answers[0].text" (of the compacted body) as the form field it came from, e.g. "p.answers.1.text". */
function providedField(nodePath: string, positions: Record<string, number[]>): string {
  const parts = nodePath.replace(/\[(\d+)\]/g, '.$1').split('.');
  const list = positions[parts[0]!];
  if (list && parts[1] !== undefined && /^\d+$/.test(parts[1])) parts[1] = String(list[Number(parts[1])] ?? parts[1]);
  const path = parts.join('.');
  const exact = PROVIDED_FORM.find((f) => f.path === path) ?? PROVIDED_FORM.find((f) => f.path.startsWith(path + '.'));
  return PROVIDED_PREFIX + (exact?.path ?? fieldFor(PROVIDED_FORM, nodePath, 'provided_information', '') ?? PROVIDED_FORM[0]!.path);
}
