import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, EnlaceError, InvalidArgumentError, isEnlaceError } from '../../keys/index.js';
import { storageFaultCode } from '../store/index.js';
import { STATUS_DETAILS_KEY, violationStatus } from './status-details.js';

/**
 * The one place errors become gRPC statuses. Enlace errors keep their code (also sent
 * as `enlace-error-code` trailer metadata); a database that cannot write (SQLite's typed
 * codes, services/store/storage-fault.ts) is ERR_STORAGE_FULL or ERR_UNAVAILABLE; anything
 * else is INTERNAL with a generic message, its cause going to the log only. Invalid input
 * also carries every field violation as a google.rpc.Status with a BadRequest
 * (status-details.ts), and its first rule as `enlace-error-rule` for older clients.
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
    const grpc = ERROR_CATALOGUE[e.code].grpc;
    if (e instanceof InvalidArgumentError) {
      if (e.rule) metadata.set('enlace-error-rule', e.rule);
      metadata.set(STATUS_DETAILS_KEY, Buffer.from(violationStatus(grpc, e.message, e.violations)));
    }
    return { code: grpc, details: e.message, metadata };
  }
  logger.error({ err: e }, 'unexpected error in an RPC');
  metadata.set('enlace-error-code', 'ERR_INTERNAL');
  return { code: status.INTERNAL, details: 'internal error', metadata };
}
