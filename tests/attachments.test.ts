import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus, type NewAttachment } from '../generated/enlace/v1/exchange.js';
import type { ListQuarantineResponse } from '../generated/enlace/v1/node.js';
import { AttachmentBucket, ciphertextLength, ensureAttachmentBuckets, MAX_ATTACHMENT_BYTES } from '../services/attachments/index.js';
import { CONTENT_ROLES } from '../services/grpc/convert.js';
import { PERMISSIONS } from '../services/grpc/index.js';
import type { NationalNode } from '../services/index.js';
import { attachmentBucket, attachmentObjectName, Transport } from '../services/transport/index.js';
import { clientsForIssuer, eventually, Federation, GRPC, NETWORK, quietLogger, rejectionOf, submitRequestOf, type Clients } from './_util.js';

const UNAVAILABLE = 14;

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

function quarantine(c: Clients): Promise<ListQuarantineResponse> {
  return new Promise((res, rej) => c.node.listQuarantine({ pageSize: 50 }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
}

describe('attachments: end-to-end encrypted documents through the JetStream object store', () => {
  let fed: Federation;
  let arNode: NationalNode;
  let ar: Clients;
  let uy: Clients;
  let uyAuditor: Clients;
  let uyOperator: Clients;
  let nc: NatsConnection;
  let bucket: ObjectStore;

  async function startUy(): Promise<void> {
    const node = await fed.startNode('UY');
    await node.waitForTransport();
    for (const c of [uy, uyAuditor, uyOperator]) c?.close();
    uy = await clientsForIssuer(node.issuer, node.grpcAddress, ['focal_point']);
    uyAuditor = await clientsForIssuer(node.issuer, node.grpcAddress, ['auditor']);
    uyOperator = await clientsForIssuer(node.issuer, node.grpcAddress, ['operator']);
  }

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    arNode = await fed.startNode('AR');
    await arNode.waitForTransport();
    await startUy();
    ar = await clientsForIssuer(arNode.issuer, arNode.grpcAddress, ['focal_point']);
    // UY's own account holds the bucket of what AR sends it: the test alters objects as UY.
    nc = await fed.connectAs('UY');
    bucket = await new Objm(nc).open(attachmentBucket(arNode.deps.networkId, 'UY', 'AR'), false);
  });

  afterAll(async () => {
    for (const c of [ar, uy, uyAuditor, uyOperator]) c?.close();
    await nc?.close();
    await fed?.destroy();
  });

  it('sends a PDF and a PNG that arrive byte for byte, listed on the request and read through GetAttachment on both sides', async () => {
    const files = [attachment('solicitud-firmada.pdf', 'application/pdf', pdf(1_300_000)), attachment('foto documento.png', 'image/png', png(150_000))];
    const sent = await ar.submit(submitRequestOf({ attachments: files }));
    const id = sent.request!.id;
    const listed = sent.request!.attachments;
    expect(listed.map((a) => [a.fileName, a.mediaType, a.size])).toEqual(files.map((f) => [f.fileName, f.mediaType, f.content.byteLength]));

    const got = await eventually(async () => (await uy.get(id).catch(() => undefined))?.request, 20_000, 'arrival at UY');
    expect(got.attachments).toEqual(listed);
    for (const [i, a] of listed.entries()) {
      const back = await uy.attachment(id, a.id);
      expect(back.fileName).toBe(files[i]!.fileName);
      expect(back.mediaType).toBe(files[i]!.mediaType);
      expect(Buffer.from(back.content).equals(Buffer.from(files[i]!.content))).toBe(true);
      const mine = await ar.attachment(id, a.id);
      expect(Buffer.from(mine.content).equals(Buffer.from(files[i]!.content))).toBe(true);
    }
    await eventually(async () => ((await ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined), 15_000, 'receipt at AR');
    // Once UY has committed them, the objects leave the bucket.
    for (const a of listed) {
      await eventually(async () => {
        const info = await bucket.info(attachmentObjectName(id, a.id));
        return !info || info.deleted ? true : undefined;
      }, 10_000, `object ${a.id} deleted`);
    }
  });

  it('rejects a request whose object was altered or removed in the bucket: quarantined at the receiver, a signed ERR_ATTACHMENT_INVALID back at the sender', async () => {
    await fed.stopNode('UY');
    const photo = jpeg(200_000);
    const tampered = (await ar.submit(submitRequestOf({ senderReference: 'tamper', attachments: [attachment('pasaporte.jpg', 'image/jpeg', photo)] }))).request!;
    const removed = (await ar.submit(submitRequestOf({ senderReference: 'missing', attachments: [attachment('acta.pdf', 'application/pdf', pdf(10_000))] }))).request!;

    // While UY is down: the bucket holds ciphertext only; flip one bit of one object, delete the other.
    const name = attachmentObjectName(tampered.id, tampered.attachments[0]!.id);
    const original = (await bucket.getBlob(name))!;
    expect(original.byteLength).toBe(ciphertextLength(photo.byteLength));
    expect(Buffer.from(original).includes(Buffer.from(photo.subarray(0, 64)))).toBe(false);
    const altered = original.slice();
    altered[100_000]! ^= 0x01;
    await bucket.putBlob({ name }, altered);
    await bucket.delete(attachmentObjectName(removed.id, removed.attachments[0]!.id));

    await startUy();
    for (const r of [tampered, removed]) {
      const failed = await eventually(async () => {
        const g = await ar.get(r.id);
        return g.request!.status === RequestStatus.REQUEST_STATUS_FAILED ? g : undefined;
      }, 20_000, `rejection of ${r.senderReference}`);
      expect(failed.request!.failureReason).toBe('ERR_ATTACHMENT_INVALID');
      expect(failed.receipt).toMatchObject({ outcome: 'rejected', reasonCode: 'ERR_ATTACHMENT_INVALID', signerCountry: 'UY', signatureVerified: true });
      expect((await rejectionOf(uy.get(r.id))).code).toBe(GRPC.NOT_FOUND);
    }
    const held = (await quarantine(uyOperator)).messages.filter((m) => m.envelopeId === tampered.id || m.envelopeId === removed.id);
    expect(held.map((m) => m.code)).toEqual(['ERR_ATTACHMENT_INVALID', 'ERR_ATTACHMENT_INVALID']);
    expect(held.every((m) => m.rejectionReceiptId !== '')).toBe(true);
  });

  it('delivers a backlog holding more attachment bytes than one inbox commit may hold, in order and byte for byte', { timeout: 180_000 }, async () => {
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
      const got = await eventually(async () => (await uy.get(id).catch(() => undefined))?.request, 60_000, `backlog ${i} at UY`);
      const back = await uy.attachment(id, got.attachments[0]!.id);
      expect(Buffer.from(back.content).equals(Buffer.from(big[i]!))).toBe(true);
    }
    const order = (await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500, oldestFirst: true })).requests.map((r) => r.id).filter((x) => ids.includes(x));
    expect(order).toEqual(ids);
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
    expect(seen.attachments).toEqual([{ id: att.id, fileName: '', mediaType: 'image/png', size: 5_000 }]);
    expect((await rejectionOf(uy.attachment(sent.id, '00000000-0000-4000-8000-000000000000'))).code).toBe(GRPC.NOT_FOUND);
    expect((await rejectionOf(uy.attachment(sent.id, 'not-an-id'))).details).toMatch(/^attachment_id /);
  });

  it('fails a submit with UNAVAILABLE, and stores nothing, when NATS does not take the attachments', { timeout: 60_000 }, async () => {
    const before = (await ar.list({ pageSize: 500 })).requests.length;
    await fed.nats.stop();
    try {
      const started = Date.now();
      const r = await rejectionOf(ar.submit(submitRequestOf({ attachments: [attachment('a.pdf', 'application/pdf', pdf(1_000))] })));
      expect(r.code).toBe(UNAVAILABLE);
      expect(r.enlaceCode).toBe('ERR_UNAVAILABLE');
      expect(r.details).toMatch(/NATS unreachable/);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect((await ar.list({ pageSize: 500 })).requests.length).toBe(before);
    } finally {
      await fed.nats.start();
    }
  });
});

