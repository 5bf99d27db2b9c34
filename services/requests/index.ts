export { CODE_LANGUAGES } from './code-table.js';
export type { CodeLanguage, Labels } from './code-table.js';
export {
  CODE_TABLES,
  CODE_TABLE_NAMES,
  REQUEST_TYPE_CODES,
  codeNoun,
  codes,
  isCode,
  isRequestType,
  label,
  labels,
  requiresText,
} from './codes.js';
export type { CodeOf, CodeTableName, ExtraditionStage, RequestStatusCode, RequestType, Urgency } from './codes.js';
export { BODY_CASE, payloadKind, validProvidedInformation, validRequestPayload, validResponsePayload } from './validate-payload.js';
export { checkProvidedInformation } from './validate-provided.js';
export type { ProvidedCheck } from './validate-provided.js';
export { stepResponseProblem, TYPED_REQUEST, TYPED_RESPONSE, validStepResponse } from './typed.js';
export type { RequestBodyCase, ValidateOptions } from './validate-payload.js';
export { completeness } from './completeness.js';
export type { MissingField } from './completeness.js';
export { FIELD_CLASSES, FIELD_CLASS_NAMES } from './field-classes.js';
export type { FieldClass, FieldClassTable, MessageName } from './field-classes.js';
export { REDACTED, redactRequest, redactResponse, requestClasses, requestFields, responseClasses, responseFields } from './redact.js';
export type { ClassifiedField } from './redact.js';
export { involvesChild } from './children.js';
export { contentWithoutVictims, requestWithoutVictims, responseWithoutVictims, victimIsSubject } from './victims.js';
