import { describe, expect, it } from 'vitest';
import { ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { stepResponseProblem, TYPED_RESPONSE } from '../../services/requests/index.js';
import { TEST_NOW } from '../../services/requests/testkit.js';
import { translateProblems } from '../web.js';
import { checkProvidedInformationForm, checkTypedRequest, requiredFields } from './typed-compose.js';

const filled = {
  'p.items.0.topic': 'whereabouts',
  'p.items.0.text': 'Vive con su madre en Rivera 1234',
  'p.answers.0.question': '1',
  'p.answers.0.text': 'La madre se llama Ana Gómez',
  'p.persons.0.role': 'victim',
  'p.persons.0.person.given_names': 'María José',
  'p.persons.0.person.family_names': 'Pérez Gómez',
  'p.persons.0.person.nationalities': 'py',
  'p.document_references.0.title': 'Acta de declaración',
  'p.document_references.0.date': '2026-02-20',
  'p.consent.written': 'on',
  'p.consent.date': '2026-03-01',
  'p.consent.recorded_by': 'Lic. Ana Silva',
};

describe('checkProvidedInformationForm', () => {
  it('gives nothing to send for an empty form', () => {
    expect(checkProvidedInformationForm({ note: 'x', 'p.items.0.text': '  ' }, 'es', TEST_NOW)).toEqual({ problems: [] });
  });

  it('builds provided information that the node accepts', () => {
    const { problems, payload } = checkProvidedInformationForm(filled, 'es', TEST_NOW);
    expect(problems).toEqual([]);
    expect(payload!.body!.$case).toBe('providedInformation');
    expect(stepResponseProblem('mla', 'provide_information', ResponsePayload.encode(payload!).finish(), TYPED_RESPONSE, TEST_NOW)).toBeUndefined();
  });

  it('reports every problem at once on its own field, the second entry included, in the reader language', () => {
    const { problems } = checkProvidedInformationForm(
      {
        'p.items.1.topic': 'other',
        'p.items.1.text': 'Algo más',
        'p.answers.0.question': '60',
        'p.answers.0.text': 'x',
        'p.answers.1.question': '2',
        'p.persons.0.role': 'victim',
        'p.persons.0.person.family_names': 'Pérez',
        'p.document_references.0.title': 'Acta',
        'p.document_references.0.date': '2099-01-01',
      },
      'fr',
      TEST_NOW,
    );
    expect(problems.map((p) => [p.field, p.key])).toEqual([
      ['p.items.1.topic_details', 'v.required'],
      ['p.answers.0.question', 'v.questionNumber'],
      ['p.answers.1.text', 'v.required'],
      ['p.document_references.0.date', 'v.notFuture'],
      ['p.consent.written', 'v.consentOrGround'],
    ]);
    const fr = translateProblems('fr', problems);
    expect(fr['p.answers.0.question']).toBe('Indiquez le numéro d’une question posée, de 1 à 50.');
    expect(fr['p.consent.written']).toMatch(/^Une victime est nommée/);
  });

  it('keeps a format problem and does not repeat it with the node rule', () => {
    const { problems } = checkProvidedInformationForm({ ...filled, 'p.document_references.0.date': '20/02/2026' }, 'es', TEST_NOW);
    expect(problems).toEqual([{ field: 'p.document_references.0.date', key: 'v.date' }]);
  });
});

describe('checkTypedRequest', () => {
  it('reports every violation of the node at once, each on its field, in the reader language; required marks are the node’s', () => {
    const form = {
      't.victim.given_names': 'María',
      't.victim.date_of_birth': '2099-01-01',
      't.victim.documents.0.issuing_country': 'Uruguay',
      't.verify_nationality': 'on',
      't.consent.language': 'Spanish',
    };
    const { problems } = checkTypedRequest('nationality_verification', form, 'es', TEST_NOW);
    const shown = translateProblems('es', problems);
    expect(shown['t.victim.date_of_birth']).toBe('Esta fecha no puede ser futura.');
    expect(shown['t.victim.documents.0.issuing_country']).toBe(translateProblems('es', [{ field: 'x', key: 'v.country' }]).x);
    expect(shown['t.consent.language']).toBe('Elija un idioma de la lista.');
    expect(Object.keys(shown).length).toBeGreaterThanOrEqual(3);
    expect(requiredFields('nationality_verification').has('t.purpose')).toBe(true);
    expect(requiredFields('nationality_verification').has('t.remarks')).toBe(false);
  });
});
