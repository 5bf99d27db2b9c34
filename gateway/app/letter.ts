import type { GetRequestResponse } from '../../generated/enlace/v1/exchange.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { isLang, type Lang } from '../i18n/index.js';
import { letterText } from '../ui/letter/content.js';
import { renderLetter } from '../ui/letter/pdf.js';
import { countryLanguages, officialLanguage } from './directory.js';
import { getRequest } from './requests.js';

/**
 * The language a country's letters are written in: the first of its directory profile's
 * languages that the gateway speaks, else its official language, else English.
 */
export async function letterLanguage(ctx: GatewayContext, p: Principal, country: string): Promise<Lang> {
  let langs: string[];
  try {
    langs = await countryLanguages(ctx, p, country);
  } catch (e) {
    // A role that may read the request but not the directory still gets its letter.
    if (!(e instanceof GatewayError) || e.code !== 'ERR_PERMISSION_DENIED') throw e;
    langs = [officialLanguage(country) ?? ''];
  }
  const official = officialLanguage(country);
  return langs.find(isLang) ?? (isLang(official) ? official : 'en');
}

export interface Letter {
  pdf: Buffer;
  request: NonNullable<GetRequestResponse['request']>;
  langs: readonly [Lang, Lang];
}

/**
 * The letter of request as a PDF, from the node's GetRequest: the read is audited by the
 * node like the page view, and the contents are those the node gives the reader's role.
 */
export async function letterOfRequest(ctx: GatewayContext, p: Principal, id: string): Promise<Letter> {
  const res = await getRequest(ctx, p, id);
  const r = res.request!;
  const country = (a: string) => a.split('/')[0] ?? '';
  const langs = [await letterLanguage(ctx, p, country(r.from)), await letterLanguage(ctx, p, country(r.to))] as const;
  const at = { country: ctx.country, timeZone: ctx.timeZone, now: ctx.now() };
  const pdf = await renderLetter([letterText(res, langs[0], at), letterText(res, langs[1], at)]);
  return { pdf, request: r, langs };
}
