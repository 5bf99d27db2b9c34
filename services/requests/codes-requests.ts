import { codeTable } from './code-table.js';

/** The cooperation request types (docs/architecture.md; docs/protocol.md §18.1); each is also the case name of RequestPayload.body. */
export const REQUEST_TYPES = codeTable('request type', {
  mla: {
    es: 'Asistencia judicial recíproca',
    en: 'Mutual legal assistance',
    fr: 'Entraide judiciaire',
    pt: 'Auxílio jurídico mútuo',
  },
  nationality_verification: {
    es: 'Verificación de la nacionalidad y residencia de una víctima',
    en: 'Verification of the nationality and residence of a victim',
    fr: "Vérification de la nationalité et de la résidence d'une victime",
    pt: 'Verificação da nacionalidade e residência de uma vítima',
  },
  criminal_records: {
    es: 'Solicitud de antecedentes penales',
    en: 'Criminal records request',
    fr: "Demande d'extrait de casier judiciaire",
    pt: 'Pedido de antecedentes criminais',
  },
  conviction_notification: {
    es: 'Notificación de condena al Estado de nacionalidad',
    en: 'Notification of a conviction to the State of nationality',
    fr: "Avis de condamnation à l'État de nationalité",
    pt: 'Comunicação de condenação ao Estado de nacionalidade',
  },
  extradition: { es: 'Extradición', en: 'Extradition', fr: 'Extradition', pt: 'Extradição' },
  consular_notification: {
    es: 'Notificación consular',
    en: 'Consular notification',
    fr: 'Notification consulaire',
    pt: 'Notificação consular',
  },
  additional_information: {
    es: 'Solicitud de información adicional',
    en: 'Request for additional information',
    fr: "Demande d'informations complémentaires",
    pt: 'Pedido de informações adicionais',
  },
  spontaneous_information: {
    es: 'Información espontánea',
    en: 'Spontaneous information',
    fr: "Transmission spontanée d'informations",
    pt: 'Informação espontânea',
  },
});

/** Where a request stands on the shared timeline (the lifecycle moves between these). */
export const REQUEST_STATUSES = codeTable('request status', {
  submitted: { es: 'Enviada', en: 'Submitted', fr: 'Envoyée', pt: 'Enviada' },
  delivered: { es: 'Entregada', en: 'Delivered', fr: 'Remise', pt: 'Entregue' },
  received: { es: 'Recibida', en: 'Received', fr: 'Reçue', pt: 'Recebida' },
  acknowledged: {
    es: 'Recepción confirmada',
    en: 'Acknowledged',
    fr: 'Réception accusée',
    pt: 'Recebimento confirmado',
  },
  in_progress: { es: 'En trámite', en: 'In progress', fr: 'En cours de traitement', pt: 'Em andamento' },
  information_requested: {
    es: 'Información adicional solicitada',
    en: 'Additional information requested',
    fr: 'Informations complémentaires demandées',
    pt: 'Informações adicionais solicitadas',
  },
  completed: { es: 'Concluida', en: 'Completed', fr: 'Traitée', pt: 'Concluída' },
  partially_executed: {
    es: 'Ejecutada parcialmente',
    en: 'Partially executed',
    fr: 'Partiellement exécutée',
    pt: 'Parcialmente executada',
  },
  refused: { es: 'Denegada', en: 'Refused', fr: 'Refusée', pt: 'Recusada' },
  withdrawn: { es: 'Retirada', en: 'Withdrawn', fr: 'Retirée', pt: 'Retirada' },
  failed: { es: 'Entrega fallida', en: 'Delivery failed', fr: 'Échec de la remise', pt: 'Falha na entrega' },
});

