import { codeTable } from './code-table.js';

/** Treaties and other legal bases for cooperation, with their official titles in each language. */
export const LEGAL_BASES = codeTable('legal basis', {
  'untoc.art16': {
    es: 'Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional, art. 16 (extradición)',
    en: 'United Nations Convention against Transnational Organized Crime, art. 16 (extradition)',
    fr: 'Convention des Nations Unies contre la criminalité transnationale organisée, art. 16 (extradition)',
    pt: 'Convenção das Nações Unidas contra o Crime Organizado Transnacional, art. 16 (extradição)',
  },
  'untoc.art18': {
    es: 'Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional, art. 18 (asistencia judicial recíproca)',
    en: 'United Nations Convention against Transnational Organized Crime, art. 18 (mutual legal assistance)',
    fr: 'Convention des Nations Unies contre la criminalité transnationale organisée, art. 18 (entraide judiciaire)',
    pt: 'Convenção das Nações Unidas contra o Crime Organizado Transnacional, art. 18 (auxílio jurídico mútuo)',
  },
  trafficking_protocol: {
    es: 'Protocolo para prevenir, reprimir y sancionar la trata de personas, especialmente mujeres y niños (Palermo, 2000)',
    en: 'Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children (Palermo, 2000)',
    fr: 'Protocole visant à prévenir, réprimer et punir la traite des personnes, en particulier des femmes et des enfants (Palerme, 2000)',
    pt: 'Protocolo relativo à Prevenção, Repressão e Punição do Tráfico de Pessoas, em Especial Mulheres e Crianças (Palermo, 2000)',
  },
  'inter_american.mutual_assistance_1992': {
    es: 'Convención Interamericana sobre Asistencia Mutua en Materia Penal (Nassau, 1992)',
    en: 'Inter-American Convention on Mutual Assistance in Criminal Matters (Nassau, 1992)',
    fr: "Convention interaméricaine sur l'entraide en matière pénale (Nassau, 1992)",
    pt: 'Convenção Interamericana sobre Assistência Mútua em Matéria Penal (Nassau, 1992)',
  },
  'inter_american.extradition_1981': {
    es: 'Convención Interamericana sobre Extradición (Caracas, 1981)',
    en: 'Inter-American Convention on Extradition (Caracas, 1981)',
    fr: "Convention interaméricaine sur l'extradition (Caracas, 1981)",
    pt: 'Convenção Interamericana sobre Extradição (Caracas, 1981)',
  },
  'montevideo.extradition_1933': {
    es: 'Convención sobre Extradición (Montevideo, 1933)',
    en: 'Convention on Extradition (Montevideo, 1933)',
    fr: "Convention sur l'extradition (Montevideo, 1933)",
    pt: 'Convenção sobre Extradição (Montevidéu, 1933)',
  },
  bilateral_treaty: {
    es: 'Tratado bilateral',
    en: 'Bilateral treaty',
    fr: 'Traité bilatéral',
    pt: 'Tratado bilateral',
    text: true,
  },
  reciprocity: { es: 'Reciprocidad', en: 'Reciprocity', fr: 'Réciprocité', pt: 'Reciprocidade' },
  other: {
    es: 'Otra base jurídica',
    en: 'Other legal basis',
    fr: 'Autre base juridique',
    pt: 'Outra base jurídica',
    text: true,
  },
});

/** Measures a mutual legal assistance request can ask for (UNTOC art. 18(3), art. 19). */
export const MEASURES = codeTable('measure', {
  testimony: {
    es: 'Recibir testimonios o tomar declaración a personas',
    en: 'Taking evidence or statements from persons',
    fr: 'Recueil de témoignages ou de dépositions',
    pt: 'Recolha de testemunhos ou depoimentos',
  },
  documents: {
    es: 'Entrega de documentos y expedientes (originales o copias certificadas)',
    en: 'Documents and records (originals or certified copies)',
    fr: 'Documents et dossiers (originaux ou copies certifiées conformes)',
    pt: 'Documentos e registros (originais ou cópias autenticadas)',
  },
  bank_records: {
    es: 'Información bancaria y financiera',
    en: 'Bank and financial records',
    fr: 'Informations bancaires et financières',
    pt: 'Informações bancárias e financeiras',
  },
  search_and_seizure: {
    es: 'Registro (allanamiento) e incautación',
    en: 'Search and seizure',
    fr: 'Perquisition et saisie',
    pt: 'Busca e apreensão',
  },
  freezing_and_confiscation: {
    es: 'Embargo preventivo y decomiso del producto del delito',
    en: 'Freezing and confiscation of the proceeds of crime',
    fr: 'Gel et confiscation du produit du crime',
    pt: 'Bloqueio e confisco do produto do crime',
  },
  locating_persons: {
    es: 'Localización e identificación de personas',
    en: 'Locating and identifying persons',
    fr: 'Localisation et identification de personnes',
    pt: 'Localização e identificação de pessoas',
  },
  service_of_documents: {
    es: 'Notificación de documentos judiciales',
    en: 'Service of judicial documents',
    fr: "Signification d'actes judiciaires",
    pt: 'Comunicação de atos processuais',
  },
  joint_investigation: {
    es: 'Investigación conjunta',
    en: 'Joint investigation',
    fr: 'Enquête conjointe',
    pt: 'Investigação conjunta',
  },
  other: { es: 'Otra medida', en: 'Other measure', fr: 'Autre mesure', pt: 'Outra medida', text: true },
});

