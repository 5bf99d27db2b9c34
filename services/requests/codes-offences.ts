import { codeTable } from './code-table.js';

/**
 * Forms of exploitation, Trafficking Protocol art. 3(a), in the wording of its official
 * texts (pt: Decreto 5.017/2004), with sexual exploitation split as the OAS meetings asked.
 */
export const EXPLOITATION_FORMS = codeTable('form of exploitation', {
  'sexual_exploitation.prostitution': {
    es: 'Explotación sexual: explotación de la prostitución ajena',
    en: 'Sexual exploitation: exploitation of the prostitution of others',
    fr: "Exploitation sexuelle : exploitation de la prostitution d'autrui",
    pt: 'Exploração sexual: exploração da prostituição de outrem',
  },
  'sexual_exploitation.sex_tourism': {
    es: 'Explotación sexual: turismo sexual',
    en: 'Sexual exploitation: sex tourism',
    fr: 'Exploitation sexuelle : tourisme sexuel',
    pt: 'Exploração sexual: turismo sexual',
  },
  'sexual_exploitation.other': {
    es: 'Explotación sexual: otras formas',
    en: 'Sexual exploitation: other forms',
    fr: 'Exploitation sexuelle : autres formes',
    pt: 'Exploração sexual: outras formas',
    text: true,
  },
  forced_labour: {
    es: 'Trabajos o servicios forzados',
    en: 'Forced labour or services',
    fr: 'Travail ou services forcés',
    pt: 'Trabalho ou serviços forçados',
  },
  slavery: {
    es: 'Esclavitud o prácticas análogas a la esclavitud',
    en: 'Slavery or practices similar to slavery',
    fr: "Esclavage ou pratiques analogues à l'esclavage",
    pt: 'Escravatura ou práticas similares à escravatura',
  },
  servitude: { es: 'Servidumbre', en: 'Servitude', fr: 'Servitude', pt: 'Servidão' },
  removal_of_organs: {
    es: 'Extracción de órganos',
    en: 'Removal of organs',
    fr: "Prélèvement d'organes",
    pt: 'Remoção de órgãos',
  },
  other: {
    es: 'Otra forma de explotación',
    en: 'Other form of exploitation',
    fr: "Autre forme d'exploitation",
    pt: 'Outra forma de exploração',
    text: true,
  },
});

/** Trafficking and the related offences whose records the states exchange (UNTOC arts. 5, 6, 8, 23 and its protocols). */
export const OFFENCE_CATEGORIES = codeTable('offence category', {
  trafficking_in_persons: {
    es: 'Trata de personas',
    en: 'Trafficking in persons',
    fr: 'Traite des personnes',
    pt: 'Tráfico de pessoas',
  },
  smuggling_of_migrants: {
    es: 'Tráfico ilícito de migrantes',
    en: 'Smuggling of migrants',
    fr: 'Trafic illicite de migrants',
    pt: 'Contrabando de migrantes',
  },
  organized_crime: {
    es: 'Participación en un grupo delictivo organizado',
    en: 'Participation in an organized criminal group',
    fr: 'Participation à un groupe criminel organisé',
    pt: 'Participação em grupo criminoso organizado',
  },
  money_laundering: {
    es: 'Lavado de activos',
    en: 'Laundering of the proceeds of crime',
    fr: 'Blanchiment du produit du crime',
    pt: 'Lavagem de dinheiro',
  },
  corruption: { es: 'Corrupción', en: 'Corruption', fr: 'Corruption', pt: 'Corrupção' },
  obstruction_of_justice: {
    es: 'Obstrucción de la justicia',
    en: 'Obstruction of justice',
    fr: 'Entrave au bon fonctionnement de la justice',
    pt: 'Obstrução da justiça',
  },
  document_fraud: {
    es: 'Falsificación o uso fraudulento de documentos de viaje o de identidad',
    en: 'Forgery or fraudulent use of travel or identity documents',
    fr: "Falsification ou usage frauduleux de documents de voyage ou d'identité",
    pt: 'Falsificação ou uso fraudulento de documentos de viagem ou de identidade',
  },
  child_sexual_exploitation: {
    es: 'Explotación sexual de niñas, niños y adolescentes',
    en: 'Sexual exploitation of children',
    fr: 'Exploitation sexuelle des enfants',
    pt: 'Exploração sexual de crianças e adolescentes',
  },
  other: { es: 'Otro delito', en: 'Other offence', fr: 'Autre infraction', pt: 'Outro crime', text: true },
});

export const SENTENCE_TYPES = codeTable('sentence type', {
  imprisonment: {
    es: 'Pena privativa de libertad',
    en: 'Imprisonment',
    fr: 'Emprisonnement',
    pt: 'Pena privativa de liberdade',
  },
  life_imprisonment: {
    es: 'Prisión perpetua',
    en: 'Life imprisonment',
    fr: 'Réclusion à perpétuité',
    pt: 'Prisão perpétua',
  },
  suspended_imprisonment: {
    es: 'Pena privativa de libertad de ejecución condicional',
    en: 'Suspended sentence of imprisonment',
    fr: 'Emprisonnement avec sursis',
    pt: 'Pena privativa de liberdade suspensa (sursis)',
  },
  fine: { es: 'Multa', en: 'Fine', fr: 'Amende', pt: 'Multa' },
  community_service: {
    es: 'Prestación de servicios a la comunidad',
    en: 'Community service',
    fr: "Travail d'intérêt général",
    pt: 'Prestação de serviços à comunidade',
  },
  confiscation: { es: 'Decomiso', en: 'Confiscation', fr: 'Confiscation', pt: 'Perda de bens (confisco)' },
  other: { es: 'Otra pena', en: 'Other penalty', fr: 'Autre peine', pt: 'Outra pena', text: true },
});
