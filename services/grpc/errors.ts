import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, EnlaceError, InvalidArgumentError, isEnlaceError } from '../../keys/index.js';
import { storageFaultCode } from '../store/index.js';

/**
 * The one place errors become gRPC statuses. Enlace errors keep their code (also sent
 * as `enlace-error-code` trailer metadata); a database that cannot write (SQLite's typed
 * codes, services/store/storage-fault.ts) is ERR_STORAGE_FULL or ERR_UNAVAILABLE; anything
 * else is INTERNAL with a generic message, its cause going to the log only.
 */
export function toServiceError(e: unknown, logger: Logger): Partial<ServiceError> {
  const metadata = new Metadata();
  const storage = storageFaultCode(e);
  if (storage) {
    logger.warn({ err: { code: (e as { code?: string }).code, message: (e as Error).message } }, 'an RPC failed: the store cannot write');
    return toServiceError(new EnlaceError(storage, undefined, { cause: e }), logger);
  }
  if (isEnlaceError(e)) {
    metadata.set('enlace-error-code', e.code);
    if (e instanceof InvalidArgumentError && e.rule) metadata.set('enlace-error-rule', e.rule);
    return { code: ERROR_CATALOGUE[e.code].grpc, details: e.message, metadata };
  }
  logger.error({ err: e }, 'unexpected error in an RPC');
  metadata.set('enlace-error-code', 'ERR_INTERNAL');
  return { code: status.INTERNAL, details: 'internal error', metadata };
}
