import { codeTable } from './code-table.js';

/** Identity and travel documents: held by a person, or issued to a victim (Trafficking Protocol art. 8(4)). */
export const IDENTITY_DOCUMENTS = codeTable('identity document type', {
  passport: { es: 'Pasaporte', en: 'Passport', fr: 'Passeport', pt: 'Passaporte' },
  identity_card: {
    es: 'Documento nacional de identidad',
    en: 'National identity card',
    fr: "Carte nationale d'identité",
    pt: 'Documento de identidade',
  },
  birth_certificate: {
    es: 'Partida de nacimiento',
    en: 'Birth certificate',
    fr: 'Acte de naissance',
    pt: 'Certidão de nascimento',
  },
  certificate_of_nationality: {
    es: 'Certificado de nacionalidad',
    en: 'Certificate of nationality',
    fr: 'Certificat de nationalité',
    pt: 'Certificado de nacionalidade',
  },
  emergency_travel_document: {
    es: 'Documento de viaje de emergencia',
    en: 'Emergency travel document',
    fr: "Document de voyage d'urgence",
    pt: 'Documento de viagem de emergência',
  },
  safe_conduct: {
    es: 'Salvoconducto',
    en: 'Safe-conduct (laissez-passer)',
    fr: 'Laissez-passer',
    pt: 'Salvo-conduto',
  },
  residence_permit: {
    es: 'Permiso de residencia',
    en: 'Residence permit',
    fr: 'Titre de séjour',
    pt: 'Autorização de residência',
  },
  other: { es: 'Otro documento', en: 'Other document', fr: 'Autre document', pt: 'Outro documento', text: true },
});

/** The role of a person named in a request. A victim who also testifies is a victim. */
export const PERSON_ROLES = codeTable('person role', {
  suspect: { es: 'Persona investigada', en: 'Suspect', fr: 'Personne soupçonnée', pt: 'Investigado' },
  accused: {
    es: 'Persona imputada o acusada',
    en: 'Accused person',
    fr: 'Personne poursuivie (prévenu ou accusé)',
    pt: 'Acusado ou réu',
  },
  convicted: { es: 'Persona condenada', en: 'Convicted person', fr: 'Personne condamnée', pt: 'Pessoa condenada' },
  victim: { es: 'Víctima', en: 'Victim', fr: 'Victime', pt: 'Vítima' },
  witness: { es: 'Testigo', en: 'Witness', fr: 'Témoin', pt: 'Testemunha' },
  expert: { es: 'Perito', en: 'Expert witness', fr: 'Expert judiciaire', pt: 'Perito' },
  other: { es: 'Otra persona', en: 'Other person', fr: 'Autre personne', pt: 'Outra pessoa', text: true },
});

/** Sex as recorded, for statistics disaggregated by sex. */
export const SEX = codeTable('sex', {
  female: { es: 'Femenino', en: 'Female', fr: 'Féminin', pt: 'Feminino' },
  male: { es: 'Masculino', en: 'Male', fr: 'Masculin', pt: 'Masculino' },
  other: { es: 'Otro', en: 'Other', fr: 'Autre', pt: 'Outro' },
  unknown: { es: 'No consta', en: 'Unknown', fr: 'Non connu', pt: 'Não informado' },
});

/**
 * The situation of a foreign national that a consular notification reports (Vienna Convention
 * on Consular Relations art. 36(1)(b)). A victim is never reported as detained.
 */
export const CONSULAR_SITUATIONS = codeTable('consular situation', {
  arrested: { es: 'Arrestada', en: 'Arrested', fr: 'Arrêtée', pt: 'Presa' },
  pretrial_detention: {
    es: 'En prisión preventiva',
    en: 'In custody pending trial',
    fr: 'En détention provisoire',
    pt: 'Em prisão preventiva',
  },
  imprisoned: { es: 'Encarcelada', en: 'Committed to prison', fr: 'Incarcérée', pt: 'Encarcerada' },
  other_detention: {
    es: 'Detenida de otra forma (p. ej. detención migratoria)',
    en: 'Detained in any other manner (e.g. immigration detention)',
    fr: 'Détenue de toute autre manière (p. ex. rétention administrative)',
    pt: 'Detida de qualquer outra maneira (p. ex. detenção migratória)',
  },
  victim: {
    es: 'Identificada como víctima de trata de personas',
    en: 'Identified as a victim of trafficking in persons',
    fr: 'Identifiée comme victime de la traite des personnes',
    pt: 'Identificada como vítima de tráfico de pessoas',
  },
  deceased: { es: 'Fallecida', en: 'Deceased', fr: 'Décédée', pt: 'Falecida' },
  other: { es: 'Otra situación', en: 'Other situation', fr: 'Autre situation', pt: 'Outra situação', text: true },
});

/** Why a victim's nationality or residence is to be verified. */
export const VERIFICATION_PURPOSES = codeTable('verification purpose', {
  identification: {
    es: 'Identificación de la víctima',
    en: 'Identification of the victim',
    fr: 'Identification de la victime',
    pt: 'Identificação da vítima',
  },
  repatriation: { es: 'Repatriación', en: 'Repatriation', fr: 'Rapatriement', pt: 'Repatriamento' },
  travel_documents: {
    es: 'Expedición de documentos de viaje o de identidad',
    en: 'Issue of travel or identity documents',
    fr: "Délivrance de documents de voyage ou d'identité",
    pt: 'Emissão de documentos de viagem ou de identidade',
  },
  protection: {
    es: 'Asistencia y protección',
    en: 'Assistance and protection',
    fr: 'Assistance et protection',
    pt: 'Assistência e proteção',
  },
  residence_status: {
    es: 'Situación migratoria en el Estado receptor',
    en: 'Residence status in the receiving State',
    fr: "Droit au séjour dans l'État d'accueil",
    pt: 'Situação migratória no Estado de acolhimento',
  },
  criminal_proceedings: {
    es: 'Proceso penal',
    en: 'Criminal proceedings',
    fr: 'Procédure pénale',
    pt: 'Processo penal',
  },
  other: { es: 'Otra finalidad', en: 'Other purpose', fr: 'Autre finalité', pt: 'Outra finalidade', text: true },
});

/** Why criminal records are requested; non-criminal purposes have a longer deadline. */
export const RECORDS_PURPOSES = codeTable('criminal records purpose', {
  criminal_proceedings: {
    es: 'Proceso penal',
    en: 'Criminal proceedings',
    fr: 'Procédure pénale',
    pt: 'Processo penal',
  },
  other: {
    es: 'Otra finalidad (no penal)',
    en: 'Other (non-criminal) purpose',
    fr: 'Autre finalité (non pénale)',
    pt: 'Outra finalidade (não penal)',
    text: true,
  },
});
