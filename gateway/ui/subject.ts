import { Direction, type Request } from '../../generated/enlace/v1/exchange.js';
import { statusCode } from '../app/codes.js';
import { countryName, formatTime, label, type View } from './view.js';

/**
 * What a request is called on a page: its subject for the roles that see case content, and
 * for the others (the node sends them no subject: free text is case content) a neutral line
 * made of metadata only, in the user's language: type, counterpart, reference, status, date.
 */
export function subjectLine(v: View, r: Request): string {
  return r.subject || neutralLine(v, r);
}

/** "Extradición · de Argentina · ref. AR-2026-0001 · Recibida · 1 dic 2026". */
export function neutralLine(v: View, r: Request): string {
  const inbound = r.direction === Direction.DIRECTION_INBOUND;
  const country = countryName(v, (inbound ? r.from : r.to).split('/')[0] ?? '');
  return [
    label(v, 'kind', r.kind),
    v.t(inbound ? 'subject.from' : 'subject.to', { country }),
    r.senderReference ? v.t('subject.reference', { reference: r.senderReference }) : '',
    label(v, 'status', statusCode(r.status)),
    formatTime(v, r.createdAt, 'date'),
  ]
    .filter(Boolean)
    .join(' · ');
}
