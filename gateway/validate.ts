import type { z } from 'zod';
import { GatewayError, type FieldProblem } from './errors.js';
import { hasKey } from './i18n/index.js';

/**
 * Zod issue → dictionary key. A schema may name its own key as the issue message
 * (`z.string().regex(re, 'v.country')`); otherwise the issue code picks a generic one.
 */
function problemOf(issue: z.core.$ZodIssue, input: unknown): FieldProblem {
  const field = issue.path.map(String).join('.') || '_';
  const value = issue.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined), input);
  if (hasKey(issue.message)) return { field, key: issue.message };
  switch (issue.code) {
    case 'too_small':
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return { field, key: 'v.required' };
      return { field, key: issue.origin === 'array' ? 'v.chooseAtLeast' : 'v.tooShort', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { field, key: issue.origin === 'array' ? 'v.chooseAtMost' : 'v.tooLong', params: { max: Number(issue.maximum) } };
    case 'invalid_type':
      return { field, key: value === undefined || value === '' ? 'v.required' : 'v.invalid' };
    case 'invalid_value':
      return { field, key: value === undefined || value === '' ? 'v.required' : 'v.choose' };
    default:
      return { field, key: 'v.invalid' };
  }
}

/** Parses input at the edge; on failure, ERR_INVALID_ARGUMENT with one problem per field (first issue wins). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: problemsOf(r.error, input) });
}

export function problemsOf(error: z.ZodError, input: unknown): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const p = problemOf(issue, input);
    if (seen.has(p.field)) continue;
    seen.add(p.field);
    out.push(p);
  }
  return out;
}
