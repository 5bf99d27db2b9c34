export { startGrpcServer, serverCredentials, SERVICE_NAMES, MAX_MESSAGE_BYTES } from './server.js';
export type { GrpcHandle } from './server.js';
export type { ApiContext } from './context.js';
export { PERMISSIONS } from './guard.js';
export { REQUEST_KINDS } from './validate.js';