/**
 * Grounds for refusing cooperation, in whole or in part: those of UNTOC arts. 16 and 18, the
 * Inter-American Conventions of 1981 and 1992 and the usual bilateral treaties.
 */
export const REFUSAL_GROUNDS = codeTable('refusal ground', {
  political_offence: {
    es: 'Delito político o conexo',
    en: 'Political offence',
    fr: 'Infraction politique',
    pt: 'Crime político',
  },
  military_offence: {
    es: 'Delito exclusivamente militar',
    en: 'Purely military offence',
    fr: 'Infraction purement militaire',
    pt: 'Crime exclusivamente militar',
  },
  discrimination: {
    es: 'Persecución por razón de sexo, raza, religión, nacionalidad, origen étnico u opiniones políticas',
    en: 'Prosecution on account of sex, race, religion, nationality, ethnic origin or political opinions',
    fr: "Poursuites en raison du sexe, de la race, de la religion, de la nationalité, de l'origine ethnique ou des opinions politiques",
    pt: 'Perseguição em razão de sexo, raça, religião, nacionalidade, origem étnica ou opiniões políticas',
  },
  dual_criminality: {
    es: 'Falta de doble incriminación',
    en: 'Dual criminality not met',
    fr: 'Absence de double incrimination',
    pt: 'Ausência de dupla incriminação',
  },
  ne_bis_in_idem: {
    es: 'Cosa juzgada (non bis in idem)',
    en: 'Ne bis in idem (already finally judged)',
    fr: 'Ne bis in idem (autorité de la chose jugée)',
    pt: 'Ne bis in idem (coisa julgada)',
  },
  essential_interests: {
    es: 'Perjuicio a la soberanía, la seguridad, el orden público u otros intereses esenciales',
    en: 'Prejudice to sovereignty, security, public order or other essential interests',
    fr: "Atteinte à la souveraineté, à la sécurité, à l'ordre public ou à d'autres intérêts essentiels",
    pt: 'Prejuízo à soberania, à segurança, à ordem pública ou a outros interesses essenciais',
  },
  insufficient_information: {
    es: 'Información insuficiente o solicitud no conforme',
    en: 'Insufficient information, or request not in conformity',
    fr: 'Informations insuffisantes ou demande non conforme',
    pt: 'Informações insuficientes ou pedido não conforme',
  },
  death_penalty: {
    es: 'Pena de muerte sin garantías suficientes',
    en: 'Death penalty without sufficient assurances',
    fr: 'Peine de mort sans garanties suffisantes',
    pt: 'Pena de morte sem garantias suficientes',
  },
  nationality: {
    es: 'Nacionalidad de la persona reclamada',
    en: 'Nationality of the person sought',
    fr: 'Nationalité de la personne réclamée',
    pt: 'Nacionalidade da pessoa reclamada',
  },
  statute_of_limitations: {
    es: 'Prescripción de la acción penal o de la pena',
    en: 'Statute of limitations (lapse of time)',
    fr: "Prescription de l'action publique ou de la peine",
    pt: 'Prescrição da pretensão punitiva ou executória',
  },
  domestic_law: {
    es: 'Prohibido por el derecho interno',
    en: 'Prohibited by domestic law',
    fr: 'Interdit par le droit interne',
    pt: 'Vedado pelo direito interno',
  },
  penalty_threshold: {
    es: 'No se alcanza la pena mínima exigida',
    en: 'Minimum penalty threshold not met',
    fr: 'Seuil minimal de peine non atteint',
    pt: 'Pena mínima exigida não atingida',
  },
  special_tribunal: {
    es: 'Juzgamiento por un tribunal de excepción o ad hoc',
    en: 'Trial by an exceptional or ad hoc tribunal',
    fr: "Jugement par un tribunal d'exception ou ad hoc",
    pt: 'Julgamento por tribunal de exceção ou ad hoc',
  },
  other: { es: 'Otro motivo', en: 'Other ground', fr: 'Autre motif', pt: 'Outro motivo', text: true },
});

export const EXTRADITION_PURPOSES = codeTable('extradition purpose', {
  prosecution: {
    es: 'Sometimiento a proceso penal',
    en: 'Prosecution',
    fr: 'Poursuites pénales',
    pt: 'Instrução de processo penal',
  },
  enforcement_of_sentence: {
    es: 'Cumplimiento de una condena',
    en: 'Enforcement of a sentence',
    fr: "Exécution d'une peine",
    pt: 'Cumprimento de pena',
  },
});