describe('attachments under the per-state accounts (services/transport/accounts.ts, as in deploy/nats.conf)', () => {
  it('lets a state store an object only in the bucket of its pair, which the recipient alone fetches and deletes', async () => {
    const fed = await Federation.create(['AR', 'UY', 'BR']);
    const transport = (country: string) =>
      new Transport({ servers: [fed.nats.url], networkId: NETWORK, country, name: `test-${country}`, logger: quietLogger, user: country, password: fed.password(country), tls: { caFile: fed.pki.caCert } });
    const [arT, uyT, brT] = [transport('AR'), transport('UY'), transport('BR')];
    try {
      await ensureAttachmentBuckets(uyT, NETWORK, ['AR', 'UY', 'BR']);
      await ensureAttachmentBuckets(brT, NETWORK, ['AR', 'UY', 'BR']);
      const bytes = new Uint8Array(randomBytes(2_500_000));
      const name = attachmentObjectName('01900000-0000-7000-8000-000000000000', '00000000-0000-4000-8000-000000000001');
      await new AttachmentBucket(arT, NETWORK, 'UY').put(name, bytes, 10_000);
      const uyBucket = new AttachmentBucket(uyT, NETWORK);
      const got = await uyBucket.fetch(name, bytes.byteLength, 10_000);
      expect(got.ok && Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
      // BR receives nothing of it: its own buckets do not hold it, and UY's are not exported to it.
      expect(await new AttachmentBucket(brT, NETWORK).fetch(name, bytes.byteLength, 10_000)).toMatchObject({ ok: false });
      await uyBucket.delete(name);
      expect(await uyBucket.fetch(name, bytes.byteLength, 10_000)).toMatchObject({ ok: false });
    } finally {
      await arT.close();
      await uyT.close();
      await brT.close();
      await fed.destroy();
    }
  });
});
