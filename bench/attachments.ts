/**
 * One 50 MiB attachment from AR to UY, nodes as child processes on one nats-server:
 * how long the submit takes (validate, encrypt, store the object, commit), how long until UY
 * has accepted it (fetch, hash, decrypt, store under the case key), until AR holds the receipt,
 * and how long GetAttachment takes at UY. A measurement, not a test: `npx tsx bench/attachments.ts`.
 */
import { Metadata } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  Direction,
  ExchangeServiceClient,
  ListRequestsRequest,
  RequestStatus,
  SubmitRequestRequest,
  type GetAttachmentResponse,
  type GetRequestRequest,
  type GetRequestResponse,
  type ListRequestsResponse,
  type SubmitRequestResponse,
} from '../generated/enlace/v1/exchange.js';
import { MAX_ATTACHMENT_BYTES } from '../services/attachments/index.js';
import { MAX_MESSAGE_BYTES } from '../services/grpc/index.js';
import { loadOrCreateIssuer, mintToken } from '../services/index.js';
import { BENCH_PASSPHRASE, BenchNetwork, type NodeChild } from './lib/network.js';

type Call<Req, Res> = (req: Req, md: Metadata, cb: (err: Error | null, res: Res) => void) => unknown;

async function client(net: BenchNetwork, node: NodeChild) {
  const issuer = await loadOrCreateIssuer(join(net.layout.dataDir(node.country), 'keys', 'api-issuer.key.json'), node.country, BENCH_PASSPHRASE);
  const md = new Metadata();
  md.set('authorization', `Bearer ${await mintToken(issuer, { subject: 'bench', roles: ['focal_point'] }, 3_600, Date.now())}`);
  const c = new ExchangeServiceClient(node.address, net.grpcCredentials(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const call = <Req, Res>(fn: Call<Req, Res>, req: Req) => new Promise<Res>((res, rej) => fn.call(c, req, md, (e, r) => (e ? rej(e) : res(r))));
  return {
    close: () => c.close(),
    submit: (r: SubmitRequestRequest) => call<SubmitRequestRequest, SubmitRequestResponse>(c.submitRequest, r),
    get: (id: string) => call<GetRequestRequest, GetRequestResponse>(c.getRequest, { id, recheckSignatures: false }),
    inbound: () => call<ListRequestsRequest, ListRequestsResponse>(c.listRequests, ListRequestsRequest.fromPartial({ direction: Direction.DIRECTION_INBOUND, pageSize: 10 })),
    attachment: (requestId: string, attachmentId: string) => call<{ requestId: string; attachmentId: string }, GetAttachmentResponse>(c.getAttachment, { requestId, attachmentId }),
  };
}

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const net = await BenchNetwork.create(['AR', 'UY']);
try {
  const [arNode, uyNode] = [await net.startNode('AR'), await net.startNode('UY')];
  const [ar, uy] = [await client(net, arNode), await client(net, uyNode)];
  const content = new Uint8Array(randomBytes(MAX_ATTACHMENT_BYTES));
  content.set(Buffer.from('%PDF-1.7\n'));
  // Warm-up: a small request opens the connections on both sides.
  const warm = await ar.submit(SubmitRequestRequest.fromPartial({ toCountry: 'UY', kind: 'mla', subject: 'warm-up', payload: Buffer.from('{}'), payloadType: 'application/json' }));
  await until(async () => ((await ar.get(warm.request!.id)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined));

  const t0 = performance.now();
  const sent = await ar.submit(
    SubmitRequestRequest.fromPartial({
      toCountry: 'UY',
      kind: 'mla',
      subject: '50 MiB attachment',
      payload: Buffer.from('{}'),
      payloadType: 'application/json',
      attachments: [{ fileName: 'expediente.pdf', mediaType: 'application/pdf', content }],
    }),
  );
  const tSubmitted = performance.now();
  const id = sent.request!.id;
  await until(async () => ((await uy.inbound()).requests.some((r) => r.id === id) ? true : undefined));
  const tReceived = performance.now();
  await until(async () => ((await ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined));
  const tDelivered = performance.now();
  const rss = { AR: arNode.rss(), UY: uyNode.rss() };
  const g0 = performance.now();
  const back = await uy.attachment(id, sent.request!.attachments[0]!.id);
  const tGot = performance.now();
  const equal = Buffer.from(back.content).equals(Buffer.from(content));
  const ms = (a: number, b: number) => `${Math.round(b - a)} ms`;
  console.log(`attachment: ${MAX_ATTACHMENT_BYTES} bytes (50 MiB), one PDF`);
  console.log(`submit at AR (validate, encrypt, store object, commit): ${ms(t0, tSubmitted)}`);
  console.log(`accepted at UY after the submit returned (fetch, check, decrypt, store):  ${ms(tSubmitted, tReceived)}`);
  console.log(`send to accepted, end to end: ${ms(t0, tReceived)}`);
  console.log(`receipt back at AR: ${ms(t0, tDelivered)} after the submit started`);
  console.log(`GetAttachment at UY: ${ms(g0, tGot)}, byte-equal: ${equal}`);
  console.log(`node RSS after the transfer: AR ${rss.AR?.toFixed(0)} MiB, UY ${rss.UY?.toFixed(0)} MiB`);
  ar.close();
  uy.close();
} finally {
  await net.destroy();
}
