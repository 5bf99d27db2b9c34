/**
 * Disk full, for real: each node's data folder on its own small ext4 loopback filesystem
 * (needs root and loop devices; skipped with a message otherwise). The disk is filled, the
 * node must refuse submits with RESOURCE_EXHAUSTED, say NOT_SERVING, acknowledge nothing it
 * could not commit, and, once space is freed, resume by itself: no restart, no duplicate, the
 * sender's order kept, every receipt sent.
 */
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { cannotMount, SmallDisk } from './_small-disk.js';
import { everyRequest } from './_requests.js';
import { clientsFor, eventually, Federation, grpcCredentials, rejectionOf, submitRequestOf, tempDir, type Clients } from './_util.js';

const require = createRequire(import.meta.url);
const HEALTH_PROTO = join(dirname(require.resolve('grpc-health-check/package.json')), 'proto/health/v1/health.proto');
const RESOURCE_EXHAUSTED = 8;

const skipReason = cannotMount();
if (skipReason) console.warn(`disk-full tests skipped: cannot mount a loopback filesystem (${skipReason})`);

type Health = grpc.Client & { Check(req: object, cb: (e: Error | null, r: { status: string }) => void): void };

async function healthOf(client: Health): Promise<string> {
  return new Promise((resolve, reject) => client.Check({ service: '' }, (e, r) => (e ? reject(e) : resolve(r.status))));
}

/** Every accepted id arrived once, and in the order it was submitted. */
function expectOnceInOrder(received: { id: string; ref: string }[], accepted: string[], prefix: string): void {
  const mine = received.filter((r) => r.ref.startsWith(`${prefix}-`));
  expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
  expect(mine.map((r) => r.id)).toEqual(accepted);
}

