/**
 * A state joins a network that is already running (docs/protocol.md §14.2): the broker's
 * operator writes the configuration with the new account (`enlace network join`) and the
 * running nats-server reloads it; the new node starts, publishes its descriptor in the registry,
 * and the running nodes, none restarted, learn it and exchange with it both ways.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { runNetworkCommand } from '../cli/network.js';
import { NationalNode } from '../services/index.js';
import { inboxSubject } from '../services/transport/index.js';
import { untilDelivered } from './_requests.js';
import { clientsFor, eventually, Federation, NETWORK, PASSPHRASE, quietLogger, submitRequestOf, type Clients } from './_util.js';

const RUNNING = ['AR', 'UY', 'BR'];

describe('joining a running network', () => {
  let fed: Federation | undefined;
  const clients: Clients[] = [];

  beforeAll(async () => {
    fed = await Federation.create([...RUNNING, 'CL'], { broker: RUNNING });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await fed?.destroy();
  });

  /** A node whose trust folder knows the running states only, as before CL joined. */
  async function startRunning(country: string): Promise<NationalNode> {
    const folder = join(fed!.dir, `${country.toLowerCase()}-trust`);
    await mkdir(join(folder, 'descriptors'), { recursive: true });
    await copyFile(join(fed!.layout.trustDir, 'anchor.pub.json'), join(folder, 'anchor.pub.json'));
    for (const c of RUNNING) await copyFile(join(fed!.layout.trustDir, 'descriptors', `${c}.jws`), join(folder, 'descriptors', `${c}.jws`));
    const cfg = fed!.config(country);
    const node = await NationalNode.create({ ...cfg, node: { ...cfg.node, trustDir: folder } }, { passphrase: PASSPHRASE, natsPassword: fed!.password(country) }, { logger: quietLogger });
    fed!.nodes.set(country, node);
    await node.start();
    await Promise.all([node.registry.ready(), node.waitForTransport()]);
    return node;
  }

  async function delivered(from: Clients, to: string): Promise<string> {
    const id = (await from.submit(submitRequestOf({ toCountry: to, senderReference: `join-${to}` }))).request!.id;
    await untilDelivered(from, id, 30_000, `delivered to ${to}`);
    return id;
  }

  it('enlace network join writes the configuration with the new account and its lanes', async () => {
    const out = join(fed!.dir, 'nats.conf');
    const said: string[] = [];
    const code = await runNetworkCommand(['join', '--country', 'CL', '--countries', RUNNING.join(','), '--network', NETWORK, '--out', out], {
      out: (l) => said.push(l),
      err: (l) => said.push(l),
      env: {},
      cwd: fed!.dir,
    });
    expect(code).toBe(0);
    const conf = await readFile(out, 'utf8');
    expect(conf).toMatch(/^ {2}CL \{$/m);
    expect(conf).toContain('password: $NATS_PASSWORD_CL');
    for (const c of RUNNING) {
      expect(conf).toContain(JSON.stringify(inboxSubject(NETWORK, 'CL', c)));
      expect(conf).toContain(JSON.stringify(inboxSubject(NETWORK, c, 'CL')));
    }
    expect(said.join('\n')).toMatch(/reload/);
  });

  it('a fourth state joins a running three-state federation, without restarting anything, and exchanges requests both ways', { timeout: 180_000 }, async () => {
    const running = new Map<string, NationalNode>();
    for (const c of RUNNING) running.set(c, await startRunning(c));
    const ar = await clientsFor(running.get('AR')!, ['focal_point']);
    clients.push(ar);
    await delivered(ar, 'UY');
    // Before the broker knows CL, CL cannot even log in.
    await expect(fed!.connectAs('CL', { maxReconnectAttempts: 0 })).rejects.toThrow();

    await fed!.admit('CL');
    const cl = await fed!.startNode('CL');
    await Promise.all([cl.registry.ready(), cl.waitForTransport()]);
    await eventually(() => ([...running.values()].every((n) => n.deps.trust.countries().includes('CL')) ? true : undefined), 30_000, "CL's descriptor at the running nodes");
    const clc = await clientsFor(cl, ['focal_point']);
    clients.push(clc);

    const toCl = await delivered(ar, 'CL');
    const fromCl = await delivered(clc, 'AR');
    await delivered(clc, 'UY');
    expect((await clc.get(toCl)).request!.status).toBe(RequestStatus.REQUEST_STATUS_RECEIVED);
    expect((await ar.get(fromCl)).request!.status).toBe(RequestStatus.REQUEST_STATUS_RECEIVED);
    // The same node objects as before CL joined: nothing restarted, and traffic between the others goes on.
    for (const [c, n] of running) expect(fed!.nodes.get(c)).toBe(n);
    await delivered(ar, 'BR');
  });
});
