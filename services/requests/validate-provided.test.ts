import { describe, expect, it } from 'vitest';
import { ProvidedInformation, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { checkProvidedInformation, REDACTED, redactResponse, responseClasses, stepResponseProblem, TYPED_RESPONSE, validStepResponse } from './index.js';
import { completeProvidedInformation, completeResponse, TEST_NOW, testSuspect } from './testkit.js';
import { transitionContent } from './typed.js';

const bytes = (r: ResponsePayload) => ResponsePayload.encode(r).finish();
const provided = (r: ResponsePayload) => (r.body as { $case: 'providedInformation'; value: ProvidedInformation }).value;
const withValue = (value: Partial<ProvidedInformation>) => ResponsePayload.fromPartial({ language: 'es', body: { $case: 'providedInformation', value: ProvidedInformation.fromPartial(value) } });

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof InvalidArgumentError) return e.field;
    throw e;
  }
  throw new Error('did not throw');
}

describe('validStepResponse for provide_information', () => {
  it('accepts complete provided information on any request type, with trimmed text', () => {
    const r = completeProvidedInformation();
    provided(r).items[0]!.text = `  ${provided(r).items[0]!.text}  `;
    for (const kind of ['mla', 'extradition', 'nationality_verification'] as const) {
      const v = validStepResponse(kind, 'provide_information', bytes(r), TYPED_RESPONSE, { now: TEST_NOW });
      expect(provided(v!).items[0]!.text).toBe(provided(completeProvidedInformation()).items[0]!.text);
      expect(provided(v!).persons).toHaveLength(2);
    }
  });

  it('names the field that breaks a rule, under the root given', () => {
    const bad = withValue({ items: [{ topic: 'gossip', text: 'x', topicDetails: '' }] });
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', bytes(bad), TYPED_RESPONSE, { now: TEST_NOW }))).toBe('response.provided_information.items[0].topic');
    expect(stepResponseProblem('mla', 'provide_information', bytes(bad), TYPED_RESPONSE, TEST_NOW)).toMatch(/^response\.provided_information\.items\[0\]\.topic must be an information topic code/);
    const other = withValue({ items: [{ topic: 'other', text: 'x', topicDetails: '' }] });
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', bytes(other), TYPED_RESPONSE, { now: TEST_NOW }))).toBe('response.provided_information.items[0].topic_details');
  });

  it('requires something to be provided', () => {
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', bytes(withValue({ remarks: 'see note' })), TYPED_RESPONSE, { now: TEST_NOW }))).toBe('response.provided_information.items');
  });

  it('requires consent or a legal ground when the persons include a victim', () => {
    const r = completeProvidedInformation();
    provided(r).consent = undefined;
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', bytes(r), TYPED_RESPONSE, { now: TEST_NOW }))).toBe('response.provided_information.consent');
    provided(r).legalGround = 'Ley 19.643 art. 12';
    expect(stepResponseProblem('mla', 'provide_information', bytes(r), TYPED_RESPONSE, TEST_NOW)).toBeUndefined();
    provided(r).persons = [{ role: 'suspect', person: testSuspect(), details: '' }];
    provided(r).legalGround = '';
    expect(stepResponseProblem('mla', 'provide_information', bytes(r), TYPED_RESPONSE, TEST_NOW)).toBeUndefined();
  });

  it('refuses the answer form of the request type, opaque bytes and bytes that do not decode', () => {
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', bytes(completeResponse('mla')), TYPED_RESPONSE, { now: TEST_NOW }))).toBe('response.provided_information');
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', new TextEncoder().encode('{"mother":"Ana"}'), 'application/json', { now: TEST_NOW }))).toBe('response');
    expect(fieldOf(() => validStepResponse('mla', 'provide_information', new Uint8Array([0xff, 0xff, 0xff]), TYPED_RESPONSE, { now: TEST_NOW }))).toBe('response');
    expect(validStepResponse('mla', 'provide_information', new Uint8Array(), '', { now: TEST_NOW })).toBeUndefined();
    expect(fieldOf(() => transitionContent('mla', 'provide_information', ResponsePayload.fromPartial({}), new Uint8Array(), '', TEST_NOW))).toBe('typed_response.provided_information');
    expect(fieldOf(() => transitionContent('mla', 'complete', ResponsePayload.fromPartial({}), new Uint8Array(), '', TEST_NOW))).toBe('typed_response.mla');
  });

  it('keeps provided information out of every other step', () => {
    for (const action of ['complete', 'refuse', 'request_information']) {
      expect(
        fieldOf(() => validStepResponse('mla', action, bytes(completeProvidedInformation()), TYPED_RESPONSE, { now: TEST_NOW })),
        action,
      ).toBe('response.provided_information');
    }
    expect(validStepResponse('mla', 'complete', bytes(completeResponse('mla')), TYPED_RESPONSE, { now: TEST_NOW })).toBeDefined();
  });
});

