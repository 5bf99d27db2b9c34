import type { handleServerStreamingCall, handleUnaryCall, Metadata, ServerWritableStream } from '@grpc/grpc-js';
import { EnlaceError } from '../../keys/index.js';
import { ACTING_ROLES, CONTENT_ROLES, verifyToken, type Principal, type Role } from '../auth/index.js';
import type { ApiContext } from './context.js';
import { toServiceError } from './errors.js';

/** Which roles may call each RPC (least privilege). */
export const PERMISSIONS = {
  submitRequest: ['operator', 'focal_point', 'prosecutor', 'integrator'],
  readRequests: ['operator', 'focal_point', 'prosecutor', 'integrator', 'auditor'],
  /** Calls that return contents only (attachments). */
  readContent: CONTENT_ROLES,
  nodeInfo: ['operator', 'focal_point', 'prosecutor', 'directory_admin', 'auditor', 'integrator'],
  quarantine: ['operator', 'auditor'],
  audit: ['auditor', 'operator'],
  transition: ACTING_ROLES,
  erase: ['operator', 'focal_point'],
  legalHold: ['operator', 'focal_point', 'prosecutor'],
  /** Recording that a victim withdrew her consent is a decision on the case: content roles that act on it. */
  withdrawConsent: ['focal_point', 'prosecutor'],
  directoryRead: ['operator', 'focal_point', 'prosecutor', 'directory_admin', 'auditor', 'integrator'],
  directoryWrite: ['directory_admin'],
  directoryAudit: ['operator', 'directory_admin', 'auditor'],
  /** Statistics and indicators: counts of coded values only, for those who evaluate (auditors) and run (operators) the node. */
  stats: ['auditor', 'operator'],
} as const satisfies Record<string, readonly Role[]>;

export async function authenticate(ctx: ApiContext, metadata: Metadata, allowed: readonly Role[]): Promise<Principal> {
  const header = metadata.get('authorization')[0];
  const text = typeof header === 'string' ? header : header?.toString('utf8');
  const m = text ? /^Bearer\s+(\S+)$/i.exec(text) : null;
  if (!m) throw new EnlaceError('ERR_UNAUTHENTICATED', 'a bearer token is required (authorization: Bearer <token>)');
  const principal = await verifyToken(ctx.issuer, m[1]!, ctx.exchange.clock.now());
  if (!principal.roles.some((r) => allowed.includes(r))) {
    throw new EnlaceError('ERR_PERMISSION_DENIED', `this call needs one of the roles: ${allowed.join(', ')}`);
  }
  return principal;
}

/** A unary handler with authentication, role check and error mapping. */
export function unary<Req, Res>(ctx: ApiContext, allowed: readonly Role[], fn: (req: Req, principal: Principal) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    authenticate(ctx, call.metadata, allowed)
      .then((principal) => fn(call.request, principal))
      .then(
        (res) => callback(null, res),
        (e: unknown) => callback(toServiceError(e, ctx.logger)),
      );
  };
}

/** A server-streaming handler with the same checks; `fn` returns a cleanup function. */
export function serverStream<Req, Res>(ctx: ApiContext, allowed: readonly Role[], fn: (call: ServerWritableStream<Req, Res>, principal: Principal) => () => void): handleServerStreamingCall<Req, Res> {
  return (call) => {
    authenticate(ctx, call.metadata, allowed).then(
      (principal) => {
        let cleanup: () => void;
        try {
          cleanup = fn(call, principal);
        } catch (e) {
          call.emit('error', Object.assign(new Error(toServiceError(e, ctx.logger).details), toServiceError(e, ctx.logger)));
          return;
        }
        call.on('cancelled', cleanup);
        call.on('close', cleanup);
        call.on('error', cleanup);
      },
      (e: unknown) => call.emit('error', Object.assign(new Error(toServiceError(e, ctx.logger).details), toServiceError(e, ctx.logger))),
    );
  };
}
