import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, InvalidArgumentError, isEnlaceError } from '../../keys/index.js';

/**
 * The one place errors become gRPC statuses. Enlace errors keep their code (also sent
 * as `enlace-error-code` trailer metadata); anything else is INTERNAL with a generic
 * message, its cause going to the log only.
 */
export function toServiceError(e: unknown, logger: Logger): Partial<ServiceError> {
  const metadata = new Metadata();
  if (isEnlaceError(e)) {
    metadata.set('enlace-error-code', e.code);
    if (e instanceof InvalidArgumentError && e.rule) metadata.set('enlace-error-rule', e.rule);
    return { code: ERROR_CATALOGUE[e.code].grpc as status, details: e.message, metadata };
  }
  logger.error({ err: e }, 'unexpected error in an RPC');
  metadata.set('enlace-error-code', 'ERR_INTERNAL');
  return { code: status.INTERNAL, details: 'internal error', metadata };
}
