import type { RequestPayload } from '../../generated/enlace/v1/requests.js';

/** Whether any person in the request is flagged as a child (special handling, best interests first). */
export function involvesChild(payload: RequestPayload): boolean {
  const body = payload.body;
  if (body === undefined) return false;
  switch (body.$case) {
    case 'mla':
    case 'spontaneousInformation':
      return body.value.persons.some((p) => p.person?.child === true);
    case 'nationalityVerification':
      return body.value.victim?.child === true;
    case 'criminalRecords':
    case 'convictionNotification':
    case 'consularNotification':
      return body.value.person?.child === true;
    case 'extradition':
      return body.value.personSought?.child === true;
    case 'additionalInformation':
      return false;
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}
