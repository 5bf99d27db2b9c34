import type { UserRole } from '../db/users.js';
import type { Lang, MessageKey, Params, Translate } from '../i18n/index.js';
import { translateDynamic } from '../i18n/index.js';

/** Everything a page needs to render for one request. */
export interface View {
  lang: Lang;
  t: Translate;
  country: string;
  csrf: string;
  /** Path and query of this page, for the language switcher's return. */
  path: string;
  timeZone: string;
  user?: { username: string; displayName: string; roles: UserRole[] };
  /** Unread notifications of the signed-in person, for the bell; undefined when their roles get none. */
  unread?: number;
  /** Names, in this page's language, of the authorities (`UY/dnic`) the page mentions, as the directory has them (app/directory.ts, authorityNames). */
  authorities?: ReadonlyMap<string, string>;
}

export function hasRole(v: View, roles: readonly UserRole[]): boolean {
  return !!v.user && v.user.roles.some((r) => roles.includes(r));
}

/** Who may use which screen; the node enforces the same per RPC. */
export const SCREEN_ROLES = {
  requests: ['focal_point', 'prosecutor', 'auditor', 'operator'],
  compose: ['focal_point', 'prosecutor', 'operator'],
  act: ['focal_point', 'prosecutor'],
  directory: ['focal_point', 'prosecutor', 'directory_admin', 'auditor', 'operator'],
  directoryEdit: ['directory_admin'],
  network: ['focal_point', 'prosecutor', 'directory_admin', 'auditor', 'operator'],
  quarantine: ['operator', 'auditor'],
  users: ['user_admin'],
  approvals: ['focal_point', 'prosecutor'],
  audit: ['auditor'],
  /** Counts of coded values only: PERMISSIONS.stats of the node. */
  statistics: ['auditor', 'operator'],
  extradition: ['prosecutor', 'focal_point', 'auditor', 'operator'],
  notifications: ['focal_point', 'prosecutor', 'operator'],
} as const satisfies Record<string, readonly UserRole[]>;

/** A label for a code (request type, status, theme...) from the dictionary, else the code itself. */
export function label(v: View, prefix: string, code: string, params?: Params): string {
  return translateDynamic(v.lang, `${prefix}.${code}`, code, params);
}

/** A country's name in the user's language (Intl, from the ICU data Node ships). */
export function countryName(v: View, code: string): string {
  try {
    return new Intl.DisplayNames([v.lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Who an address (`UY` or `UY/dnic`) names, for a person: the country's name, and the
 * authority's name from the directory when the page looked it up (its slug otherwise, marked as
 * an identifier).
 */
export function addressName(v: View, address: string): string {
  const [country = '', slug] = address.split('/');
  if (!slug) return countryName(v, country);
  return `${v.authorities?.get(address) ?? slug} · ${countryName(v, country)}`;
}

export function formatTime(v: View, ms: number | bigint, style: 'datetime' | 'date' | 'time' = 'datetime'): string {
  const n = Number(ms);
  if (!n) return '';
  const opts: Intl.DateTimeFormatOptions = style === 'date' ? { dateStyle: 'medium' } : style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(v.lang, { ...opts, timeZone: v.timeZone }).format(new Date(n));
}

/** A calendar date (`YYYY-MM-DD`, a day rather than an instant) in the person's language; as given when it is not one. */
export function civilDate(lang: Lang, ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

export type { MessageKey };
