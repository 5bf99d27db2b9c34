import { testNetwork, recipientOf, signerOf, openContextOf } from '../services/envelope/testkit.js';
import { seal, open } from '../services/envelope/index.js';
import { EnlaceError } from '../keys/index.js';
import { randomBytes } from 'node:crypto';
const now = Date.now();
const net = await testNetwork(['AR', 'UY', 'BR'], now);
const body = new Uint8Array(randomBytes(2048));
const s = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now });
const o = await open(s.bytes, openContextOf(net, 'UY', now));
console.log(o.header.id, o.body.length, s.bytes.length);
try {
  await open(s.bytes, openContextOf(net, 'BR', now));
} catch (e) {
  console.log(e instanceof EnlaceError ? e.code : e);
}
let t = performance.now();
const N = 2000;
for (let i = 0; i < N; i++) await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now });
let dt = performance.now() - t;
console.log('seal/s', ((N / dt) * 1000).toFixed(0));
const ctx = openContextOf(net, 'UY', now);
t = performance.now();
for (let i = 0; i < N; i++) await open(s.bytes, ctx);
dt = performance.now() - t;
console.log('open/s', ((N / dt) * 1000).toFixed(0));
