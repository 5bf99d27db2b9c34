import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatCsv } from '../../services/index.js';
import { UUID } from '../../services/vocabulary.js';
import { nodeAudit, type NodeAuditFilter } from '../app/audit.js';
import { principalOf, type GatewayContext } from '../context.js';
import { ACCOUNT_ACTIONS, listAccountAudit, type AccountAuditFilter } from '../db/audit.js';
import { GatewayError } from '../errors.js';
import { auditPage } from '../ui/pages/audit.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { requireUser, sendPage, viewOf } from '../web.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'v.date')
  .optional()
  .or(z.literal('').transform(() => undefined));

const filterSchema = z.object({
  person: z.string().trim().max(80).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_]{0,40}$/, 'v.invalid')
    .optional(),
  requestId: z
    .string()
    .trim()
    .refine((s) => s === '' || UUID.test(s), 'v.invalid')
    .optional(),
  from: day,
  to: day,
  before: z.coerce.number().int().positive().optional(),
});
export type AuditQuery = z.infer<typeof filterSchema>;

const ms = (d: string | undefined, plusDay = false) => (d ? Date.parse(`${d}T00:00:00Z`) + (plusDay ? 86_400_000 : 0) : undefined);

function filters(q: AuditQuery): { node: NodeAuditFilter; accounts: AccountAuditFilter } {
  const since = ms(q.from);
  const until = ms(q.to, true);
  const common = { ...(q.person ? { person: q.person } : {}), ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
  const accountAction = q.action && (ACCOUNT_ACTIONS as readonly string[]).includes(q.action) ? q.action : undefined;
  return {
    node: { ...common, ...(q.action && !accountAction ? { action: q.action } : {}), ...(q.requestId ? { requestId: q.requestId } : {}), ...(q.before ? { beforeSeq: q.before } : {}) },
    // Account rows have no request and no node action: a filter on either leaves none.
    accounts: { ...common, ...(accountAction ? { action: accountAction } : {}), ...((q.action && !accountAction) || q.requestId ? { limit: 0 } : {}) },
  };
}

function sendCsv(reply: FastifyReply, name: string, rows: string[][]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send('\uFEFF' + formatCsv(rows));
}

/** The auditor's screens: the node's audit log with its chain verdict, account changes and grants, CSV exports. */
export function auditRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const query = (req: FastifyRequest) => {
    try {
      return parseInput(filterSchema, req.query);
    } catch (e) {
      if (e instanceof GatewayError) throw new GatewayError('ERR_INVALID_ARGUMENT', 'error.badInput', { cause: e });
      throw e;
    }
  };

  app.get('/audit', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.audit);
    const q = query(req);
    const f = filters(q);
    const v = viewOf(ctx, req);
    let node: Awaited<ReturnType<typeof nodeAudit>> | undefined;
    try {
      node = await nodeAudit(ctx, principalOf(user), f.node);
    } catch (e) {
      if (!(e instanceof GatewayError) || e.code !== 'ERR_UNAVAILABLE') throw e;
    }
    return sendPage(reply, auditPage(v, { q, ...(node ? { node } : {}), accounts: listAccountAudit(ctx.db, f.accounts), grants: ctx.grants.all(200) }));
  });

  app.get('/audit/node.csv', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.audit);
    const page = await nodeAudit(ctx, principalOf(user), filters(query(req)).node, 5000);
    const rows = page.entries.map((e) => [String(e.seq), new Date(Number(e.at)).toISOString(), e.actor, e.roles, e.action, e.requestId, e.fields, e.detail, e.hash]);
    return sendCsv(reply, `audit-${ctx.country}-node.csv`, [
      ['seq', 'at', 'actor', 'roles', 'action', 'request_id', 'fields', 'detail', 'hash'],
      ...rows,
      ['', '', '', '', `chain_intact=${page.chainIntact}`, `total=${page.total}`, '', '', ''],
    ]);
  });

  app.get('/audit/accounts.csv', async (req, reply) => {
    requireUser(req, SCREEN_ROLES.audit);
    const rows = listAccountAudit(ctx.db, { ...filters(query(req)).accounts, limit: 100_000 }).map((r) => [String(r.seq), new Date(r.at).toISOString(), r.actor, r.action, r.target, r.detail]);
    return sendCsv(reply, `audit-${ctx.country}-accounts.csv`, [['seq', 'at', 'actor', 'action', 'account', 'detail'], ...rows]);
  });
}
