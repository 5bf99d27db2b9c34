import { InvalidArgumentError } from '../../keys/index.js';
import { isLanguage } from './languages.js';
import type { Channel, ContactPoint, CountryProfile, OfficeHours, ServiceLevel } from './model.js';
import { isRequestKind, isTheme, REGISTRY_REQUEST_KINDS, THEMES } from './themes.js';

/**
 * Validation of registry entries into normalized values. Every failure is an
 * InvalidArgumentError naming the field by its API (proto) name, e.g. `contact.email` or
 * `contact.languages[1]`. The same checks run on entries received from other nodes.
 */

export const CHANNEL_KINDS = ['enlace', 'email', 'phone', 'fax', 'diplomatic', 'interpol', 'iberred', 'other'] as const;

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COUNTRY = /^[A-Z]{2}$/;
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const ZONES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('timeZone'));

/** An IANA time zone name the runtime knows (canonical names and their aliases, e.g. UTC). */
export function isTimeZone(tz: string): boolean {
  if (ZONES.has(tz)) return true;
  if (!/^(?:UTC|[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2})$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export function today(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

function text(value: string, field: string, max: number, required = false): string {
  const v = value.trim();
  if (required && v === '') throw new InvalidArgumentError(field, 'is required', 'required');
  if (v.length > max) throw new InvalidArgumentError(field, `must have at most ${max} characters`, 'too_long', { max: String(max) });
  return v;
}

function date(value: string, field: string, required = false): string {
  const v = value.trim();
  if (v === '' && !required) return '';
  if (!isDate(v)) throw new InvalidArgumentError(field, 'must be a date written YYYY-MM-DD, like 2026-03-31', 'date');
  return v;
}

function timeZone(value: string, field: string): string {
  const v = value.trim();
  if (!isTimeZone(v)) throw new InvalidArgumentError(field, 'must be an IANA time zone name, like America/Montevideo', 'time_zone');
  return v;
}

function languages(list: string[], field: string, required: boolean): string[] {
  if (required && list.length === 0) throw new InvalidArgumentError(field, 'must name at least one language', 'languages_required');
  const out = list.map((l, i) => {
    const v = l.trim().toLowerCase();
    if (!isLanguage(v)) throw new InvalidArgumentError(`${field}[${i}]`, 'must be an ISO 639-1 language code, like es, en, fr or pt', 'language', { value: l });
    return v;
  });
  return [...new Set(out)];
}

function localized(map: Record<string, string>, field: string, required: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, value] of Object.entries(map)) {
    const l = lang.trim().toLowerCase();
    if (!isLanguage(l)) throw new InvalidArgumentError(`${field}.${lang}`, 'must be keyed by an ISO 639-1 language code, like es', 'language', { value: lang });
    const v = text(value, `${field}.${l}`, 200);
    if (v) out[l] = v;
  }
  if (required && Object.keys(out).length === 0) throw new InvalidArgumentError(field, 'must give the name in at least one language', 'authority_required');
  return out;
}

function weekdays(days: number[], field: string, required: boolean): number[] {
  if (required && days.length === 0) throw new InvalidArgumentError(field, 'must name at least one day (1 = Monday ... 7 = Sunday)', 'days_required');
  for (const [i, d] of days.entries()) {
    if (!Number.isInteger(d) || d < 1 || d > 7) throw new InvalidArgumentError(`${field}[${i}]`, 'must be a day from 1 (Monday) to 7 (Sunday)', 'weekday');
  }
  return [...new Set(days)].sort((a, b) => a - b);
}

function officeHours(h: OfficeHours, field: string): OfficeHours {
  const days = weekdays(h.days, `${field}.days`, true);
  if (!HHMM.test(h.open)) throw new InvalidArgumentError(`${field}.open`, 'must be a time HH:MM, like 09:00', 'time');
  if (!HHMM.test(h.close)) throw new InvalidArgumentError(`${field}.close`, 'must be a time HH:MM, like 17:30', 'time');
  if (h.close <= h.open) throw new InvalidArgumentError(`${field}.close`, 'must be later than open', 'hours_order');
  return { days, open: h.open, close: h.close };
}

function requestKinds(list: string[], field: string): string[] {
  for (const [i, k] of list.entries()) {
    if (!isRequestKind(k))
      throw new InvalidArgumentError(`${field}[${i}]`, `must be one of: ${REGISTRY_REQUEST_KINDS.join(', ')}`, 'request_kind', { value: k, allowed: REGISTRY_REQUEST_KINDS.join(', ') });
  }
  return [...new Set(list)];
}

/**
 * Checks and normalizes a contact point (trimmed text, lower-case languages, phone without
 * separators). `field` prefixes the names in errors. Throws the first problem; `contactProblems`
 * gives all of them.
 *
 * @example const c = validContact(input, 'contact', '2026-01-15');
 */
export function validContact(c: ContactPoint, field: string, todayDate: string): ContactPoint {
  const { contact, problems } = checkContact(c, field, todayDate);
  if (problems[0]) throw problems[0];
  return contact!;
}

/** Every problem of a contact point, one per field at most (an import reports them all at once). */
export function contactProblems(c: ContactPoint, field: string, todayDate: string): InvalidArgumentError[] {
  return checkContact(c, field, todayDate).problems;
}

function checkContact(c: ContactPoint, field: string, todayDate: string): { contact: ContactPoint | undefined; problems: InvalidArgumentError[] } {
  const problems: InvalidArgumentError[] = [];
  const take = <T>(check: () => T, otherwise: T): T => {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      problems.push(e);
      return otherwise;
    }
  };
  const f = (name: string) => `${field}.${name}`;
  take(() => {
    if (!SLUG.test(c.id)) throw new InvalidArgumentError(f('id'), 'must be a lower-case slug of letters, digits and hyphens (at most 63), like fiscalia-trata', 'slug');
  }, undefined);
  take(() => {
    if (!COUNTRY.test(c.country)) throw new InvalidArgumentError(f('country'), 'must be an ISO 3166-1 alpha-2 code in capitals, like UY', 'country_code');
  }, undefined);
  const themes = take(() => {
    const out = c.themes.map((t, i) => {
      if (!isTheme(t)) throw new InvalidArgumentError(`${f('themes')}[${i}]`, `must be one of: ${THEMES.join(', ')}`, 'theme', { value: t, allowed: THEMES.join(', ') });
      return t;
    });
    if (out.length === 0) throw new InvalidArgumentError(f('themes'), 'must name at least one theme', 'themes_required');
    return out;
  }, []);
  const email = c.email.trim();
  take(() => {
    if (email.length > 254 || !EMAIL.test(email)) throw new InvalidArgumentError(f('email'), 'must be an e-mail address, like trata@fiscalia.example', 'email');
  }, undefined);
  const phone = c.phone.replace(/[\s().-]/g, '');
  take(() => {
    if (phone !== '' && !E164.test(phone)) throw new InvalidArgumentError(f('phone'), 'must be an E.164 number: + and country code, like +59821234567', 'phone');
  }, undefined);
  const validFrom = take(() => date(c.validFrom, f('valid_from')), '');
  const validUntil = take(() => date(c.validUntil, f('valid_until')), '');
  take(() => {
    if (validFrom && validUntil && validUntil < validFrom) throw new InvalidArgumentError(f('valid_until'), 'must not be before valid_from', 'date_order');
  }, undefined);
  const lastVerified = take(() => date(c.lastVerified, f('last_verified')), '');
  take(() => {
    if (lastVerified && lastVerified > todayDate) throw new InvalidArgumentError(f('last_verified'), 'must not be in the future', 'future_date');
  }, undefined);
  const contact: ContactPoint = {
    id: c.id,
    country: c.country,
    authority: take(() => localized(c.authority, f('authority'), true), {}),
    unit: take(() => localized(c.unit, f('unit'), false), {}),
    themes: [...new Set(themes)],
    requestKinds: take(() => requestKinds(c.requestKinds, f('request_kinds')), []),
    languages: take(() => languages(c.languages, f('languages'), true), []),
    roleTitle: take(() => text(c.roleTitle, f('role_title'), 200), ''),
    person: take(() => text(c.person, f('person'), 200), ''),
    email,
    phone,
    available247: c.available247,
    timeZone: take(() => timeZone(c.timeZone, f('time_zone')), ''),
    officeHours: take(() => c.officeHours.map((h, i) => officeHours(h, `${f('office_hours')}[${i}]`)), []),
    address: take(() => text(c.address, f('address'), 400), ''),
    validFrom,
    validUntil,
    notes: take(() => text(c.notes, f('notes'), 2000), ''),
    lastVerified,
  };
  return { contact: problems.length ? undefined : contact, problems };
}

