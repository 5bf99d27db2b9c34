import type { FieldViolation } from '../../keys/index.js';
import { Status } from '../../generated/google/rpc/status.js';
import { BadRequest, ErrorInfo } from '../../generated/google/rpc/error_details.js';

/** The trailer gRPC reserves for a serialized google.rpc.Status (grpc-status-details-bin). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';
const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
/** ErrorInfo.domain of Enlace's rules. */
export const VIOLATION_DOMAIN = 'enlace.v1';

/**
 * The google.rpc.Status of an INVALID_ARGUMENT answer: one BadRequest with a FieldViolation
 * per field (field path, English description, reason = the rule), then one ErrorInfo per
 * violation in the same order (reason = the rule, metadata = `field` and the rule's parameters).
 *
 * @example
 * metadata.set(STATUS_DETAILS_KEY, Buffer.from(violationStatus(status.INVALID_ARGUMENT, e.message, e.violations)));
 */
export function violationStatus(code: number, message: string, violations: readonly FieldViolation[]): Uint8Array {
  const badRequest = BadRequest.encode({
    fieldViolations: violations.map((v) => ({ field: v.field, description: v.description, reason: v.rule, localizedMessage: undefined })),
  }).finish();
  const infos = violations.map((v) => ({
    typeUrl: ERROR_INFO_TYPE,
    value: ErrorInfo.encode({ reason: v.rule, domain: VIOLATION_DOMAIN, metadata: { ...v.params, field: v.field } }).finish(),
  }));
  return Status.encode({ code, message, details: [{ typeUrl: BAD_REQUEST_TYPE, value: badRequest }, ...infos] }).finish();
}

/**
 * The violations a google.rpc.Status carries (the inverse of `violationStatus`); [] when it has
 * no BadRequest. A violation's parameters come from the ErrorInfo at its position, when that
 * ErrorInfo names the same field.
 */
export function violationsOf(bytes: Uint8Array): FieldViolation[] {
  const details = Status.decode(bytes).details;
  const badRequest = details.find((d) => d.typeUrl === BAD_REQUEST_TYPE);
  if (!badRequest) return [];
  const infos = details.filter((d) => d.typeUrl === ERROR_INFO_TYPE).map((d) => ErrorInfo.decode(d.value));
  return BadRequest.decode(badRequest.value).fieldViolations.map((fv, i) => {
    const info = infos[i];
    const { field, ...params } = info && info.domain === VIOLATION_DOMAIN && info.metadata.field === fv.field ? info.metadata : { field: fv.field };
    return { field: field ?? fv.field, description: fv.description, rule: fv.reason, params };
  });
}
