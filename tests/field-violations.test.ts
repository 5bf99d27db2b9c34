import { describe, expect, it } from 'vitest';
import type { Metadata } from '@grpc/grpc-js';
import { STATUS_DETAILS_KEY, violationsOf } from '../services/grpc/status-details.js';
import { completeRequest } from '../services/requests/testkit.js';
import { withFederation } from './_setup.js';
import { GRPC, submitRequestOf } from './_util.js';

/** The node's answer to a bad submit: every field violation at once, in google.rpc.BadRequest (issue 17 item 3). */
describe('field violations of the gRPC API', () => {
  const { api } = withFederation(['AR', 'UY'], { nodes: ['AR'], api: { ar: ['AR'] } });

  async function failure(p: Promise<unknown>): Promise<{ code: number; metadata: Metadata }> {
    try {
      await p;
    } catch (e) {
      return e as { code: number; metadata: Metadata };
    }
    throw new Error('expected the call to fail');
  }

  it('a submit with six bad fields is answered once, with all six, their rules and parameters', async () => {
    const typed = completeRequest('nationality_verification');
    if (typed.body?.$case !== 'nationalityVerification') throw new Error('testkit changed');
    typed.language = 'Spanish';
    typed.body.value.victim!.dateOfBirth = '31/12/1990';
    typed.body.value.purpose = '';
    const err = await failure(api.ar.submit(submitRequestOf({ toCountry: 'Uruguay', subject: '  ', senderReference: 'r'.repeat(101), typed, payload: new Uint8Array(), payloadType: '' })));
    expect(err.code).toBe(GRPC.INVALID_ARGUMENT);
    const details = err.metadata.get(STATUS_DETAILS_KEY)[0];
    expect(details).toBeInstanceOf(Buffer);
    const got = violationsOf(details as Buffer).map((v) => [v.field, v.rule, v.params]);
    expect(got).toEqual([
      ['to_country', 'country', {}],
      ['subject', 'required', {}],
      ['sender_reference', 'too_long', { max: '100' }],
      ['typed.language', 'language', {}],
      ['typed.nationality_verification.victim.date_of_birth', 'date', {}],
      ['typed.nationality_verification.purpose', 'required', {}],
    ]);
    // Older clients still read the first rule from its own trailer.
    expect(err.metadata.get('enlace-error-rule')[0]).toBe('country');
    expect(err.metadata.get('enlace-error-code')[0]).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a valid submit is accepted: the collecting check lets good input through', async () => {
    const res = await api.ar.submit(submitRequestOf({ typed: completeRequest('nationality_verification'), payload: new Uint8Array(), payloadType: '' }));
    expect(res.request!.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
