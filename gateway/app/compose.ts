import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { identityValues, namesPerson } from '../../services/requests/named-persons.js';
import type { Lang } from '../i18n/index.js';
import { REQUEST_KINDS } from './codes.js';
import { checkTypedRequest, fieldFor, type TypedCheck } from './typed-compose.js';
import { REQUEST_FORMS, TYPED_PREFIX } from './typed-forms.js';
import { problemsOf } from '../validate.js';
import type { FieldProblem } from '../errors.js';

/** The common part of the compose form (the typed part is checked by typed-compose); messages are dictionary keys. */
export const composeSchema = z.object({
  kind: z.enum(REQUEST_KINDS, 'v.chooseKind'),
  toCountry: z.string().regex(/^[A-Z]{2}$/, 'v.chooseCountry'),
  toAuthority: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]{0,62})?$/, 'v.invalid')
    .default(''),
  subject: z.string().trim().min(5).max(200),
  senderReference: z.string().trim().max(100).default(''),
  idem: z
    .string()
    .regex(/^[\x21-\x7e]{8,128}$/)
    .default(() => randomUUID()),
});

export type ComposeInput = z.infer<typeof composeSchema>;

/** SubmitRequest fields (the node's paths) that are fields of the compose form under another name. */
const COMMON_FIELDS: Record<string, string> = { to_country: 'toCountry', to_authority: 'toAuthority', kind: 'kind', subject: 'subject', sender_reference: 'senderReference' };

/** The node's complaints about a submit (paths like "typed.mla.facts"), each on its compose field ('_' when the form has none). */
export function composeProblemsOf(kind: (typeof REQUEST_KINDS)[number], problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({ ...p, field: COMMON_FIELDS[p.field] ?? fieldFor(REQUEST_FORMS[kind], p.field, kind, TYPED_PREFIX) ?? '_' }));
}

export const COMPOSE_FIELDS = ['kind', 'toCountry', 'toAuthority', 'subject', 'senderReference'] as const;

export interface ComposeCheck {
  input?: ComposeInput;
  typed?: TypedCheck;
  problems: FieldProblem[];
}

/** The whole form: common fields, the destination among the node's peers, and the typed form of the chosen kind. */
export function checkCompose(body: Record<string, unknown>, destinations: string[], lang: Lang, now: number): ComposeCheck {
  const r = composeSchema.safeParse(body);
  const problems: FieldProblem[] = r.success ? [] : problemsOf(r.error, body);
  const to = typeof body.toCountry === 'string' ? body.toCountry : '';
  if (to && !problems.some((p) => p.field === 'toCountry') && !destinations.includes(to)) problems.push({ field: 'toCountry', key: 'v.chooseCountry' });
  const kind = typeof body.kind === 'string' && (REQUEST_KINDS as readonly string[]).includes(body.kind) ? (body.kind as (typeof REQUEST_KINDS)[number]) : undefined;
  const typed = kind ? checkTypedRequest(kind, body, lang, now) : undefined;
  if (typed) problems.push(...typed.problems);
  // The node refuses the same (services/requests/named-persons.ts); here it is a problem of the field, as you type.
  if (r.success && typed && namesPerson(r.data.subject, identityValues([typed.payload]))) problems.push({ field: 'subject', key: 'error.rule.names_person' });
  return { ...(r.success && problems.length === 0 ? { input: r.data } : {}), ...(typed ? { typed } : {}), problems };
}

/** The SubmitRequest fields of a checked compose form (the web form and the JSON API send the same). */
export function submissionOf(input: ComposeInput, typed: TypedCheck, body: Record<string, unknown>) {
  return {
    toCountry: input.toCountry,
    toAuthority: input.toAuthority,
    kind: input.kind,
    subject: input.subject,
    typed: typed.payload,
    urgency: urgencyOf(body),
    idempotencyKey: input.idem,
    senderReference: input.senderReference,
  };
}

/** The SubmitRequest urgency: the typed form's own, "normal" otherwise. */
export function urgencyOf(body: Record<string, unknown>): string {
  return body['t.urgency'] === 'urgent' ? 'urgent' : 'normal';
}
