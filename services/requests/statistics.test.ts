import { describe, expect, it } from 'vitest';
import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { REQUEST_TYPE_CODES } from './codes.js';
import { ageGroupAt, statsFactsOf, statsOutcomeOf } from './statistics.js';
import { completeRequest, completeResponse, TEST_NOW } from './testkit.js';
import { TYPED_REQUEST, TYPED_RESPONSE } from './typed.js';
import { validRequestPayload } from './validate-payload.js';

const at = Date.UTC(2026, 5, 15, 12);

describe('statistical facts', () => {
  it('put a person in an age group on the day of the request, birthdays included', () => {
    expect(ageGroupAt('2014-06-16', at)).toBe('child_0_11');
    expect(ageGroupAt('2014-06-15', at)).toBe('child_12_17');
    expect(ageGroupAt('2008-06-16', at)).toBe('child_12_17');
    expect(ageGroupAt('2008-06-15', at)).toBe('adult_18_24');
    expect(ageGroupAt('2001-06-15', at)).toBe('adult_25_59');
    expect(ageGroupAt('1966-06-16', at)).toBe('adult_25_59');
    expect(ageGroupAt('1966-06-15', at)).toBe('adult_60_plus');
    expect(ageGroupAt('', at)).toBe('unknown');
    expect(ageGroupAt('2030-01-01', at)).toBe('unknown');
  });

  it('take sex, age group, nationality and forms from every request type that concerns a person', () => {
    const facts = Object.fromEntries(REQUEST_TYPE_CODES.map((k) => [k, statsFactsOf(RequestPayload.encode(completeRequest(k)).finish(), TYPED_REQUEST, TEST_NOW)]));
    expect(facts.nationality_verification).toEqual({ sex: 'female', ageGroup: 'adult_18_24', nationality: 'PY', forms: ['forced_labour'] });
    expect(facts.consular_notification).toEqual({ sex: 'female', ageGroup: 'adult_18_24', nationality: 'PY', forms: ['sexual_exploitation.prostitution'] });
    expect(facts.mla!.forms).toEqual(['sexual_exploitation.prostitution']);
    expect(facts.mla!.sex).toBe('female');
    expect(facts.additional_information).toEqual({ sex: 'unknown', ageGroup: 'unknown', nationality: '', forms: [] });
    expect(statsFactsOf(new Uint8Array([1, 2, 3]), 'application/pdf', TEST_NOW).ageGroup).toBe('unknown');
  });

  it('read the coded outcome of an answer', () => {
    const outcome = (k: Parameters<typeof completeResponse>[0]) => statsOutcomeOf(ResponsePayload.encode(completeResponse(k)).finish(), TYPED_RESPONSE);
    expect(outcome('nationality_verification')?.outcome).toBe('confirmed');
    expect(outcome('conviction_notification')).toEqual({ outcome: 'recorded', ground: '' });
    expect(statsOutcomeOf(null, '')).toBeUndefined();
  });

  it('check the new form-of-exploitation fields like the offences', () => {
    const p = completeRequest('nationality_verification');
    if (p.body?.$case !== 'nationalityVerification') throw new Error('form');
    p.body.value.exploitationForms = ['other'];
    expect(() => validRequestPayload('nationality_verification', p, { now: TEST_NOW, field: 'typed' })).toThrow(/exploitation_details/);
    p.body.value.exploitationForms = ['forced_labour', 'forced_labour'];
    expect(() => validRequestPayload('nationality_verification', p, { now: TEST_NOW, field: 'typed' })).toThrow(/exploitation_forms\[1\]/);
  });
});
