import { TransitionRequest, type Request } from '../../generated/enlace/v1/exchange.js';
import type { ResponsePayload } from '../../generated/enlace/v1/requests.js';
import type { Principal } from '../../services/index.js';
import { codes, label as codeLabel, type CodeTableName } from '../../services/requests/codes.js';
import type { GatewayContext } from '../context.js';
import type { Lang } from '../i18n/index.js';

/** Lifecycle actions in the order the detail page offers them. */
export const ACTIONS = ['acknowledge', 'start', 'request_information', 'provide_information', 'complete', 'partially_execute', 'refuse', 'withdraw', 'record_stage'] as const;
export type ActionCode = (typeof ACTIONS)[number];

/** Actions that need a note (or a response) saying why; the node checks the same. */
export const NEEDS_NOTE: readonly ActionCode[] = ['request_information', 'provide_information', 'partially_execute', 'refuse'];

export const FINAL_STATUSES = ['completed', 'partially_executed', 'refused', 'withdrawn', 'failed'];

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

export function deadlineOf(r: Request, now: number): Deadline {
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

export interface StepDetail {
  role: string;
  action: string;
  stage: string;
  note: string;
}

/** The node writes a step as "<role>: <action words>[ (note)]" or "<role>: recorded stage <stage>[ (note)]". */
export function parseStep(detail: string): StepDetail | undefined {
  const m = /^([a-z_]+): (?:recorded stage ([a-z_]+)|([a-z ]+?))(?: \(([\s\S]*)\))?$/.exec(detail);
  if (!m) return undefined;
  return { role: m[1]!, action: m[2] ? 'record_stage' : m[3]!.replaceAll(' ', '_'), stage: m[2] ?? '', note: m[4] ?? '' };
}
