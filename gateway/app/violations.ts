import type { FieldViolation } from '../../keys/index.js';
import { isViolationRule, type ViolationRule } from '../../services/requests/violations.js';
import type { FieldProblem } from '../errors.js';

/** The sentence of each of the node's rules (services/requests/violations.ts) in the dictionaries. */
const RULE_KEYS: Record<ViolationRule, string> = {
  required: 'v.required',
  too_long: 'v.tooLong',
  control_characters: 'v.controlChars',
  code: 'v.choose',
  date: 'v.date',
  not_future: 'v.notFuture',
  not_past: 'v.notPast',
  country: 'v.country',
  other_country: 'v.otherCountry',
  language: 'v.language',
  request_id: 'v.requestId',
  slug: 'v.slug',
  media_type: 'v.mediaType',
  min_entries: 'v.minEntries',
  max_entries: 'v.maxEntries',
  repeated: 'v.repeated',
  too_large: 'v.tooLarge',
  invalid: 'v.invalid',
};

/**
 * A violation the node reported, as a problem of form field `field`: the rule's own sentence
 * with its parameters, or, for a rule this gateway does not know, the generic one (never the
 * node's English).
 */
export function problemOfViolation(v: FieldViolation, field: string): FieldProblem {
  const key = isViolationRule(v.rule) ? RULE_KEYS[v.rule] : 'v.invalid';
  return Object.keys(v.params).length > 0 ? { field, key, params: { ...v.params } } : { field, key };
}
