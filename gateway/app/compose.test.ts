import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../services/requests/testkit.js';
import { translateProblems } from '../web.js';
import { checkCompose } from './compose.js';

const form = (subject: string) => ({
  kind: 'nationality_verification',
  toCountry: 'UY',
  subject,
  't.victim.given_names': 'María José',
  't.victim.family_names': 'Quispe Núñez',
});

describe('checkCompose: a subject naming the person', () => {
  it('is a problem of the subject field, in the user language, as the node would refuse it', () => {
    const named = checkCompose(form('Paradero de QUISPE'), ['UY'], 'es', TEST_NOW);
    expect(named.problems).toContainEqual({ field: 'subject', key: 'error.rule.names_person' });
    expect(translateProblems('es', named.problems).subject).toMatch(/^Los asuntos se ven en las listas/);
    const neutral = checkCompose(form('Verificación de nacionalidad de una presunta víctima'), ['UY'], 'es', TEST_NOW);
    expect(neutral.problems.filter((p) => p.field === 'subject')).toEqual([]);
  });
});
