import { InvalidArgumentError } from '../../keys/index.js';
import { isTheme, THEMES, type TransferFormat } from '../registry/index.js';
import { REQUEST_KINDS } from './validate.js';

/** Validation of DirectoryService request fields that are not registry entries (those: services/registry/validate.ts). */

const COUNTRY = /^[A-Z]{2}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function validCountry(value: string, field: string, optional = false): string | undefined {
  if (optional && value === '') return undefined;
  if (!COUNTRY.test(value)) throw new InvalidArgumentError(field, 'must be an ISO 3166-1 alpha-2 code in capitals, like UY');
  return value;
}

export function validEntryId(value: string, field = 'id'): string {
  if (!SLUG.test(value)) throw new InvalidArgumentError(field, 'must be a contact point id: a lower-case slug like fiscalia-trata');
  return value;
}

export function validTheme(value: string, field = 'theme'): string | undefined {
  if (value === '') return undefined;
  if (!isTheme(value)) throw new InvalidArgumentError(field, `must be one of: ${THEMES.join(', ')}`);
  return value;
}

export function validRequestKind(value: string, field = 'request_kind'): string | undefined {
  if (value === '') return undefined;
  if (!(REQUEST_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(field, `must be one of: ${REQUEST_KINDS.join(', ')}`);
  return value;
}

export function validLanguage(value: string, field = 'language'): string | undefined {
  if (value === '') return undefined;
  if (!/^[a-z]{2}$/.test(value)) throw new InvalidArgumentError(field, 'must be an ISO 639-1 code in lower case, like es');
  return value;
}

export function validFormat(value: string, field = 'format'): TransferFormat {
  if (value !== 'csv' && value !== 'json') throw new InvalidArgumentError(field, 'must be csv or json');
  return value;
}

/** Page size and an offset token (a decimal number returned by the previous page). */
export function validPage(pageSize: number, pageToken: string, defaults: { size: number; max: number }): { limit: number; offset: number } {
  if (pageSize > defaults.max) throw new InvalidArgumentError('page_size', `must be at most ${defaults.max}`);
  if (pageToken && !/^\d{1,15}$/.test(pageToken)) throw new InvalidArgumentError('page_token', 'is not a token returned by the previous page');
  return { limit: pageSize || defaults.size, offset: pageToken ? Number(pageToken) : 0 };
}
