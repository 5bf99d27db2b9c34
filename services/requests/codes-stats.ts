import { codeTable } from './code-table.js';

/**
 * Age groups of the statistics (the disaggregation the OAS meetings and UN resolution
 * A/RES/63/194 ask for), computed by the node from a date of birth on the day of the request,
 * so that no role needs the birth date to count.
 */
export const AGE_GROUPS = codeTable('age group', {
  child_0_11: { es: 'Niña o niño de 0 a 11 años', en: 'Child aged 0 to 11', fr: 'Enfant de 0 à 11 ans', pt: 'Criança de 0 a 11 anos' },
  child_12_17: { es: 'Adolescente de 12 a 17 años', en: 'Child aged 12 to 17', fr: 'Enfant de 12 à 17 ans', pt: 'Adolescente de 12 a 17 anos' },
  adult_18_24: { es: 'Persona adulta de 18 a 24 años', en: 'Adult aged 18 to 24', fr: 'Adulte de 18 à 24 ans', pt: 'Adulto de 18 a 24 anos' },
  adult_25_59: { es: 'Persona adulta de 25 a 59 años', en: 'Adult aged 25 to 59', fr: 'Adulte de 25 à 59 ans', pt: 'Adulto de 25 a 59 anos' },
  adult_60_plus: { es: 'Persona adulta de 60 años o más', en: 'Adult aged 60 or over', fr: 'Adulte de 60 ans ou plus', pt: 'Adulto de 60 anos ou mais' },
  unknown: { es: 'Edad desconocida', en: 'Age unknown', fr: 'Âge inconnu', pt: 'Idade desconhecida' },
});

/** The coded result of a conviction notification (its answer has a flag, not an outcome code). */
export const NOTIFICATION_OUTCOMES = codeTable('conviction notification outcome', {
  recorded: { es: 'Inscrita en el registro', en: 'Entered in the register', fr: 'Inscrite au casier', pt: 'Inscrita no registo' },
  not_recorded: { es: 'No inscrita', en: 'Not entered in the register', fr: 'Non inscrite', pt: 'Não inscrita' },
});
