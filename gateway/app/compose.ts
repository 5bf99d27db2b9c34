import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { REQUEST_KINDS } from './codes.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The compose form, as the browser posts it; every message is a dictionary key. */
export const composeSchema = z.object({
  kind: z.enum(REQUEST_KINDS, 'v.chooseKind'),
  toCountry: z.string().regex(/^[A-Z]{2}$/, 'v.chooseCountry'),
  toAuthority: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]{0,62})?$/, 'v.invalid')
    .default(''),
  subject: z.string().trim().min(5).max(200),
  senderReference: z.string().trim().max(100).default(''),
  facts: z.string().trim().min(20).max(10_000),
  person: z.string().trim().max(300).default(''),
  legalBasis: z.string().trim().max(300).default(''),
  requestedBy: z
    .string()
    .refine((s) => s === '' || (DATE.test(s) && !Number.isNaN(Date.parse(s))), 'v.date')
    .default(''),
  idem: z.string().regex(/^[\x21-\x7e]{8,128}$/).default(() => randomUUID()),
});

export type ComposeInput = z.infer<typeof composeSchema>;

/** The fields of the compose form in order, with their labels' dictionary keys. */
export const COMPOSE_FIELDS = ['kind', 'toCountry', 'toAuthority', 'subject', 'senderReference', 'facts', 'person', 'legalBasis', 'requestedBy'] as const;

/** Items the completeness check lists before sending; each one true when present and valid. */
export function completeness(input: Partial<Record<(typeof COMPOSE_FIELDS)[number], string>>, problems: Record<string, string>): { item: string; ok: boolean; required: boolean }[] {
  const has = (f: (typeof COMPOSE_FIELDS)[number]) => !!input[f] && !problems[f];
  return [
    { item: 'kind', ok: has('kind'), required: true },
    { item: 'toCountry', ok: has('toCountry'), required: true },
    { item: 'subject', ok: has('subject'), required: true },
    { item: 'facts', ok: has('facts'), required: true },
    { item: 'toAuthority', ok: has('toAuthority'), required: false },
    { item: 'senderReference', ok: has('senderReference'), required: false },
    { item: 'legalBasis', ok: has('legalBasis'), required: false },
  ];
}

/** The JSON payload a generic request carries. */
export function payloadOf(input: ComposeInput): Uint8Array {
  const body: Record<string, string> = { facts: input.facts };
  if (input.person) body.person = input.person;
  if (input.legalBasis) body.legalBasis = input.legalBasis;
  if (input.requestedBy) body.requestedBy = input.requestedBy;
  return new TextEncoder().encode(JSON.stringify(body));
}
