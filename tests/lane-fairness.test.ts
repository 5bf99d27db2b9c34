import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction } from '../generated/enlace/v1/exchange.js';
import { ciphertextLength, PART_BYTES } from '../services/attachments/index.js';
import type { NationalNode } from '../services/index.js';
import { INBOX_BATCH_BYTES, inboxLanes, inboxStream, inboxSubject, LANE_QUANTUM_BYTES } from '../services/transport/index.js';
import { clientsForIssuer, eventually, Federation, NETWORK, submitRequestOf, type Clients } from './_util.js';

const LARGE = 6;
const LARGE_BYTES = 3 * 1024 * 1024;

/** A PDF of `size` bytes: the signature, then random bytes. */
function pdf(size: number): Uint8Array {
  const b = randomBytes(size);
  Buffer.from('%PDF-1.7\n', 'latin1').copy(b);
  return new Uint8Array(b);
}

/** Messages waiting on `from`'s lane of UY's inbox, as UY's account reads its stream. */
async function waitingOn(jsm: JetStreamManager, from: string): Promise<number> {
  const info = await jsm.streams.info(inboxStream(NETWORK, 'UY'), { subjects_filter: inboxLanes(NETWORK, 'UY') });
  return info.state.subjects?.[inboxSubject(NETWORK, 'UY', from)] ?? 0;
}

/**
 * Lanes are served fairly by bytes (docs/protocol.md §14, "Serving lanes fairly"): a backlog of large requests from
 * AR does not hold back a small request from BR that waits beside it in UY's inbox.
 */
describe('lane fairness: a large backlog from one sender and a small request from another', () => {
  let fed: Federation;
  let arNode: NationalNode;
  let brNode: NationalNode;
  let uyNode: NationalNode;
  let ar: Clients;
  let br: Clients;
  let uy: Clients;
  let ncUy: NatsConnection;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    arNode = await fed.startNode('AR');
    brNode = await fed.startNode('BR');
    uyNode = await fed.startNode('UY');
    await Promise.all([arNode, brNode, uyNode].map((n) => n.waitForTransport()));
    ar = await clientsForIssuer(arNode.issuer, arNode.grpcAddress, ['focal_point']);
    br = await clientsForIssuer(brNode.issuer, brNode.grpcAddress, ['focal_point']);
    ncUy = await fed.connectAs('UY');
  }, 60_000);

  afterAll(async () => {
    for (const c of [ar, br, uy]) c?.close();
    await ncUy?.close();
    await fed?.destroy();
  });

  it("applies BR's small request before AR's backlog of large ones is through, by the byte weights", { timeout: 240_000 }, async () => {
    // UY is down while both queue up, so that both backlogs wait in its inbox when it starts.
    await fed.stopNode('UY');
    const jsm = await jetstreamManager(ncUy);
    const large: string[] = [];
    for (let i = 0; i < LARGE; i++) {
      const req = submitRequestOf({ senderReference: `AR-large-${i}`, attachments: [{ fileName: `large-${i}.pdf`, mediaType: 'application/pdf', content: pdf(LARGE_BYTES) }] });
      large.push((await ar.submit(req)).request!.id);
    }
    // Each large request is its parts (the ciphertext, cut in PART_BYTES) and its envelope, in that order on AR's lane.
    const perLarge = Math.ceil(ciphertextLength(LARGE_BYTES) / PART_BYTES) + 1;
    await eventually(async () => ((await waitingOn(jsm, 'AR')) >= LARGE * perLarge ? true : undefined), 120_000, "AR's backlog in UY's inbox");
    const small = (await br.submit(submitRequestOf({ senderReference: 'BR-small' }))).request!.id;
    await eventually(async () => ((await waitingOn(jsm, 'BR')) >= 1 ? true : undefined), 30_000, "BR's request in UY's inbox");

    uyNode = await fed.startNode('UY');
    uy = await clientsForIssuer(uyNode.issuer, uyNode.grpcAddress, ['focal_point']);
    for (const id of [...large, small]) await eventually(async () => (await uy.get(id).catch(() => undefined))?.request, 180_000, `request ${id} at UY`);

    // The order of application at UY is its order of insertion (oldest first).
    const applied = (await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 50, oldestFirst: true })).requests.map((r) => r.id);
    const position = applied.indexOf(small);
    const largeBefore = applied.slice(0, position).filter((id) => large.includes(id)).length;
    console.log(`lane fairness: BR's small request applied at position ${position + 1} of ${applied.length}, after ${largeBefore} of AR's ${LARGE} large ones`);
    // Before BR's request is in a batch, at most one batch of AR's bytes is being applied; then AR
    // finishes at most one turn (a quantum) before BR's. Every large request is LARGE_BYTES on the lane.
    const bound = Math.ceil((INBOX_BATCH_BYTES + LANE_QUANTUM_BYTES) / LARGE_BYTES);
    expect(bound).toBeLessThan(LARGE);
    expect(largeBefore).toBeLessThanOrEqual(bound);
  });
});