/** Stages of an extradition, recorded with their dates on the timeline. */
export const EXTRADITION_STAGES = codeTable('extradition stage', {
  provisional_arrest: {
    es: 'Detención provisional',
    en: 'Provisional arrest',
    fr: 'Arrestation provisoire',
    pt: 'Prisão preventiva para fins de extradição',
  },
  formal_request_received: {
    es: 'Solicitud formal de extradición recibida',
    en: 'Formal extradition request received',
    fr: "Demande formelle d'extradition reçue",
    pt: 'Pedido formal de extradição recebido',
  },
  judicial_proceedings: {
    es: 'Procedimiento judicial',
    en: 'Judicial proceedings',
    fr: 'Procédure judiciaire',
    pt: 'Processo judicial',
  },
  judicial_decision: {
    es: 'Resolución judicial',
    en: 'Judicial decision',
    fr: 'Décision judiciaire',
    pt: 'Decisão judicial',
  },
  executive_decision: {
    es: 'Decisión del Poder Ejecutivo',
    en: 'Executive decision',
    fr: 'Décision du pouvoir exécutif',
    pt: 'Decisão do Poder Executivo',
  },
  surrender_scheduled: {
    es: 'Entrega programada',
    en: 'Surrender scheduled',
    fr: 'Remise programmée',
    pt: 'Entrega agendada',
  },
  surrendered: { es: 'Persona entregada', en: 'Person surrendered', fr: 'Personne remise', pt: 'Pessoa entregue' },
  refused: {
    es: 'Extradición denegada',
    en: 'Extradition refused',
    fr: 'Extradition refusée',
    pt: 'Extradição indeferida',
  },
  withdrawn: {
    es: 'Solicitud retirada',
    en: 'Request withdrawn',
    fr: 'Demande retirée',
    pt: 'Pedido retirado',
  },
});

/** Urgency of a request; deadlines depend on it. An empty urgency field means normal. */
export const URGENCY = codeTable('urgency', {
  normal: { es: 'Ordinaria', en: 'Normal', fr: 'Ordinaire', pt: 'Normal' },
  urgent: { es: 'Urgente', en: 'Urgent', fr: 'Urgente', pt: 'Urgente' },
});

/** What a piece of provided information is about (the answer to a request for information). */
export const INFORMATION_TOPICS = codeTable('information topic', {
  facts: { es: 'Hechos', en: 'Facts', fr: 'Faits', pt: 'Fatos' },
  identity: { es: 'Identidad de una persona', en: "A person's identity", fr: "Identité d'une personne", pt: 'Identidade de uma pessoa' },
  whereabouts: { es: 'Paradero o domicilio', en: 'Whereabouts or address', fr: 'Localisation ou adresse', pt: 'Paradeiro ou endereço' },
  victim_situation: {
    es: 'Situación y protección de la víctima',
    en: "The victim's situation and protection",
    fr: 'Situation et protection de la victime',
    pt: 'Situação e proteção da vítima',
  },
  offences: { es: 'Delitos y calificación jurídica', en: 'Offences and legal qualification', fr: 'Infractions et qualification juridique', pt: 'Crimes e tipificação' },
  legal_basis: { es: 'Base jurídica', en: 'Legal basis', fr: 'Base juridique', pt: 'Fundamento jurídico' },
  proceedings: { es: 'Estado del procedimiento', en: 'State of the proceedings', fr: 'État de la procédure', pt: 'Andamento do processo' },
  evidence: { es: 'Pruebas', en: 'Evidence', fr: 'Preuves', pt: 'Provas' },
  assurances: { es: 'Garantías', en: 'Assurances', fr: 'Garanties', pt: 'Garantias' },
  consent: { es: 'Consentimiento de la víctima', en: "The victim's consent", fr: 'Consentement de la victime', pt: 'Consentimento da vítima' },
  urgency: { es: 'Motivo de la urgencia', en: 'Reason for urgency', fr: "Motif de l'urgence", pt: 'Motivo da urgência' },
  other: { es: 'Otra información', en: 'Other information', fr: 'Autre information', pt: 'Outra informação', text: true },
});
