export { ACTING_ROLES, CONTENT_ROLES, ROLES, loadOrCreateIssuer, mintToken, verifyToken } from './tokens.js';
export type { Role, Principal, TokenIssuer } from './tokens.js';
