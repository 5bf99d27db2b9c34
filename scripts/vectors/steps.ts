/**
 * tests/vectors/steps-v1.json: lifecycle steps (docs/protocol.md §18.2, §18.5). `machine`: every
 * action from every status for both sides (mla), the reason rule, and extradition stages: the
 * status and stage after the step, or ERR_INVALID_TRANSITION. `content`: StatusUpdate bodies
 * that break a field rule (ERR_CONTENT_INVALID, with the field the reference names).
 * Deterministic; computed by the reference machine (`nextState`) and field rules.
 */
import { StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { b64u, InvalidArgumentError } from '../../keys/index.js';
import { MAX_FUTURE_SKEW_MS } from '../../services/envelope/index.js';
import { checkReceivedStep } from '../../services/requests/content-rules.js';
import { ACTIONS, EXTRADITION_STAGES, nextState, STATUSES, type Action, type LifecycleState, type Side } from '../../services/requests/lifecycle.js';
import { TYPED_RESPONSE } from '../../services/requests/index.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const REQUEST_ID = '019bc17d-b640-70cc-8849-0ac85c4e9d94';

/** §19 rule 5: the requesting node applies the requested node's positioned steps strictly in order. */
const SEQUENCES = [
  {
    name: 'positions-in-order-held-and-taken',
    section: '§19 rules 2 and 5',
    kind: 'nationality_verification',
    description:
      'Positioned steps arriving out of order: a gap holds the later step until it is filled; a position already taken, a step without a position and a step the machine refuses are ERR_INVALID_TRANSITION.',
    steps: [
      { label: 'first', note: 'vector step', action: 'acknowledge', status: 'acknowledged', seq: 1, receipt: 'accepted', statusAfter: 'acknowledged' },
      { label: 'third', note: 'vector step', action: 'complete', status: 'completed', seq: 3, receipt: 'held', statusAfter: 'acknowledged' },
      { label: 'second', note: 'vector step', action: 'start', status: 'in_progress', seq: 2, receipt: 'accepted', releases: ['third'], statusAfter: 'completed' },
      { label: 'taken', note: 'vector step', action: 'start', status: 'in_progress', seq: 2, receipt: 'ERR_INVALID_TRANSITION', statusAfter: 'completed' },
      { label: 'no-position', note: 'vector step', action: 'refuse', status: 'refused', seq: 0, receipt: 'ERR_INVALID_TRANSITION', statusAfter: 'completed' },
      { label: 'after-final', note: 'vector step', action: 'refuse', status: 'refused', seq: 4, receipt: 'ERR_INVALID_TRANSITION', statusAfter: 'completed' },
    ],
  },
];

export function buildStepVectors(): string {
  return stepFile(machineCases(), contentCases());
}

/** §18.2: every action from every status for both sides (mla), the reason rule, and the extradition stages, as the reference machine answers them. */
function machineCases(): unknown[] {
  const machine: unknown[] = [];
  const step = (request: LifecycleState, side: Side, action: Action, note: string, stage = '') => {
    const r = nextState(request, side, { action, stage, hasReason: note !== '' });
    machine.push({
      section: '§18.2',
      request,
      side,
      step: { action, stage, note },
      ...(r.ok ? { expected: { status: r.status, stage: r.stage } } : { error: 'ERR_INVALID_TRANSITION', reason: r.reason }),
    });
  };
  for (const status of STATUSES) {
    for (const side of ['requested', 'requesting'] as const) {
      for (const action of ACTIONS.filter((a) => a !== 'record_stage')) step({ status, kind: 'mla', stage: '' }, side, action, 'because');
    }
  }
  for (const action of ['request_information', 'provide_information', 'partially_execute', 'refuse'] as const) {
    const from = action === 'provide_information' ? 'information_requested' : 'in_progress';
    step({ status: from, kind: 'mla', stage: '' }, action === 'provide_information' ? 'requesting' : 'requested', action, '');
  }
  step({ status: 'in_progress', kind: 'mla', stage: '' }, 'requested', 'record_stage', '', 'judicial_proceedings');
  for (const current of ['', 'judicial_proceedings'] as const) {
    for (const stage of EXTRADITION_STAGES) {
      for (const side of ['requested', 'requesting'] as const) step({ status: current ? 'in_progress' : 'acknowledged', kind: 'extradition', stage: current }, side, 'record_stage', '', stage);
    }
  }
  step({ status: 'completed', kind: 'extradition', stage: 'surrendered' }, 'requested', 'record_stage', '', 'refused');
  return machine;
}

/** §18.5: StatusUpdate bodies checked as a receiver checks them, valid or with the field the reference names. */
function contentCases(): unknown[] {
  const content: unknown[] = [];
  const base: StatusUpdate = {
    requestId: REQUEST_ID,
    action: 'start',
    status: 'in_progress',
    stage: '',
    stageDate: '',
    note: '',
    at: NOW - 60_000,
    response: new Uint8Array(),
    responseType: '',
    actorRole: 'focal_point',
    seq: 1,
    proposalId: '',
  };
  const add = (name: string, description: string, over: Partial<StatusUpdate>, kind = 'mla') => {
    const u = { ...base, ...over };
    let field: string | undefined;
    let detail: string | undefined;
    try {
      checkReceivedStep(u, kind, NOW, MAX_FUTURE_SKEW_MS);
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      ({ field, message: detail } = e);
    }
    content.push({
      name,
      section: '§18.5',
      description,
      kind,
      body: b64u(StatusUpdate.encode(u).finish()),
      valid: field === undefined,
      ...(field ? { error: 'ERR_CONTENT_INVALID', field, detail } : {}),
    });
  };
  add('valid-start', 'start, at = now - 1 minute, actor_role focal_point.', {});
  add('valid-unknown-actor-role', 'actor_role "clerk": informative, never a reason to reject (§18.2).', { actorRole: 'clerk' });
  add('valid-at-skew-limit', 'at = now + 5 minutes exactly.', { at: NOW + MAX_FUTURE_SKEW_MS });
  add('unknown-action', 'action "approve".', { action: 'approve' });
  add('note-too-long', 'note of 2,001 characters.', { note: 'n'.repeat(2001) });
  add('note-outer-spaces', 'note " why" (leading space).', { note: ' why' });
  add('stage-without-record-stage', 'stage given with action start.', { stage: 'judicial_proceedings' });
  add('record-stage-unknown-stage', 'record_stage with stage "appeal".', { action: 'record_stage', stage: 'appeal' }, 'extradition');
  add('provisional-arrest-without-date', 'record_stage provisional_arrest without stage_date.', { action: 'record_stage', stage: 'provisional_arrest' }, 'extradition');
  add('stage-date-not-a-date', 'stage_date "15/01/2026".', { action: 'record_stage', stage: 'provisional_arrest', stageDate: '15/01/2026' }, 'extradition');
  add('at-too-far-ahead', 'at = now + 5 minutes + 1 ms.', { at: NOW + MAX_FUTURE_SKEW_MS + 1 });
  add('at-not-after-1970', 'at = 0.', { at: 0 });
  add('response-type-not-media-type', 'response bytes with response_type "text".', { action: 'complete', response: new Uint8Array([1]), responseType: 'text' });
  add('provide-information-opaque', 'provide_information with opaque bytes (application/json): the other state could not read them.', {
    action: 'provide_information',
    response: new TextEncoder().encode('{}'),
    responseType: 'application/json',
  });
  add('typed-response-not-response-payload', 'complete with the typed response media type and the bytes ff ff ff.', {
    action: 'complete',
    response: new Uint8Array([0xff, 0xff, 0xff]),
    responseType: TYPED_RESPONSE,
  });
  return content;
}

function stepFile(machine: unknown[], content: unknown[]): string {
  return (
    JSON.stringify(
      {
        description: 'Enlace lifecycle step vectors, version 1 (docs/protocol.md §18.2, §18.5). Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        format: {
          machine:
            'the side `side` takes `step` on a request in state `request`; a non-empty note stands for "a note or a response". Result: `expected` (status and stage after the step) or `error` (`reason` is informative).',
          sequences:
            'the requesting node (the node under test) sent a request of type `kind`; the requested node then sends these status envelopes in this order (each StatusUpdate with the request id, `action`, `status`, `note`, `seq`, an empty proposal_id, a fresh envelope id). After each: `receipt` is the answer that must come for it (accepted, a code, or "held": none until a later step fills the gap; `releases` names the earlier held steps answered now), and `status` the requesting node\'s status.',
          content: 'check `body` (an enlace.v1.StatusUpdate) received at `now` on a request of type `kind` (§18.5): valid, or rejected with `error`; `field` and `detail` are informative.',
        },
        now: NOW,
        machine,
        content,
        sequences: SEQUENCES,
      },
      null,
      2,
    ) + '\n'
  );
}
