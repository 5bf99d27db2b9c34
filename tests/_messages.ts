/**
 * Message bodies that tests seal themselves, as a node would, to publish what a node never sends
 * (forged, replayed, out of order or on the wrong lane): the fields a test does not name have the
 * values an ordinary request or step has.
 */
import { RequestBody, StatusUpdate } from '../generated/enlace/v1/envelope.js';
import { submitRequestOf } from './_util.js';

/** The encoded body of the request `submitRequestOf()` sends (a nationality verification), with `over` in place. */
export function requestBody(over: Partial<RequestBody> = {}): Uint8Array {
  const s = submitRequestOf();
  const body: RequestBody = {
    requestKind: s.kind,
    toAuthority: '',
    subject: s.subject,
    payload: s.payload,
    payloadType: s.payloadType,
    senderReference: s.senderReference,
    urgency: 'normal',
    attachments: [],
    links: undefined,
  };
  return RequestBody.encode({ ...body, ...over }).finish();
}

/** A focal point's step on request `requestId`, now: an acknowledgement unless `over` says otherwise. */
export function statusUpdate(requestId: string, over: Partial<StatusUpdate> = {}): StatusUpdate {
  return {
    requestId,
    action: 'acknowledge',
    status: 'acknowledged',
    stage: '',
    stageDate: '',
    note: '',
    at: Date.now(),
    response: new Uint8Array(),
    responseType: '',
    actorRole: 'focal_point',
    seq: 0,
    proposalId: '',
    ...over,
  };
}

/** `statusUpdate` encoded. */
export function statusUpdateBytes(requestId: string, over: Partial<StatusUpdate> = {}): Uint8Array {
  return StatusUpdate.encode(statusUpdate(requestId, over)).finish();
}
