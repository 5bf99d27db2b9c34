import { z } from 'zod';
import type { ContactPoint, DirectoryEntry } from '../../generated/enlace/v1/directory.js';
import { LANGS } from '../i18n/index.js';
import { languageSchema, requestKindSchema } from '../../services/vocabulary.js';

const DATE = /^(\d{4}-\d{2}-\d{2})?$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const list = (x: unknown) => (x === undefined || x === '' ? [] : typeof x === 'string' ? [x] : x);

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The contact point form as posted, checked with the registry's rules so that problems show
 * in the user's language before the node (which checks again) is asked.
 */
export const contactFormSchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'v.slug'),
    authority_es: z.string().trim().max(300).default(''),
    authority_en: z.string().trim().max(300).default(''),
    authority_fr: z.string().trim().max(300).default(''),
    authority_pt: z.string().trim().max(300).default(''),
    unit_es: z.string().trim().max(300).default(''),
    unit_en: z.string().trim().max(300).default(''),
    unit_fr: z.string().trim().max(300).default(''),
    unit_pt: z.string().trim().max(300).default(''),
    themes: z.preprocess(list, z.array(z.string().regex(/^[a-z_]{1,60}$/)).min(1, 'v.chooseTheme')),
    requestKinds: z.preprocess(list, z.array(requestKindSchema)),
    languages: z.preprocess(list, z.array(languageSchema).min(1, 'v.chooseLanguage')),
    roleTitle: z.string().trim().max(200).default(''),
    person: z.string().trim().max(200).default(''),
    email: z
      .string()
      .trim()
      .max(254)
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'v.email'),
    phone: z
      .string()
      .transform((s) => s.replace(/[\s().-]/g, ''))
      .pipe(z.string().regex(/^(\+[1-9]\d{6,14})?$/, 'v.phone'))
      .default(''),
    available247: z.preprocess((x) => x === 'on' || x === 'yes' || x === true, z.boolean()),
    timeZone: z.string().trim().refine(validTimeZone, 'v.timeZone'),
    days: z.preprocess(list, z.array(z.coerce.number().int().min(1).max(7))),
    open: z.string().regex(HHMM, 'v.time').or(z.literal('')).default(''),
    close: z.string().regex(HHMM, 'v.time').or(z.literal('')).default(''),
    address: z.string().trim().max(400).default(''),
    validFrom: z.string().regex(DATE, 'v.date').default(''),
    validUntil: z.string().regex(DATE, 'v.date').default(''),
    notes: z.string().trim().max(2000).default(''),
    lastVerified: z.string().regex(DATE, 'v.date').default(''),
    expectedVersion: z.coerce.number().int().min(0).default(0),
  })
  .refine((c) => c.authority_es || c.authority_en || c.authority_fr || c.authority_pt, { path: ['authority_es'], message: 'v.authority' })
  .refine((c) => c.days.length === 0 || (c.open !== '' && c.close !== '' && c.close > c.open), { path: ['close'], message: 'v.hours' })
  .refine((c) => !c.validFrom || !c.validUntil || c.validUntil >= c.validFrom, { path: ['validUntil'], message: 'v.dateOrder' });

export type ContactForm = z.infer<typeof contactFormSchema>;

export function contactFromForm(f: ContactForm, country: string): ContactPoint {
  const texts = (prefix: 'authority' | 'unit') => LANGS.map((lang) => ({ lang, text: f[`${prefix}_${lang}`] })).filter((t) => t.text !== '');
  return {
    id: f.id,
    country,
    authority: texts('authority'),
    unit: texts('unit'),
    themes: f.themes,
    requestKinds: f.requestKinds,
    languages: f.languages,
    roleTitle: f.roleTitle,
    person: f.person,
    email: f.email,
    phone: f.phone,
    available247: f.available247,
    timeZone: f.timeZone,
    officeHours: f.days.length ? [{ days: [...f.days].sort(), open: f.open, close: f.close }] : [],
    address: f.address,
    validFrom: f.validFrom,
    validUntil: f.validUntil,
    notes: f.notes,
    lastVerified: f.lastVerified,
  };
}

/** An entry as the form's values (strings and lists of strings). */
export function formFromEntry(e: DirectoryEntry): Record<string, string | string[]> {
  const c = e.contact!;
  const text = (xs: { lang: string; text: string }[], lang: string) => xs.find((x) => x.lang === lang)?.text ?? '';
  const out: Record<string, string | string[]> = {
    id: c.id,
    themes: c.themes,
    requestKinds: c.requestKinds,
    languages: c.languages,
    roleTitle: c.roleTitle,
    person: c.person,
    email: c.email,
    phone: c.phone,
    available247: c.available247 ? 'on' : '',
    timeZone: c.timeZone,
    days: (c.officeHours[0]?.days ?? []).map(String),
    open: c.officeHours[0]?.open ?? '',
    close: c.officeHours[0]?.close ?? '',
    address: c.address,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    notes: c.notes,
    lastVerified: c.lastVerified,
    expectedVersion: String(e.version),
  };
  for (const lang of LANGS) {
    out[`authority_${lang}`] = text(c.authority, lang);
    out[`unit_${lang}`] = text(c.unit, lang);
  }
  return out;
}
