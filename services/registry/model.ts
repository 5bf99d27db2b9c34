import { z } from 'zod';

/**
 * The registry's data model as it travels in signed records (JSON, docs/protocol.md
 * "Registry"). These schemas check structure only; validate.ts checks meaning
 * (vocabularies, formats, dates) and is applied both at the API edge and on receipt.
 */

/** Text by ISO 639-1 language code: `{ "es": "Fiscalía", "en": "Prosecution Service" }`. */
const localized = z.record(z.string(), z.string());

const officeHours = z.object({
  days: z.array(z.number().int()),
  open: z.string(),
  close: z.string(),
});

export const contactPointSchema = z.object({
  id: z.string(),
  country: z.string(),
  authority: localized,
  unit: localized,
  themes: z.array(z.string()),
  requestKinds: z.array(z.string()),
  languages: z.array(z.string()),
  roleTitle: z.string(),
  person: z.string(),
  email: z.string(),
  phone: z.string(),
  available247: z.boolean(),
  timeZone: z.string(),
  officeHours: z.array(officeHours),
  address: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  notes: z.string(),
  lastVerified: z.string(),
});

export const countryProfileSchema = z.object({
  country: z.string(),
  languages: z.array(z.string()),
  channels: z.array(z.object({ kind: z.string(), detail: z.string(), notes: z.string() })),
  serviceLevels: z.array(z.object({ requestKind: z.string(), workingDays: z.number().int(), urgentWorkingDays: z.number().int() })),
  calendar: z.object({
    timeZone: z.string(),
    workingDays: z.array(z.number().int()),
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  }),
  notes: z.string(),
});

export type ContactPoint = z.infer<typeof contactPointSchema>;
export type OfficeHours = ContactPoint['officeHours'][number];
export type CountryProfile = z.infer<typeof countryProfileSchema>;
export type Channel = CountryProfile['channels'][number];
export type ServiceLevel = CountryProfile['serviceLevels'][number];

/** The id of a country's one profile entry. */
export const PROFILE_ID = 'profile';

export const changeSchema = z.union([
  z.object({ op: z.literal('upsert'), type: z.literal('contact'), id: z.string(), version: z.number().int().positive(), entry: contactPointSchema }),
  z.object({ op: z.literal('upsert'), type: z.literal('country'), id: z.literal(PROFILE_ID), version: z.number().int().positive(), entry: countryProfileSchema }),
  z.object({ op: z.literal('retire'), type: z.literal('contact'), id: z.string(), version: z.number().int().positive(), reason: z.string() }),
]);

export type Change = z.infer<typeof changeSchema>;
export type EntryType = Change['type'];

/** The payload of one signed record: one entry of a country's hash-chained change log. */
export const recordPayloadSchema = z.object({
  v: z.literal(1),
  networkId: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
  seq: z.number().int().positive(),
  prev: z.string(),
  at: z.number().int().nonnegative(),
  by: z.string().min(1).max(200),
  changes: z.array(changeSchema).min(1).max(5000),
});

export type RecordPayload = z.infer<typeof recordPayloadSchema>;

export type EntryStatus = 'active' | 'retired';

/** An entry as the node holds it: the data and where it came from. */
export interface EntryState<T> {
  country: string;
  type: EntryType;
  id: string;
  version: number;
  status: EntryStatus;
  data: T;
  seq: number;
  updatedAt: number;
  updatedBy: string;
}

export type ContactEntry = EntryState<ContactPoint>;
export type CountryEntry = EntryState<CountryProfile>;

/** An empty contact point, for building one field by field (import, conversion). */
export function blankContact(country: string, id: string): ContactPoint {
  return {
    id,
    country,
    authority: {},
    unit: {},
    themes: [],
    requestKinds: [],
    languages: [],
    roleTitle: '',
    person: '',
    email: '',
    phone: '',
    available247: false,
    timeZone: '',
    officeHours: [],
    address: '',
    validFrom: '',
    validUntil: '',
    notes: '',
    lastVerified: '',
  };
}
