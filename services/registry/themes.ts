import { LANGUAGES } from '../vocabulary.js';

/**
 * The controlled vocabulary of themes a contact point handles, with labels in the four
 * working languages of the network, and the themes competent for each request type.
 */
export const LABEL_LANGUAGES = LANGUAGES;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];

type Labels = Record<LabelLanguage, string>;

export const THEME_LABELS = {
  mla_central_authority: {
    es: 'Autoridad central de asistencia jurídica mutua',
    en: 'Mutual legal assistance central authority',
    fr: "Autorité centrale d'entraide judiciaire",
    pt: 'Autoridade central de assistência jurídica mútua',
  },
  extradition: { es: 'Extradición', en: 'Extradition', fr: 'Extradition', pt: 'Extradição' },
  criminal_records: { es: 'Antecedentes penales', en: 'Criminal records', fr: 'Casier judiciaire', pt: 'Antecedentes criminais' },
  victim_identification: {
    es: 'Identificación de víctimas (nacionalidad y residencia)',
    en: 'Victim identification (nationality and residence)',
    fr: 'Identification des victimes (nationalité et résidence)',
    pt: 'Identificação de vítimas (nacionalidade e residência)',
  },
  victim_assistance: {
    es: 'Asistencia y protección a víctimas',
    en: 'Victim assistance and protection',
    fr: 'Assistance et protection des victimes',
    pt: 'Assistência e proteção às vítimas',
  },
  consular_assistance: { es: 'Asistencia consular', en: 'Consular assistance', fr: 'Assistance consulaire', pt: 'Assistência consular' },
  prosecution: { es: 'Persecución penal (fiscalía)', en: 'Prosecution', fr: 'Poursuites pénales (ministère public)', pt: 'Persecução penal (Ministério Público)' },
  police_investigation: { es: 'Investigación policial', en: 'Police investigation', fr: 'Enquête de police', pt: 'Investigação policial' },
  migration: { es: 'Migración', en: 'Migration', fr: 'Migrations', pt: 'Migração' },
  labour_inspection: { es: 'Inspección del trabajo', en: 'Labour inspection', fr: 'Inspection du travail', pt: 'Inspeção do trabalho' },
  child_protection: {
    es: 'Protección de niñas, niños y adolescentes',
    en: 'Child protection',
    fr: "Protection de l'enfance",
    pt: 'Proteção de crianças e adolescentes',
  },
  asset_recovery: {
    es: 'Recuperación de activos e investigación financiera',
    en: 'Asset recovery and financial investigation',
    fr: 'Recouvrement des avoirs et enquête financière',
    pt: 'Recuperação de ativos e investigação financeira',
  },
  statistics: { es: 'Estadísticas', en: 'Statistics', fr: 'Statistiques', pt: 'Estatísticas' },
  prevention_training: { es: 'Prevención y capacitación', en: 'Prevention and training', fr: 'Prévention et formation', pt: 'Prevenção e capacitação' },
} as const satisfies Record<string, Labels>;

export type Theme = keyof typeof THEME_LABELS;
export const THEMES = Object.keys(THEME_LABELS) as Theme[];

export function isTheme(code: string): code is Theme {
  return Object.hasOwn(THEME_LABELS, code);
}

/**
 * The themes competent for each cooperation request type, best first. Its keys are the
 * request types of services/grpc/validate.ts (a unit test keeps the two lists equal).
 */
export const REQUEST_KIND_THEMES = {
  mla: ['mla_central_authority'],
  nationality_verification: ['victim_identification'],
  criminal_records: ['criminal_records'],
  conviction_notification: ['criminal_records'],
  extradition: ['extradition'],
  consular_notification: ['consular_assistance'],
  additional_information: ['mla_central_authority'],
  spontaneous_information: ['police_investigation', 'prosecution'],
} as const satisfies Record<string, readonly Theme[]>;

export type RequestKind = keyof typeof REQUEST_KIND_THEMES;
export const REGISTRY_REQUEST_KINDS = Object.keys(REQUEST_KIND_THEMES) as RequestKind[];

export function isRequestKind(kind: string): kind is RequestKind {
  return Object.hasOwn(REQUEST_KIND_THEMES, kind);
}

/** The label of a theme in `lang` (one of es, en, fr, pt; English otherwise). */
export function themeLabel(theme: Theme, lang: string): string {
  const labels: Labels = THEME_LABELS[theme];
  return (LABEL_LANGUAGES as readonly string[]).includes(lang) ? labels[lang as LabelLanguage] : labels.en;
}
