import { describe, expect, it } from 'vitest';
import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { REQUEST_TYPE_CODES } from './codes.js';
import { completeProvidedInformation, completeRequest, completeResponse } from './testkit.js';
import { contentWithoutVictims, requestWithoutVictims, responseWithoutVictims } from './victims.js';

// Every test victim is named "María José <tag>" (testkit.ts); the suspect is "Carlos Rodríguez".
const VICTIM = 'María José';

describe('the identity data of the victims, for a withdrawal of consent', () => {
  it.each(REQUEST_TYPE_CODES)('%s: no victim’s identity remains, the other persons and the facts stay', (kind) => {
    const form = completeRequest(kind);
    const before = JSON.stringify(RequestPayload.toJSON(form));
    const { payload, changed } = requestWithoutVictims(form);
    const after = JSON.stringify(RequestPayload.toJSON(payload));
    expect(changed).toBe(before.includes(VICTIM));
    expect(after).not.toContain(VICTIM);
    expect(after).not.toContain('CI-4455667');
    if (before.includes('Rodríguez')) expect(after).toContain('Rodríguez');
    // The input is not changed in place.
    expect(JSON.stringify(RequestPayload.toJSON(form))).toBe(before);
  });

  it.each(REQUEST_TYPE_CODES)('%s: the answer keeps no victim’s identity', (kind) => {
    const { response } = responseWithoutVictims(completeResponse(kind));
    expect(JSON.stringify(ResponsePayload.toJSON(response))).not.toContain(VICTIM);
  });

  it('provided information loses the victim and keeps the suspect', () => {
    const form = completeProvidedInformation();
    const { response, changed } = responseWithoutVictims(form);
    expect(changed).toBe(true);
    const after = JSON.stringify(ResponsePayload.toJSON(response));
    expect(after).not.toContain(VICTIM);
    expect(after).toContain('Rodríguez');
  });

  it('keeps the metadata of her person (sex, nationalities, the child flag) and removes the photo and remarks about her', () => {
    const { payload } = requestWithoutVictims(completeRequest('nationality_verification'));
    const nv = payload.body?.$case === 'nationalityVerification' ? payload.body.value : undefined;
    expect(nv?.victim).toMatchObject({ givenNames: '', familyNames: '', dateOfBirth: '', documents: [], sex: 'female', nationalities: ['PY'], child: false });
    expect(nv?.photo).toBeUndefined();
    expect(nv?.remarks).toBe('');
  });

  it('content that is not a typed form cannot be separated: all of it goes', () => {
    const json = new TextEncoder().encode('{"names":["M. R."]}');
    expect(contentWithoutVictims(json, 'application/json', 'request')).toEqual({ bytes: new Uint8Array(), changed: true });
    expect(contentWithoutVictims(new Uint8Array(), 'application/json', 'request').changed).toBe(false);
  });
});
