import { codeTable } from './code-table.js';

/** Outcomes of the responses, one table per request type that has a coded outcome. */

export const MLA_OUTCOMES = codeTable('mutual legal assistance outcome', {
  executed: { es: 'Ejecutada', en: 'Executed', fr: 'Exécutée', pt: 'Executada' },
  partially_executed: {
    es: 'Ejecutada parcialmente',
    en: 'Partially executed',
    fr: 'Partiellement exécutée',
    pt: 'Parcialmente executada',
  },
  refused: { es: 'Denegada', en: 'Refused', fr: 'Refusée', pt: 'Recusada' },
});

export const VERIFICATION_OUTCOMES = codeTable('verification outcome', {
  confirmed: { es: 'Confirmada', en: 'Confirmed', fr: 'Confirmée', pt: 'Confirmada' },
  not_confirmed: { es: 'No confirmada', en: 'Not confirmed', fr: 'Non confirmée', pt: 'Não confirmada' },
  more_data_needed: {
    es: 'Se necesitan más datos',
    en: 'More data needed',
    fr: 'Données supplémentaires nécessaires',
    pt: 'São necessários mais dados',
  },
});

export const RECORDS_OUTCOMES = codeTable('criminal records outcome', {
  records_found: {
    es: 'Registra antecedentes',
    en: 'Convictions recorded',
    fr: 'Condamnations inscrites',
    pt: 'Constam antecedentes',
  },
  no_records: {
    es: 'Sin antecedentes',
    en: 'No convictions recorded',
    fr: 'Néant (aucune condamnation inscrite)',
    pt: 'Nada consta',
  },
  person_not_identified: {
    es: 'Persona no identificada',
    en: 'Person not identified',
    fr: 'Personne non identifiée',
    pt: 'Pessoa não identificada',
  },
  refused: { es: 'Denegada', en: 'Refused', fr: 'Refusée', pt: 'Recusada' },
});

export const EXTRADITION_OUTCOMES = codeTable('extradition outcome', {
  arrested: {
    es: 'Persona detenida provisionalmente',
    en: 'Person provisionally arrested',
    fr: 'Personne arrêtée provisoirement',
    pt: 'Pessoa presa preventivamente',
  },
  person_not_located: {
    es: 'Persona no localizada',
    en: 'Person not located',
    fr: 'Personne non localisée',
    pt: 'Pessoa não localizada',
  },
  granted: {
    es: 'Extradición concedida',
    en: 'Extradition granted',
    fr: 'Extradition accordée',
    pt: 'Extradição deferida',
  },
  granted_with_conditions: {
    es: 'Extradición concedida con condiciones',
    en: 'Extradition granted with conditions',
    fr: 'Extradition accordée sous conditions',
    pt: 'Extradição deferida com condições',
  },
  refused: {
    es: 'Extradición denegada',
    en: 'Extradition refused',
    fr: 'Extradition refusée',
    pt: 'Extradição indeferida',
  },
});
