import { TransitionRequest, WithdrawConsentRequest, type Request } from '../../generated/enlace/v1/exchange.js';
import type { ResponsePayload } from '../../generated/enlace/v1/requests.js';
import type { Principal } from '../../services/index.js';
import { codes, label as codeLabel, type CodeTableName } from '../../services/requests/codes.js';
import { ACTIONS, ACTIONS_NEEDING_REASON, isFinal, type Action, type RequestState } from '../../services/vocabulary.js';
import type { GatewayContext } from '../context.js';
import type { Lang } from '../i18n/index.js';
import { statusCode } from './codes.js';

/** Lifecycle actions, in the order the detail page offers them (the vocabulary's). */
export { ACTIONS };
export type ActionCode = Action;

/** Actions that need a note (or a response) saying why; the node checks the same. */
export const NEEDS_NOTE: readonly ActionCode[] = ACTIONS_NEEDING_REASON;

export const DUE_SOON_DAYS = 3;

export async function transition(
  ctx: GatewayContext,
  p: Principal,
  t: { requestId: string; action: ActionCode; note: string; stage?: string; stageDate?: string; typedResponse?: ResponsePayload },
): Promise<Request> {
  const req = TransitionRequest.fromPartial({ requestId: t.requestId, action: t.action, note: t.note, stage: t.stage ?? '', stageDate: t.stageDate ?? '' });
  if (t.typedResponse) req.typedResponse = t.typedResponse;
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.transition, req);
  return res.request!;
}

export type Deadline = 'none' | 'ok' | 'soon' | 'overdue' | 'paused';

/** A closed request has no deadline left, whatever date it had. */
export function deadlineOf(r: Request, now: number): Deadline {
  if (isFinal(statusCode(r.status) as RequestState)) return 'none';
  if (r.overdue) return 'overdue';
  if (!r.dueAt) return 'none';
  if (r.deadlinePaused) return 'paused';
  return r.dueAt - now < DUE_SOON_DAYS * 86_400_000 ? 'soon' : 'ok';
}

/** Extradition stages in order (from the shared code tables). */
export function stages(): readonly string[] {
  return codes('extradition_stages');
}

/** A code's label from the shared code tables (services/requests), in `lang`. */
export function codeText(table: CodeTableName, code: string, lang: Lang): string {
  return codeLabel(table, code, lang);
}

/** Records that the victim of a request withdrew her consent (docs/protocol.md §21.4); `legalGround` keeps her data restricted instead of erased. */
export async function withdrawConsent(ctx: GatewayContext, p: Principal, requestId: string, legalGround: string): Promise<Request> {
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.withdrawConsent, WithdrawConsentRequest.fromPartial({ requestId, legalGround }));
  return res.request!;
}
