import { ListAuditRequest, type AuditEntry } from '../../generated/enlace/v1/node.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';

export interface NodeAuditFilter {
  requestId?: string;
  /** Gateway user name or token subject, exact (case-insensitive). */
  person?: string;
  action?: string;
  since?: number;
  until?: number;
  beforeSeq?: number;
}

export interface NodeAuditPage {
  entries: AuditEntry[];
  /** The node walked its whole hash chain from the first entry while answering, and it held. */
  chainIntact: boolean;
  total: number;
  /** Sequence number to page on from, when older entries may match. */
  older?: number;
}

const PAGE = 500;
const MAX_PAGES = 10;

function matches(e: AuditEntry, f: NodeAuditFilter): boolean {
  if (f.person) {
    const who = e.actor.toLowerCase();
    const p = f.person.toLowerCase();
    if (who !== p && who !== `gateway:${p}`) return false;
  }
  if (f.action && e.action !== f.action) return false;
  const at = Number(e.at);
  if (f.since !== undefined && at < f.since) return false;
  if (f.until !== undefined && at >= f.until) return false;
  return true;
}

/**
 * The node's audit log (ListAudit, newest first) through the auditor's own token, filtered
 * here by person, action and dates (the node filters by request), up to `limit` matches.
 * The chain verdict is the node's, computed over the whole log for this very call.
 */
export async function nodeAudit(ctx: GatewayContext, p: Principal, f: NodeAuditFilter, limit = 200): Promise<NodeAuditPage> {
  const out: AuditEntry[] = [];
  let before = f.beforeSeq;
  let intact = true;
  let total = 0;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res = await ctx.node.call(
      p,
      ctx.node.node,
      ctx.node.node.listAudit,
      ListAuditRequest.fromPartial({ requestId: f.requestId ?? '', pageSize: PAGE, ...(before ? { beforeSeq: before } : {}) }),
    );
    intact &&= res.chainIntact;
    total = Number(res.total);
    for (const e of res.entries) {
      if (f.since !== undefined && Number(e.at) < f.since) return { entries: out, chainIntact: intact, total };
      if (matches(e, f)) out.push(e);
      if (out.length >= limit) return { entries: out, chainIntact: intact, total, older: Number(e.seq) };
    }
    if (res.entries.length < PAGE) return { entries: out, chainIntact: intact, total };
    before = Number(res.entries[res.entries.length - 1]!.seq);
  }
  return { entries: out, chainIntact: intact, total, ...(before ? { older: before } : {}) };
}
