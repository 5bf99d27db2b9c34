import type { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { FIELD_CLASS_NAMES, FIELD_CLASSES, type FieldClass, type MessageName } from './field-classes.js';

/** What a withheld non-empty text shows in its place (empty fields stay empty). */
export const REDACTED = '[redacted]';

type Rule = string | Readonly<Record<string, string>>;
type Obj = Record<string, unknown>;

const TABLES = FIELD_CLASSES as unknown as Readonly<Record<MessageName, Readonly<Record<string, Rule>>>>;
const isClass = (rule: string): rule is FieldClass => (FIELD_CLASS_NAMES as readonly string[]).includes(rule);

function withheld(v: unknown): unknown {
  if (typeof v === 'string') return v === '' ? '' : REDACTED;
  if (typeof v === 'number') return 0;
  if (typeof v === 'boolean') return false;
  if (v instanceof Uint8Array) return new Uint8Array();
  if (Array.isArray(v)) return v.length > 0 && v.every((x) => typeof x === 'string') ? [REDACTED] : [];
  return undefined;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === '' || v === 0 || v === false || (v instanceof Uint8Array && v.byteLength === 0) || (Array.isArray(v) && v.length === 0);

/** Calls `leaf` for each classified field (or whole message classed as one), with its path, and recurses into the others. */
function walk(name: MessageName, value: Obj, leaf: (cls: FieldClass, v: unknown, path: string) => unknown, at = ''): Obj {
  const out: Obj = { ...value };
  for (const [key, rule] of Object.entries(TABLES[name])) {
    const v = value[key];
    const path = at ? `${at}.${key}` : key;
    if (typeof rule === 'string' && isClass(rule)) out[key] = leaf(rule, v, path);
    else if (v === undefined) out[key] = undefined;
    else if (typeof rule === 'string') {
      const nested = rule as MessageName;
      out[key] = Array.isArray(v) ? v.map((x: Obj, i) => walk(nested, x, leaf, `${path}.${i}`)) : walk(nested, v as Obj, leaf, path);
    } else {
      const one = v as { $case: string; value: Obj };
      const nested = rule[one.$case] as MessageName | undefined;
      // A oneof case this table does not know (a newer peer) is withheld whole: fail closed.
      out[key] = nested ? { $case: one.$case, value: walk(nested, one.value, leaf, `${path}.${one.$case}`) } : leaf('identity', v, path);
    }
  }
  return out;
}

function redact<T extends object>(name: MessageName, value: T, shown: readonly FieldClass[]): T {
  return walk(name, value as Obj, (cls, v) => (shown.includes(cls) ? v : withheld(v))) as T;
}

function classesIn(name: MessageName, value: object): FieldClass[] {
  const found = new Set(fieldsOf(name, value).map((f) => f.cls));
  return FIELD_CLASS_NAMES.filter((c) => found.has(c));
}

/**
 * A copy of the request form with the fields of every class not in `shown` withheld: texts
 * become "[redacted]", lists of texts ["[redacted]"], messages classed whole (a photo) are
 * removed. With `shown = ['metadata']` no person's identity and no free text remains.
 *
 * @example
 * redactRequest(payload, ['metadata']).body.value.personSought.familyNames; // "[redacted]"
 */
export function redactRequest(payload: RequestPayload, shown: readonly FieldClass[]): RequestPayload {
  return redact('RequestPayload', payload, shown);
}

export function redactResponse(response: ResponsePayload, shown: readonly FieldClass[]): ResponsePayload {
  return redact('ResponsePayload', response, shown);
}

/** The classes of the non-empty fields of a stored (unredacted) request form, in FIELD_CLASS_NAMES order. */
export function requestClasses(payload: RequestPayload): FieldClass[] {
  return classesIn('RequestPayload', payload);
}

export function responseClasses(response: ResponsePayload): FieldClass[] {
  return classesIn('ResponsePayload', response);
}

/** A classified field of a form: its path in ts-proto names ("body.extradition.personSought.familyNames"), class and value. */
export interface ClassifiedField {
  path: string;
  cls: FieldClass;
  value: unknown;
}

function fieldsOf(name: MessageName, value: object): ClassifiedField[] {
  const out: ClassifiedField[] = [];
  walk(name, value as Obj, (cls, v, path) => {
    if (!isEmpty(v)) out.push({ path, cls, value: v });
    return v;
  });
  return out;
}

/** Every non-empty classified field of a request form (tests and documentation read the policy through this). */
export function requestFields(payload: RequestPayload): ClassifiedField[] {
  return fieldsOf('RequestPayload', payload);
}

export function responseFields(response: ResponsePayload): ClassifiedField[] {
  return fieldsOf('ResponsePayload', response);
}
