import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { loadNodeKeys, type TrustStore } from '../keys/index.js';
import { KIND } from '../services/envelope/index.js';
import { loadTrust, type NationalNode } from '../services/index.js';
import { ACCEPTED, Probe, REJECTED } from '../cli/conformance/probe.js';
import { statusUpdateBytes } from './_messages.js';
import { clientsFor, eventually, Federation, NETWORK, PASSPHRASE, quietLogger, submitRequestOf, type Clients } from './_util.js';

interface Sequence {
  name: string;
  section: string;
  kind: string;
  steps: { label: string; note: string; action: string; status: string; seq: number; receipt: string; releases?: string[]; statusAfter: string }[];
}
const { sequences } = JSON.parse(readFileSync(new URL('./vectors/steps-v1.json', import.meta.url), 'utf8')) as { sequences: Sequence[] };

// The reference node is the requesting node under test; the conformance probe plays the requested node BR.
describe('step sequence vectors (tests/vectors/steps-v1.json, protocol §19) against the reference requesting node', () => {
  let fed: Federation;
  let ar: NationalNode;
  let clients: Clients;
  let probe: Probe;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'BR']);
    const trust: TrustStore = await loadTrust(fed.config('BR'), quietLogger);
    const ring = await loadNodeKeys(join(fed.layout.dataDir('BR'), 'keys', 'BR.keys.json'), PASSPHRASE);
    probe = new Probe({ servers: [fed.nats.url], networkId: NETWORK, ring, trust, target: 'AR', user: 'BR', password: fed.password('BR'), tls: { caFile: fed.pki.caCert } });
    await probe.start();
    ar = await fed.startNode('AR');
    await ar.waitForTransport();
    clients = await clientsFor(ar);
  });

  afterAll(async () => {
    clients?.close();
    await probe?.stop();
    await fed?.destroy();
  });

  for (const sq of sequences) {
    it(`${sq.name} (${sq.section})`, async () => {
      const sent = await clients.submit(submitRequestOf({ toCountry: 'BR', kind: sq.kind }));
      const id = sent.request!.id;
      await eventually(() => probe.received.find((r) => r.opened.header.kind === KIND.request && r.opened.header.id === id), 20_000, 'the request at the probe');
      const ids = new Map<string, string>();
      const status = async () => (await clients.get(id)).request!.status;
      for (const st of sq.steps) {
        const body = statusUpdateBytes(id, { action: st.action, status: st.status, note: st.note, seq: st.seq });
        const env = await probe.sealed(KIND.status, body);
        ids.set(st.label, env.id);
        await probe.publish(env.bytes, env.id);
        if (st.receipt === 'held') {
          await new Promise((r) => setTimeout(r, 1_000));
          expect(probe.receiptsFor(env.id), `${st.label}: held, no answer yet`).toHaveLength(0);
        } else {
          const r = await probe.receipt(env.id, 15_000);
          expect(r && (r.outcome === ACCEPTED ? 'accepted' : r.outcome === REJECTED ? r.reasonCode : 'other'), st.label).toBe(st.receipt);
        }
        for (const earlier of st.releases ?? []) expect((await probe.receipt(ids.get(earlier)!, 15_000))?.outcome, `${earlier} released by ${st.label}`).toBe(ACCEPTED);
        const want = RequestStatus[`REQUEST_STATUS_${st.statusAfter.toUpperCase()}` as keyof typeof RequestStatus];
        await eventually(async () => ((await status()) === want ? true : undefined), 10_000, `${st.label}: status ${st.statusAfter}`);
      }
    });
  }
});
