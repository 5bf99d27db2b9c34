import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../keys/index.js';
import { identityValues, NAMES_PERSON_RULE, namesPerson, refuseNamedPersons } from './named-persons.js';
import { completeProvidedInformation, completeRequest } from './testkit.js';

describe('free text naming a person of its request', () => {
  const extradition = identityValues([completeRequest('extradition')]);
  const verification = identityValues([completeRequest('nationality_verification')]);

  it('finds names and document numbers, case, accents and separators aside', () => {
    expect(namesPerson('Extradition of RODRIGUEZ', extradition)).toBe(true);
    expect(namesPerson('Paradero de rodríguez, buscado', extradition)).toBe(true);
    expect(namesPerson('Passport aab-123 456', extradition)).toBe(true);
    expect(namesPerson('The mother, Lucia Fernandez, was heard', extradition)).toBe(true);
    expect(namesPerson('Verify the nationality of María', verification)).toBe(true);
    expect(namesPerson('CI 4455667', verification)).toBe(false);
  });

  it('ignores particles, very short tokens and parts of longer words', () => {
    expect(namesPerson('Extradition of a trafficking suspect', extradition)).toBe(false);
    expect(namesPerson('Verify nationality of a presumed victim', verification)).toBe(false);
    expect(namesPerson('Detained national de los Andes', identityValues([{ givenNames: 'Li', familyNames: 'de los Santos', nameVariants: [] }]))).toBe(false);
    expect(namesPerson('Carlosandro', extradition)).toBe(false);
    expect(namesPerson('anything', identityValues([]))).toBe(false);
  });

  it('reads persons wherever the form holds them, a step response included', () => {
    const provided = identityValues([completeProvidedInformation('q')]);
    expect(provided.names.size).toBeGreaterThan(0);
    expect(namesPerson(`Note about ${[...provided.names][0]}`, provided)).toBe(true);
  });

  it('refuses with INVALID_ARGUMENT naming the field and the rule, without echoing the name', () => {
    let caught: unknown;
    try {
      refuseNamedPersons('subject', 'Extradition of Carlos Rodríguez', [completeRequest('extradition')]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const e = caught as InvalidArgumentError;
    expect([e.code, e.field, e.rule]).toEqual(['ERR_INVALID_ARGUMENT', 'subject', NAMES_PERSON_RULE]);
    expect(e.message).toMatch(/^subject .*visible in lists/);
    expect(e.message).not.toMatch(/Rodr/);
    expect(() => refuseNamedPersons('note', 'Send the court decision', [completeRequest('extradition')])).not.toThrow();
    expect(() => refuseNamedPersons('note', 'Pasaporte AAB123456', [completeRequest('extradition')])).toThrow(/^note /);
  });
});