describe('the sending node', () => {
  it('runs the same check on typed_response, and stores what the receiver will check', () => {
    const out = transitionContent('mla', 'provide_information', completeProvidedInformation(), new Uint8Array(), '', TEST_NOW);
    expect(out.responseType).toBe(TYPED_RESPONSE);
    expect(stepResponseProblem('mla', 'provide_information', out.response, out.responseType, TEST_NOW)).toBeUndefined();
    const bad = completeProvidedInformation();
    provided(bad).answers[1]!.question = 1;
    expect(fieldOf(() => transitionContent('mla', 'provide_information', bad, new Uint8Array(), '', TEST_NOW))).toBe('typed_response.provided_information.answers[1].question');
  });

  it('refuses opaque content for provide_information and the typed media type without typed_response', () => {
    expect(fieldOf(() => transitionContent('mla', 'provide_information', undefined, new TextEncoder().encode('Mother: Ana'), 'text/plain', TEST_NOW))).toBe('response');
    expect(fieldOf(() => transitionContent('mla', 'complete', undefined, bytes(completeResponse('mla')), TYPED_RESPONSE, TEST_NOW))).toBe('response_type');
    expect(transitionContent('mla', 'provide_information', undefined, new Uint8Array(), '', TEST_NOW).response.byteLength).toBe(0);
  });
});

describe('checkProvidedInformation', () => {
  it('reports every problem at once, each with its field', () => {
    const { problems } = checkProvidedInformation(
      ProvidedInformation.fromPartial({
        items: [
          { topic: 'facts', text: '' },
          { topic: 'nope', text: 'x' },
        ],
        answers: [
          { question: 0, text: 'a' },
          { question: 3, text: '' },
        ],
        persons: [{ role: 'victim', person: { familyNames: 'Pérez', dateOfBirth: '2030-01-01' } }],
        documentReferences: [{ title: '', date: '20-02-2026', attachmentId: 'x' }],
      }),
      'p',
      TEST_NOW,
    );
    expect(problems.map((p) => p.field)).toEqual([
      'p.items[0].text',
      'p.items[1].topic',
      'p.answers[0].question',
      'p.answers[1].text',
      'p.persons[0].person.date_of_birth',
      'p.document_references[0].title',
      'p.consent',
    ]);
  });
});

describe('redaction of provided information', () => {
  it("withholds every person's identity and the free text, and keeps the codes, numbers and references", () => {
    const original = completeProvidedInformation('secret');
    const before = structuredClone(original);
    const redacted = redactResponse(original, ['metadata']);
    expect(original).toEqual(before);
    expect(JSON.stringify(redacted)).not.toContain('secret');
    const r = provided(redacted);
    expect(r.items[0]).toEqual({ topic: 'whereabouts', text: REDACTED, topicDetails: '' });
    expect(r.answers.map((a) => [a.question, a.text])).toEqual([
      [1, REDACTED],
      [2, REDACTED],
    ]);
    expect(r.persons[0]!.person!.familyNames).toBe(REDACTED);
    expect(r.persons[0]!.person!.nationalities).toEqual(['PY']);
    expect(r.persons[1]!.person!.familyNames, 'a suspect is protected like a victim').toBe(REDACTED);
    expect(r.persons[1]!.role).toBe(provided(original).persons[1]!.role);
    expect(r.documentReferences[0]).toEqual({ title: REDACTED, reference: 'ACTA-2026-88', date: '2026-02-20', attachmentId: '' });
    expect(r.remarks).toBe(REDACTED);
    expect(responseClasses(original)).toEqual(['identity', 'sensitive', 'metadata']);
    expect(redactResponse(original, ['identity', 'sensitive', 'metadata'])).toEqual(original);
  });
});
