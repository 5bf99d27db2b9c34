export { Gateway, seedUsers } from './gateway.js';
export type { GatewaySecrets, GatewayOverrides, SeedUser } from './gateway.js';
export { gatewayEnvToCfg, gatewayPaths, DEFAULT_AUTH } from './config.js';
export type { GatewayConfig } from './config.js';
export { USER_ROLES } from './db/users.js';
export type { UserRole } from './db/users.js';
export { generatePassword } from './auth/passwords.js';
export { LANGS, DICTIONARIES, MISSING } from './i18n/index.js';
export type { Lang } from './i18n/index.js';
