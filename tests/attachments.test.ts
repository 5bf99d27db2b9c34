import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus, type NewAttachment } from '../generated/enlace/v1/exchange.js';
import type { ListQuarantineResponse } from '../generated/enlace/v1/node.js';
import { ciphertextLength, MAX_ATTACHMENT_BYTES, PART_BYTES } from '../services/attachments/index.js';
import { CONTENT_ROLES } from '../services/grpc/convert.js';
import { PERMISSIONS } from '../services/grpc/index.js';
import { NationalNode } from '../services/index.js';
import { heldPartCount } from '../services/store/index.js';
import { ATTACHMENT_PART_HEADER, attachmentPartId, inboxStream, inboxSubject } from '../services/transport/index.js';
import { untilDelivered } from './_requests.js';
import { clientsFor, clientsForIssuer, eventually, Federation, GRPC, NETWORK, PASSPHRASE, quietLogger, rejectionOf, submitRequestOf, type Clients } from './_util.js';
import { NodeProcess } from './_node-process.js';

/** Random bytes behind the signature of a file type: what the node checks is the signature. */
function fileOf(signature: number[] | string, size: number): Uint8Array {
  const b = randomBytes(size);
  Buffer.from(typeof signature === 'string' ? Buffer.from(signature, 'latin1') : signature).copy(b);
  return new Uint8Array(b);
}
const pdf = (size: number) => fileOf('%PDF-1.7\n', size);
const png = (size: number) => fileOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
const jpeg = (size: number) => fileOf([0xff, 0xd8, 0xff, 0xe0], size);