function channel(ch: Channel, field: string): Channel {
  if (!(CHANNEL_KINDS as readonly string[]).includes(ch.kind)) throw new InvalidArgumentError(`${field}.kind`, `must be one of: ${CHANNEL_KINDS.join(', ')}`);
  return { kind: ch.kind, detail: text(ch.detail, `${field}.detail`, 400, true), notes: text(ch.notes, `${field}.notes`, 1000) };
}

function serviceLevel(s: ServiceLevel, field: string): ServiceLevel {
  if (!isRequestKind(s.requestKind)) throw new InvalidArgumentError(`${field}.request_kind`, `must be one of: ${REGISTRY_REQUEST_KINDS.join(', ')}`);
  if (!Number.isInteger(s.workingDays) || s.workingDays < 1 || s.workingDays > 365) throw new InvalidArgumentError(`${field}.working_days`, 'must be a whole number of working days from 1 to 365');
  if (!Number.isInteger(s.urgentWorkingDays) || s.urgentWorkingDays < 0 || s.urgentWorkingDays > s.workingDays) {
    throw new InvalidArgumentError(`${field}.urgent_working_days`, 'must be 0 (no urgent procedure) or at most working_days');
  }
  return { ...s };
}

/** Checks and normalizes a country's practical information. */
export function validCountryProfile(p: CountryProfile, field: string): CountryProfile {
  const f = (name: string) => `${field}.${name}`;
  if (!COUNTRY.test(p.country)) throw new InvalidArgumentError(f('country'), 'must be an ISO 3166-1 alpha-2 code in capitals, like UY');
  const levels = p.serviceLevels.map((s, i) => serviceLevel(s, `${f('service_levels')}[${i}]`));
  const seen = new Set<string>();
  for (const [i, s] of levels.entries()) {
    if (seen.has(s.requestKind)) throw new InvalidArgumentError(`${f('service_levels')}[${i}].request_kind`, 'appears twice');
    seen.add(s.requestKind);
  }
  const holidays = p.calendar.holidays.map((h, i) => ({
    date: date(h.date, `${f('calendar.holidays')}[${i}].date`, true),
    name: text(h.name, `${f('calendar.holidays')}[${i}].name`, 200, true),
  }));
  holidays.sort((a, b) => a.date.localeCompare(b.date));
  return {
    country: p.country,
    languages: languages(p.languages, f('languages'), true),
    channels: p.channels.map((c, i) => channel(c, `${f('channels')}[${i}]`)),
    serviceLevels: levels,
    calendar: {
      timeZone: timeZone(p.calendar.timeZone, f('calendar.time_zone')),
      workingDays: weekdays(p.calendar.workingDays, f('calendar.working_days'), true),
      holidays,
    },
    notes: text(p.notes, f('notes'), 2000),
  };
}
