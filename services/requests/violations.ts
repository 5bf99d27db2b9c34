import { InvalidArgumentError, type FieldViolation } from '../../keys/index.js';

/**
 * The rules a field check can name (FieldViolation.rule, google.rpc.BadRequest's reason on the
 * wire), each with the parameters its sentence needs. A client translates the rule; the
 * English description is for logs and API users.
 */
export const VIOLATION_RULES = {
  required: [],
  too_long: ['max'],
  control_characters: [],
  code: ['table'],
  date: [],
  not_future: [],
  not_past: [],
  country: [],
  other_country: [],
  language: [],
  request_id: [],
  slug: [],
  media_type: [],
  min_entries: ['min'],
  max_entries: ['max'],
  repeated: ['value'],
  too_large: ['max'],
  invalid: [],
} as const satisfies Record<string, readonly string[]>;

export type ViolationRule = keyof typeof VIOLATION_RULES;

export function isViolationRule(x: string): x is ViolationRule {
  return Object.hasOwn(VIOLATION_RULES, x);
}

let collecting: FieldViolation[] | undefined;

/**
 * A field breaks a rule. Inside `collectViolations` the violation is recorded and the check
 * goes on (the caller returns its value as it is); elsewhere it throws InvalidArgumentError,
 * as a check always did.
 *
 * @example
 * if (v.length > max) report(path, `must have at most ${max} characters`, 'too_long', { max: String(max) });
 */
export function report(field: string, description: string, rule: ViolationRule, params: Record<string, string> = {}): void {
  if (!collecting) throw new InvalidArgumentError(field, description, rule, params);
  collecting.push({ field, description, rule, params });
}

/**
 * Runs a whole-input check, collecting every `report` in it, and throws one
 * InvalidArgumentError listing them all (a check that cannot go on throws as before; its
 * violations join the list). Checks are synchronous, so one collector at a time is enough;
 * a nested call reports into the outer one.
 *
 * @example
 * const valid = collectViolations(() => validRequestPayload('mla', payload, { now }));
 */
export function collectViolations<T>(check: () => T): T {
  if (collecting) return check();
  const found: FieldViolation[] = [];
  collecting = found;
  let value: T | undefined;
  try {
    value = check();
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    found.push(...e.violations);
  } finally {
    collecting = undefined;
  }
  if (found.length > 0) throw InvalidArgumentError.of(dedupe(found));
  return value as T;
}

/**
 * One independent part of a whole-input check: inside `collectViolations`, a part that cannot
 * go on records its violations and gives `fallback`, so the next part is still checked.
 */
export function part<T>(fallback: T, check: () => T): T {
  if (!collecting) return check();
  try {
    return check();
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    collecting.push(...e.violations);
    return fallback;
  }
}

/** The first violation of each field, in order: one message per field. */
function dedupe(violations: readonly FieldViolation[]): FieldViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => !seen.has(v.field) && seen.add(v.field));
}