const attachment = (fileName: string, mediaType: string, content: Uint8Array): NewAttachment => ({ fileName, mediaType, content });
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function quarantine(c: Clients): Promise<ListQuarantineResponse> {
  return new Promise((res, rej) => c.node.listQuarantine({ pageSize: 50 }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
}

/** The messages waiting in `to`'s inbox stream, as its own account reads them: each with its part id, or none for an envelope. */
async function waiting(jsm: JetStreamManager, to: string): Promise<{ seq: number; part: string | undefined; data: Uint8Array }[]> {
  const stream = inboxStream(NETWORK, to);
  const info = await jsm.streams.info(stream);
  const out: { seq: number; part: string | undefined; data: Uint8Array }[] = [];
  if (info.state.messages === 0) return out;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (m) out.push({ seq, part: m.header?.get(ATTACHMENT_PART_HEADER) || undefined, data: m.data });
  }
  return out;
}

/** Publishes `bytes` as an attachment part with id `partId` on `from`'s lane of `to`'s inbox, as `from`'s account. */
async function publishPart(nc: NatsConnection, to: string, from: string, partId: string, bytes: Uint8Array, msgID: string): Promise<void> {
  const h = headers();
  h.set(ATTACHMENT_PART_HEADER, partId);
  await jetstream(nc).publish(inboxSubject(NETWORK, to, from), bytes, { headers: h, msgID });
}

describe("attachments: end-to-end encrypted documents in parts on the sender's lane, through the outbox", () => {
  let fed: Federation;
  let arNode: NationalNode;
  let uyNode: NationalNode;
  let ar: Clients;
  let uy: Clients;
  let uyAuditor: Clients;
  let uyOperator: Clients;
  let ncUy: NatsConnection;
  let ncAr: NatsConnection;
  let ncBr: NatsConnection;
  let uyJsm: JetStreamManager;

  async function startUy(): Promise<void> {
    uyNode = await fed.startNode('UY');
    await uyNode.waitForTransport();
    for (const c of [uy, uyAuditor, uyOperator]) c?.close();
    uy = await clientsForIssuer(uyNode.issuer, uyNode.grpcAddress, ['focal_point']);
    uyAuditor = await clientsForIssuer(uyNode.issuer, uyNode.grpcAddress, ['auditor']);
    uyOperator = await clientsForIssuer(uyNode.issuer, uyNode.grpcAddress, ['operator']);
  }

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    arNode = await fed.startNode('AR');
    await arNode.waitForTransport();
    await startUy();
    ar = await clientsForIssuer(arNode.issuer, arNode.grpcAddress, ['focal_point']);
    ncUy = await fed.connectAs('UY');
    ncAr = await fed.connectAs('AR');
    ncBr = await fed.connectAs('BR');
    uyJsm = await jetstreamManager(ncUy);
  });

  afterAll(async () => {
    for (const c of [ar, uy, uyAuditor, uyOperator]) c?.close();
    for (const nc of [ncUy, ncAr, ncBr]) await nc?.close();
    await fed?.destroy();
  });

  it('sends a PDF and a PNG that arrive byte for byte, listed on the request and read through GetAttachment on both sides', async () => {
    const files = [attachment('solicitud-firmada.pdf', 'application/pdf', pdf(1_300_000)), attachment('foto documento.png', 'image/png', png(150_000))];
    const sent = await ar.submit(submitRequestOf({ attachments: files }));
    const id = sent.request!.id;
    const listed = sent.request!.attachments;
    expect(listed.map((a) => [a.fileName, a.mediaType, a.size])).toEqual(files.map((f) => [f.fileName, f.mediaType, f.content.byteLength]));
    // The node hashes each file in clear at submit; UY, which hashes what it decrypted, must list the same (below).
    expect(listed.map((a) => Buffer.from(a.sha256).toString('hex'))).toEqual(files.map((f) => sha(f.content)));

    const got = await eventually(async () => (await uy.get(id).catch(() => undefined))?.request, 20_000, 'arrival at UY');
    expect(got.attachments).toEqual(listed);
    for (const [i, a] of listed.entries()) {
      const back = await uy.attachment(id, a.id);
      expect(back.fileName).toBe(files[i]!.fileName);
      expect(back.mediaType).toBe(files[i]!.mediaType);
      expect(same(back.content, files[i]!.content)).toBe(true);
      expect(same((await ar.attachment(id, a.id)).content, files[i]!.content)).toBe(true);
    }
    await untilDelivered(ar, id, 15_000, 'receipt at AR');
    // The receipt empties AR's outbox of the request and its parts; UY keeps no parts once the request is applied.
    await eventually(() => (arNode.deps.store.outboxCount() === 0 ? true : undefined), 10_000, 'AR outbox empty');
    await eventually(() => (heldPartCount(uyNode.deps.store) === 0 ? true : undefined), 10_000, 'UY holds no parts');
  });

  it('rejects a request whose part was replaced on the lane (a signed ERR_ATTACHMENT_INVALID), and never uses a part another state puts on its own lane', { timeout: 60_000 }, async () => {
    await fed.stopNode('UY');
    const photo = jpeg(200_000);
    const tampered = (await ar.submit(submitRequestOf({ senderReference: 'tamper', attachments: [attachment('pasaporte.jpg', 'image/jpeg', photo)] }))).request!;
    const genuine = (await ar.submit(submitRequestOf({ senderReference: 'genuine', attachments: [attachment('acta.pdf', 'application/pdf', pdf(10_000))] }))).request!;
    const partOf = (r: typeof tampered) => attachmentPartId(r.id, r.attachments[0]!.id, 0);
    const inStream = await eventually(
      async () => {
        const w = await waiting(uyJsm, 'UY');
        return w.filter((m) => m.part).length === 2 && w.filter((m) => !m.part).length >= 2 ? w : undefined;
      },
      20_000,
      "parts and requests in UY's stream",
    );
    // The broker holds ciphertext only. AR's genuine part is replaced by an altered one, published on AR's lane (as AR's account).
    const original = inStream.find((m) => m.part === partOf(tampered))!;
    expect(original.data.byteLength).toBe(ciphertextLength(photo.byteLength));
    expect(Buffer.from(original.data).includes(Buffer.from(photo.subarray(0, 64)))).toBe(false);
    await uyJsm.streams.deleteMessage(inboxStream(NETWORK, 'UY'), original.seq);
    const altered = original.data.slice();
    altered[100_000]! ^= 0x01;
    await publishPart(ncAr, 'UY', 'AR', partOf(tampered), altered, 'altered-part');
    // BR puts a part under the genuine request's id on its own lane, before the genuine one is read: kept under BR, never used.
    await publishPart(ncBr, 'UY', 'BR', partOf(genuine), new Uint8Array(ciphertextLength(10_000)), 'br-part');

    await startUy();
    const failed = await eventually(
      async () => {
        const g = await ar.get(tampered.id);
        return g.request!.status === RequestStatus.REQUEST_STATUS_FAILED ? g : undefined;
      },
      20_000,
      'rejection of the tampered request',
    );
    expect(failed.request!.failureReason).toBe('ERR_ATTACHMENT_INVALID');
    expect(failed.receipt).toMatchObject({ outcome: 'rejected', reasonCode: 'ERR_ATTACHMENT_INVALID', signerCountry: 'UY', signatureVerified: true });
    expect((await rejectionOf(uy.get(tampered.id))).code).toBe(GRPC.NOT_FOUND);
    const held = (await quarantine(uyOperator)).messages.filter((m) => m.envelopeId === tampered.id);
    expect(held.map((m) => m.code)).toEqual(['ERR_ATTACHMENT_INVALID']);
    expect(held[0]!.rejectionReceiptId).not.toBe('');

    const got = await eventually(async () => (await uy.get(genuine.id).catch(() => undefined))?.request, 20_000, 'the genuine request at UY');
    expect(sha((await uy.attachment(genuine.id, got.attachments[0]!.id)).content)).toBe(sha((await ar.attachment(genuine.id, genuine.attachments[0]!.id)).content));
  });

  // 71 MiB through the broker and both databases: minutes on a shared 2-core machine, so it runs
  // in the long suite (npm run test:long). Across requests the order is not promised yet: a
  // request waits for its parts, so a small one sent after a large one may be applied first,
  // until per-sender order lands (docs/protocol.md, issue 14); what is checked is that each
  // arrives once, byte for byte, and how many overtook is printed.
  it.runIf(!!process.env.ENLACE_LONG)('delivers a backlog holding more attachment bytes than one inbox commit may hold, each byte for byte', { timeout: 300_000 }, async () => {
    await fed.stopNode('UY');
    // More than the inbox's 64 MiB budget if they arrive in one batch (then committed in parts: services/exchange/parts.ts).
    const big = [pdf(40 * 1024 * 1024), png(30 * 1024 * 1024), pdf(1024 * 1024)];
    const ids: string[] = [];
    for (const [i, content] of big.entries()) {
      const type = i === 1 ? 'image/png' : 'application/pdf';
      ids.push((await ar.submit(submitRequestOf({ senderReference: `backlog-${i}`, attachments: [attachment(`doc-${i}.${type === 'image/png' ? 'png' : 'pdf'}`, type, content)] }))).request!.id);
    }
    await startUy();
    for (const [i, id] of ids.entries()) {
      const got = await eventually(async () => (await uy.get(id).catch(() => undefined))?.request, 120_000, `backlog ${i} at UY`);
      const back = await uy.attachment(id, got.attachments[0]!.id);
      expect(Buffer.from(back.content).equals(Buffer.from(big[i]!))).toBe(true);
    }
    const order = (await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500, oldestFirst: true })).requests.map((r) => r.id).filter((x) => ids.includes(x));
    expect([...order].sort()).toEqual([...ids].sort());
    console.log(`attachment backlog: ${order.filter((id, i) => id !== ids[i]).length} of ${ids.length} requests applied out of sender order`);
  });

  it('refuses too many bytes, a type outside the allowlist, content that is not its type and bad file names, naming the field', async () => {
    const half = MAX_ATTACHMENT_BYTES / 2;
    const oversize = await rejectionOf(ar.submit(submitRequestOf({ attachments: [attachment('a.pdf', 'application/pdf', pdf(half)), attachment('b.pdf', 'application/pdf', pdf(half + 1))] })));
    expect(oversize.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(oversize.details).toMatch(/^attachments must be at most 50 MiB/);

    const gif = await rejectionOf(ar.submit(submitRequestOf({ attachments: [attachment('a.pdf', 'application/pdf', pdf(100)), attachment('b.gif', 'image/gif', fileOf('GIF89a', 100))] })));
    expect(gif.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(gif.details).toBe('attachments[1].media_type must be application/pdf, image/jpeg or image/png');

    const disguised = await rejectionOf(ar.submit(submitRequestOf({ attachments: [attachment('x.pdf', 'application/pdf', png(100))] })));
    expect(disguised.details).toMatch(/^attachments\[0\]\.content is not a PDF file/);

    for (const bad of ['../etc/passwd', 'C:\\x.pdf', '', ' leading.pdf', 'line\nbreak.pdf', 'informe\u202Efdp.exe']) {
      const r = await rejectionOf(ar.submit(submitRequestOf({ attachments: [attachment(bad, 'application/pdf', pdf(100))] })));
      expect(r.code, bad).toBe(GRPC.INVALID_ARGUMENT);
      expect(r.details, bad).toMatch(/^attachments\[0\]\.file_name /);
    }
    const empty = await rejectionOf(ar.submit(submitRequestOf({ attachments: [attachment('a.pdf', 'application/pdf', new Uint8Array())] })));
    expect(empty.details).toBe('attachments[0].content must not be empty');
  });

  it('gives attachments only to roles that may read contents: an auditor gets PERMISSION_DENIED and sees no file names', async () => {
    expect([...PERMISSIONS.readContent].sort()).toEqual([...CONTENT_ROLES].sort());
    const sent = (await ar.submit(submitRequestOf({ attachments: [attachment('identidad.png', 'image/png', png(5_000))] }))).request!;
    const att = sent.attachments[0]!;
    await eventually(async () => (await uy.get(sent.id).catch(() => undefined))?.request, 20_000, 'arrival at UY');
    const denied = await rejectionOf(uyAuditor.attachment(sent.id, att.id));
    expect(denied.code).toBe(GRPC.PERMISSION_DENIED);
    const seen = (await uyAuditor.get(sent.id)).request!;
    expect(seen.attachments).toEqual([{ id: att.id, fileName: '', mediaType: 'image/png', size: 5_000, sha256: new Uint8Array() }]);
    expect((await rejectionOf(uy.attachment(sent.id, '00000000-0000-4000-8000-000000000000'))).code).toBe(GRPC.NOT_FOUND);
    expect((await rejectionOf(uy.attachment(sent.id, 'not-an-id'))).details).toMatch(/^attachment_id /);
  });

  it('accepts a submit with documents while NATS is down, and delivers it when NATS is back', { timeout: 60_000 }, async () => {
    await fed.nats.stop();
    let id: string;
    const doc = pdf(1_500_000);
    try {
      const r = await ar.submit(submitRequestOf({ senderReference: 'nats-down', attachments: [attachment('a.pdf', 'application/pdf', doc)] }));
      id = r.request!.id;
      expect(r.request!.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);
      // The request and its parts (ceil(1.5 MB / 512 KiB) = 3) wait in the outbox.
      expect(arNode.deps.store.outboxCount()).toBeGreaterThanOrEqual(1 + Math.ceil(ciphertextLength(doc.byteLength) / PART_BYTES));
    } finally {
      await fed.nats.start();
    }
    const back = Date.now();
    const got = await eventually(async () => (await uy.get(id).catch(() => undefined))?.request, 40_000, 'arrival at UY after NATS returned');
    expect(same((await uy.attachment(id, got.attachments[0]!.id)).content, doc)).toBe(true);
    await untilDelivered(ar, id, 20_000, 'receipt at AR');
    console.info(`attachment submitted while NATS was down: delivered with its receipt ${Date.now() - back} ms after NATS came back`);
  });
});

