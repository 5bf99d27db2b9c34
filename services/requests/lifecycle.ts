/**
 * The shared lifecycle of a cooperation request. Both nodes run this same machine over
 * the same signed status events, so both keep the same status and timeline. `side` is
 * "requesting" (the node that sent the request) or "requested" (the node that received it).
 */
export const STATUSES = ['submitted', 'delivered', 'received', 'acknowledged', 'in_progress', 'information_requested', 'completed', 'partially_executed', 'refused', 'withdrawn', 'failed'] as const;
export type RequestState = (typeof STATUSES)[number];

export const ACTIONS = ['acknowledge', 'start', 'request_information', 'provide_information', 'complete', 'partially_execute', 'refuse', 'withdraw', 'record_stage'] as const;
export type Action = (typeof ACTIONS)[number];

export type Side = 'requesting' | 'requested';

/** Extradition stages, in the order they normally happen. */
export const EXTRADITION_STAGES = [
  'provisional_arrest',
  'formal_request_received',
  'judicial_proceedings',
  'judicial_decision',
  'executive_decision',
  'surrender_scheduled',
  'surrendered',
  'refused',
  'withdrawn',
] as const;
export type ExtraditionStage = (typeof EXTRADITION_STAGES)[number];

/** Statuses after which no step is taken: the one home of this list (SQL fragment below). */
export const FINAL_STATUSES: readonly RequestState[] = ['completed', 'partially_executed', 'refused', 'withdrawn', 'failed'];
/** `status IN (${FINAL_STATUSES_SQL})`, for the store's queries. */
export const FINAL_STATUSES_SQL = FINAL_STATUSES.map((s) => `'${s}'`).join(', ');
const FINAL = FINAL_STATUSES;
/** Open and not yet acted on: the sender sees "submitted"/"delivered", the receiver "received". */
const ARRIVED: readonly RequestState[] = ['submitted', 'delivered', 'received'];
const WORKING: readonly RequestState[] = [...ARRIVED, 'acknowledged', 'in_progress'];

interface Rule {
  side: Side;
  from: readonly RequestState[];
  to: RequestState;
  /** Needs a response or a note saying why. */
  needsReason?: boolean;
}

const RULES: Record<Exclude<Action, 'record_stage'>, Rule> = {
  acknowledge: { side: 'requested', from: ARRIVED, to: 'acknowledged' },
  start: { side: 'requested', from: [...ARRIVED, 'acknowledged'], to: 'in_progress' },
  request_information: { side: 'requested', from: WORKING, to: 'information_requested', needsReason: true },
  provide_information: { side: 'requesting', from: ['information_requested'], to: 'in_progress', needsReason: true },
  complete: { side: 'requested', from: WORKING, to: 'completed' },
  partially_execute: { side: 'requested', from: WORKING, to: 'partially_executed', needsReason: true },
  refuse: { side: 'requested', from: [...WORKING, 'information_requested'], to: 'refused', needsReason: true },
  withdraw: { side: 'requesting', from: [...WORKING, 'information_requested'], to: 'withdrawn' },
};

/** Steps that need a note or a response saying why (the gateway asks for one before sending). */
export const ACTIONS_NEEDING_REASON: readonly Action[] = ACTIONS.filter((a) => a !== 'record_stage' && RULES[a].needsReason);

export interface LifecycleState {
  status: RequestState;
  kind: string;
  stage: string;
}

export interface Step {
  action: Action;
  stage?: string;
  hasReason: boolean;
}

export type StepResult = { ok: true; status: RequestState; stage: string } | { ok: false; reason: string };

export function isFinal(status: RequestState): boolean {
  return FINAL.includes(status);
}

/**
 * Whether `side` may take `step` from `state`, and the state after it. Pure: the caller
 * applies it. Extradition cases move through stages with `record_stage` (requested side,
 * forward only; the requesting side may only record "withdrawn").
 */
export function nextState(state: LifecycleState, side: Side, step: Step): StepResult {
  if (isFinal(state.status)) return { ok: false, reason: `the request is ${state.status}; no further steps` };
  if (step.action === 'record_stage') {
    if (state.kind !== 'extradition') return { ok: false, reason: 'stages apply to extradition requests only' };
    const stage = step.stage as ExtraditionStage;
    const to = EXTRADITION_STAGES.indexOf(stage);
    if (to < 0) return { ok: false, reason: `stage must be one of ${EXTRADITION_STAGES.join(', ')}` };
    if (side === 'requesting' && stage !== 'withdrawn') return { ok: false, reason: 'the requesting state may only record that it withdraws' };
    if (side === 'requested' && stage === 'withdrawn') return { ok: false, reason: 'only the requesting state withdraws' };
    const from = state.stage ? EXTRADITION_STAGES.indexOf(state.stage as ExtraditionStage) : -1;
    if (stage !== 'refused' && stage !== 'withdrawn' && to <= from) {
      return { ok: false, reason: `stage ${stage} does not come after ${state.stage}` };
    }
    const status: RequestState = stage === 'surrendered' ? 'completed' : stage === 'refused' ? 'refused' : stage === 'withdrawn' ? 'withdrawn' : 'in_progress';
    return { ok: true, status, stage };
  }
  const rule = RULES[step.action];
  if (rule.side !== side) return { ok: false, reason: `only the ${rule.side} state may ${step.action.replace('_', ' ')}` };
  if (!rule.from.includes(state.status)) return { ok: false, reason: `cannot ${step.action.replace('_', ' ')} a request that is ${state.status}` };
  if (rule.needsReason && !step.hasReason) return { ok: false, reason: `${step.action.replace('_', ' ')} needs a note or a response saying why` };
  return { ok: true, status: rule.to, stage: state.stage };
}

/** The actions `side` may take now (for the UI and the API's allowed_actions). */
export function allowedActions(state: LifecycleState, side: Side): Action[] {
  if (isFinal(state.status)) return [];
  return ACTIONS.filter((action) => {
    if (action === 'record_stage') return state.kind === 'extradition';
    const rule = RULES[action];
    return rule.side === side && rule.from.includes(state.status);
  });
}

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
