/**
 * Every closed vocabulary of the node, from one import point: request statuses and which are
 * final, steps, extradition stages, request types, roles, languages and id patterns, with the
 * zod enums and the SQL fragment (FINAL_STATUSES_SQL) built from them. Each list has one home
 * (named below) and is imported from here everywhere else, the gateway included.
 * The store's migrations keep their CHECK lists as written: they are history, not vocabulary.
 */
import { z } from 'zod';
import type { Role } from './auth/tokens.js';
import { CODE_LANGUAGES } from './requests/code-table.js';
import { REQUEST_TYPE_CODES, type RequestType } from './requests/codes.js';
import { STATUSES } from './requests/lifecycle.js';

export { ACTIONS, ACTIONS_NEEDING_REASON, EXTRADITION_STAGES, FINAL_STATUSES, FINAL_STATUSES_SQL, isAction, isFinal, STATUSES } from './requests/lifecycle.js';
export type { Action, ExtraditionStage, RequestState } from './requests/lifecycle.js';
export { ACTING_ROLES, CONTENT_ROLES, ROLES } from './auth/tokens.js';
export type { ContentRole, Role } from './auth/tokens.js';
export { UUID, UUID_V7 } from './envelope/wire.js';
export { isRequestType } from './requests/codes.js';
export type { RequestType } from './requests/codes.js';

/** The four working languages of the network (home: services/requests/code-table.ts); every code and UI text has a label in each. */
export const LANGUAGES = CODE_LANGUAGES;
export type Language = (typeof LANGUAGES)[number];

/** The cooperation request types (home: the code table, services/requests/codes-requests.ts), in its order. */
export const REQUEST_KINDS = REQUEST_TYPE_CODES as readonly [RequestType, ...RequestType[]];

/**
 * Roles a person holds at a gateway: the node's roles except `integrator` (a national case
 * system, which calls the gRPC API itself), plus `user_admin`, who manages the gateway's
 * accounts and exists only there (the node never sees it). In the order the gateway lists them.
 */
export const PERSON_ROLES = ['focal_point', 'prosecutor', 'directory_admin', 'user_admin', 'auditor', 'operator'] as const satisfies readonly (Exclude<Role, 'integrator'> | 'user_admin')[];
export type PersonRole = (typeof PERSON_ROLES)[number];

/**
 * What the node's audit log records as an entry's action: the reads (services/grpc/read-audit.ts),
 * statistics among them, and the exchange's erase, consent, legal hold and use-restriction paths. The gateway labels each.
 */
export const AUDIT_ACTIONS = [
  'read_content',
  'read_attachment',
  'list_requests',
  'watch_requests',
  'search_content',
  'erase',
  'withdraw_consent',
  'legal_hold',
  'lift_legal_hold',
  'override_restriction',
  'restriction_overridden',
  'read_stats',
  'export_stats',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const statusSchema = z.enum(STATUSES);
export const requestKindSchema = z.enum(REQUEST_KINDS);
export const personRoleSchema = z.enum(PERSON_ROLES);
export const languageSchema = z.enum(LANGUAGES);