describe('attachments through a sender crash mid-transfer', () => {
  it('delivers the document once, its hash checked, after the sender is killed with parts on the lane and parts in its outbox', { timeout: 180_000 }, async () => {
    const fed = await Federation.create(['AR', 'UY']);
    let arProc: NodeProcess | undefined;
    let uyNode: NationalNode | undefined;
    const clients: Clients[] = [];
    // UY's inbox takes 4 unread messages per lane: AR's transfer stops half-way while UY is away (the per-lane limit).
    const uyConfig = fed.config('UY');
    uyConfig.nats.laneBacklog = 4;
    const startUy = async () => {
      const n = await NationalNode.create(uyConfig, { passphrase: PASSPHRASE, natsPassword: fed.password('UY') }, { logger: quietLogger });
      await n.start();
      await n.waitForTransport();
      return n;
    };
    try {
      uyNode = await startUy();
      await uyNode.destroy();
      uyNode = undefined;
      arProc = await NodeProcess.start(fed, 'AR');
      const ar = await arProc.clients(['focal_point']);
      clients.push(ar);
      const doc = pdf(3 * 1024 * 1024);
      const parts = Math.ceil(ciphertextLength(doc.byteLength) / PART_BYTES);
      const sent = (await ar.submit(submitRequestOf({ senderReference: 'crash', attachments: [attachment('expediente.pdf', 'application/pdf', doc)] }))).request!;
      const nc = await fed.connectAs('UY');
      const jsm = await jetstreamManager(nc);
      const first = await eventually(
        async () => {
          const w = await waiting(jsm, 'UY');
          return w.length === 4 ? w : undefined;
        },
        30_000,
        'the lane full',
      );
      expect(first.every((m) => m.part)).toBe(true);
      await arProc.kill9();
      await arProc.start();
      uyNode = await startUy();
      const uy = await clientsFor(uyNode, ['focal_point']);
      clients.push(uy);
      const got = await eventually(async () => (await uy.get(sent.id).catch(() => undefined))?.request, 60_000, 'arrival at UY');
      const back = await uy.attachment(sent.id, got.attachments[0]!.id);
      expect(createHash('sha256').update(back.content).digest('hex')).toBe(createHash('sha256').update(doc).digest('hex'));
      const ar2 = await arProc.clients(['focal_point']);
      clients.push(ar2);
      await untilDelivered(ar2, sent.id, 30_000, 'receipt at AR');
      const inbound = (await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 50 })).requests.filter((r) => r.senderReference === 'crash');
      expect(inbound).toHaveLength(1);
      expect(heldPartCount(uyNode.deps.store)).toBe(0);
      console.info(`sender killed with 4 of ${parts} parts on the lane: the document arrived once, hash checked`);
      await nc.close();
    } finally {
      for (const c of clients) c.close();
      await arProc?.stop();
      await uyNode?.destroy();
      await fed.destroy();
    }
  });
});
