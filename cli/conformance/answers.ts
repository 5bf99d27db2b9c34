import { StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { KIND } from '../../services/envelope/index.js';
import { REQUEST_TYPE_CODES, stepResponseProblem, TYPED_RESPONSE, type RequestType } from '../../services/requests/index.js';
import { answerFormOf, describeReceipt as describe, sendTypedRequest, type Check } from './forms-and-erasure.js';
import { ACCEPTED, REJECTED, statusStep, type Probe } from './probe.js';
import type { OnWaiting } from './receiving.js';

/** A step from the node under test on request `requestId`, as the tester received it. */
function stepsOn(probe: Probe, requestId: string): StatusUpdate[] {
  return probe.received
    .filter((r) => r.opened.header.kind === KIND.status)
    .map((r) => StatusUpdate.decode(r.opened.body))
    .filter((u) => u.requestId === requestId);
}

/** The answer step among `steps`: one carrying a typed answer (§18.2), other than provide_information. */
const answerOf = (steps: StatusUpdate[]) => steps.find((u) => u.responseType === TYPED_RESPONSE && u.action !== 'provide_information' && u.response.byteLength > 0);

/** What an answer step shows against §18.2 and §19 for a request of type `kind`: undefined when it is as the spec says. */
function answerProblem(kind: RequestType, steps: StatusUpdate[], answer: StatusUpdate): string | undefined {
  const problem = stepResponseProblem(kind, answer.action, answer.response, answer.responseType, answer.at);
  if (problem) return problem;
  const seqs = steps.map((u) => u.seq).sort((a, b) => a - b);
  if (seqs.some((s, i) => s !== i + 1)) return `positions ${seqs.join(', ')}, not 1, 2, … in order`;
  return undefined;
}

/**
 * §18.2, §18.7, §19 from the requested side: the tester sends a typed request of every type
 * (its own, so that the erasure checks cannot have ended one), and the node under test answers
 * each with the answer form of that type, in positioned steps (someone answers them there while
 * the kit waits; the kit names each request and its type).
 */
export async function answersFromTheNode(probe: Probe, timeoutMs: number, check: Check, onWaiting?: OnWaiting): Promise<void> {
  const sent = new Map<RequestType, string>();
  for (const kind of REQUEST_TYPE_CODES) {
    const { id, receipt } = await sendTypedRequest(probe, kind, timeoutMs);
    if (receipt?.outcome === ACCEPTED) sent.set(kind, id);
  }
  for (const [kind, id] of sent) onWaiting?.(`waiting for an answer to request ${id} (${kind}) from the node under test: answer it there with a typed answer of its form`);
  for (const kind of REQUEST_TYPE_CODES) {
    const id = sent.get(kind);
    await check('§18.2, §18.7, §19', `the node under test answers a typed ${kind} request with the answer form of its type, in positioned steps`, async () => {
      if (!id) return [false, 'the request of this type got no accepted receipt, so there is nothing to answer'];
      const answer = await probe.until(() => answerOf(stepsOn(probe, id)), timeoutMs * 3);
      if (!answer)
        return [
          false,
          `no step with a typed answer arrived; steps seen: ${
            stepsOn(probe, id)
              .map((u) => `${u.action} at ${u.seq}`)
              .join(', ') || 'none'
          }`,
        ];
      const steps = stepsOn(probe, id).filter((u) => u.seq <= answer.seq);
      const problem = answerProblem(kind, steps, answer);
      const decoded = ResponsePayload.decode(answer.response);
      return [problem === undefined, problem ?? `${steps.map((u) => `${u.action} at ${u.seq}`).join(', ')}; answer ${decoded.body?.$case ?? 'without a body'} in "${decoded.language}"`];
    });
  }
}

/** The form of a type other than `kind`: an answer that does not belong to the request. */
function foreignAnswer(kind: string): ResponsePayload {
  const other = REQUEST_TYPE_CODES.find((k) => k !== kind)!;
  return answerFormOf(other);
}

/**
 * §18.2, §19 from the requesting side: the tester, as the requested state of `requestId` (a
 * request of type `kind` from the node under test), answers it: acknowledge at 1, a typed answer
 * of another type's form rejected ERR_CONTENT_INVALID (§18.5), then its own form at 2 accepted, and the
 * position taken again refused.
 */
export async function answerToTheNode(probe: Probe, timeoutMs: number, check: Check, requestId: string, kind: string): Promise<void> {
  const step = async (action: string, status: string, seq: number, response?: ResponsePayload) => {
    const u = statusStep(requestId, action, status, seq, response);
    const e = await probe.sealed(KIND.status, u);
    await probe.publish(e.bytes, e.id);
    return probe.receipt(e.id, timeoutMs);
  };
  const own = REQUEST_TYPE_CODES.find((k) => k === kind);
  await check('§18.2, §18.5, §19', "the requested side's positioned steps are accepted in order (acknowledge at 1, complete with the typed answer of the request's form at 2)", async () => {
    if (!own) return [false, `the request's type ${kind} is not one of §18.7`];
    const first = await step('acknowledge', 'acknowledged', 1);
    const wrong = await step('complete', 'completed', 2, foreignAnswer(kind));
    const second = await step('complete', 'completed', 2, answerFormOf(own));
    const ok = first?.outcome === ACCEPTED && wrong?.outcome === REJECTED && wrong.reasonCode === 'ERR_CONTENT_INVALID' && second?.outcome === ACCEPTED;
    return [ok, `seq 1: ${describe(first)}; seq 2 with another type's answer: ${describe(wrong)} (expected rejected ERR_CONTENT_INVALID); seq 2 with its own: ${describe(second)}`];
  });
  await check('§19 rule 5', 'a position already taken is refused ERR_INVALID_TRANSITION', async () => {
    const r = await step('complete', 'completed', 2, own && answerFormOf(own));
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_INVALID_TRANSITION', describe(r)];
  });
}