describe.skipIf(skipReason !== undefined)('disk full at a node (real loopback filesystems)', () => {
  let fed: Federation;
  let work: { path: string; cleanup: () => Promise<void> };
  const disks: SmallDisk[] = [];
  let ar: Clients;
  let uy: Clients;
  let arHealth: Health;
  let uyHealth: Health;

  beforeAll(async () => {
    work = await tempDir('enlace-disk-');
    fed = await Federation.create(['AR', 'UY']);
    for (const c of ['AR', 'UY']) {
      const disk = new SmallDisk(work.path, fed.layout.dataDir(c), 12);
      disks.push(disk);
      disk.mount();
    }
    await fed.startNode('AR');
    await fed.startNode('UY');
    await Promise.all([fed.nodes.get('AR')!.waitForTransport(), fed.nodes.get('UY')!.waitForTransport()]);
    ar = await clientsFor(fed.nodes.get('AR')!);
    uy = await clientsFor(fed.nodes.get('UY')!);
    const HealthClient = grpc.loadPackageDefinition(loadSync([HEALTH_PROTO], { keepCase: true, enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, creds: grpc.ChannelCredentials) => Health } } };
    };
    const creds = await grpcCredentials();
    arHealth = new HealthClient.grpc.health.v1.Health(fed.nodes.get('AR')!.grpcAddress, creds);
    uyHealth = new HealthClient.grpc.health.v1.Health(fed.nodes.get('UY')!.grpcAddress, creds);
  }, 60_000);

  afterAll(async () => {
    ar?.close();
    uy?.close();
    arHealth?.close();
    uyHealth?.close();
    for (const c of ['AR', 'UY']) await fed?.stopNode(c);
    for (const d of disks) {
      d.free();
      d.unmount();
    }
    await fed?.destroy();
    await work?.cleanup();
  }, 60_000);

  it('the receiver stops acknowledging while full and takes everything, once and in order, when space returns', async () => {
    const before = (await everyRequest(uy, Direction.DIRECTION_INBOUND)).length;
    disks[1]!.fill();
    const accepted: string[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await ar.submit(submitRequestOf({ senderReference: `rx-${String(i).padStart(3, '0')}`, idempotencyKey: `disk-rx-key-${i}` }));
      accepted.push(res.request!.id);
    }
    await eventually(async () => ((await healthOf(uyHealth)) === 'NOT_SERVING' ? true : undefined), 20_000, 'UY NOT_SERVING');
    const stuck = (await everyRequest(uy, Direction.DIRECTION_INBOUND)).length - before;
    expect(stuck).toBeLessThan(60);
    // Nothing is lost while full: the receipts not sent keep the requests SUBMITTED at AR.
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await everyRequest(uy, Direction.DIRECTION_INBOUND)).length - before).toBe(stuck);

    const freedAt = Date.now();
    disks[1]!.free();
    await eventually(async () => ((await healthOf(uyHealth)) === 'SERVING' ? true : undefined), 20_000, 'UY SERVING again');
    const delivered = await eventually(
      async () => {
        const d = await everyRequest(ar, Direction.DIRECTION_OUTBOUND, RequestStatus.REQUEST_STATUS_DELIVERED);
        return accepted.every((id) => d.some((r) => r.id === id)) ? d : undefined;
      },
      30_000,
      'every receipt at AR',
    );
    const resumeMs = Date.now() - freedAt;
    console.info(`receiver: ${stuck} of 60 stored before the disk filled; all 60 delivered with receipts ${resumeMs} ms after space returned`);
    expect(delivered.length).toBeGreaterThanOrEqual(60);
    expectOnceInOrder(await everyRequest(uy, Direction.DIRECTION_INBOUND), accepted, 'rx');
  }, 90_000);

  it('the sender answers RESOURCE_EXHAUSTED, says NOT_SERVING, and sends everything it accepted once space returns', async () => {
    expect(await healthOf(arHealth)).toBe('SERVING');
    disks[0]!.fill();
    const accepted: string[] = [];
    let refused: Awaited<ReturnType<typeof rejectionOf>> | undefined;
    for (let i = 0; i < 400 && !refused; i++) {
      const call = ar.submit(submitRequestOf({ senderReference: `tx-${String(i).padStart(3, '0')}`, idempotencyKey: `disk-tx-key-${i}` }));
      try {
        accepted.push((await call).request!.id);
      } catch {
        refused = await rejectionOf(call);
      }
    }
    expect(refused, 'a submit refused once the disk is full').toBeDefined();
    expect(refused!.code).toBe(RESOURCE_EXHAUSTED);
    expect(refused!.enlaceCode).toBe('ERR_STORAGE_FULL');
    expect(await healthOf(arHealth)).toBe('NOT_SERVING');
    // Still full: refused again, nothing half-written.
    const again = await rejectionOf(ar.submit(submitRequestOf({ senderReference: 'tx-refused', idempotencyKey: 'disk-tx-refused' })));
    expect(again.enlaceCode).toBe('ERR_STORAGE_FULL');

    const freedAt = Date.now();
    disks[0]!.free();
    await eventually(async () => ((await healthOf(arHealth)) === 'SERVING' ? true : undefined), 20_000, 'AR SERVING again');
    const servingMs = Date.now() - freedAt;
    accepted.push((await ar.submit(submitRequestOf({ senderReference: 'tx-999', idempotencyKey: 'disk-tx-key-999' }))).request!.id);
    await eventually(
      async () => {
        const d = await everyRequest(ar, Direction.DIRECTION_OUTBOUND, RequestStatus.REQUEST_STATUS_DELIVERED);
        return accepted.every((id) => d.some((r) => r.id === id)) ? true : undefined;
      },
      30_000,
      'every accepted request delivered',
    );
    console.info(`sender: ${accepted.length - 1} accepted before ERR_STORAGE_FULL; SERVING ${servingMs} ms after space returned; all delivered ${Date.now() - freedAt} ms after`);
    expectOnceInOrder(await everyRequest(uy, Direction.DIRECTION_INBOUND), accepted, 'tx');
    const refusedIds = (await everyRequest(uy, Direction.DIRECTION_INBOUND)).filter((r) => r.ref === 'tx-refused');
    expect(refusedIds).toHaveLength(0);
  }, 120_000);
});
