import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeRejectedError, type RejectionCode } from '../../keys/index.js';
import { open, readReceipt, seal, sealReceipt, type OpenContext } from './index.js';
import { openContextOf, recipientOf, signerOf, testNetwork, type TestNetwork } from './testkit.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const body = new TextEncoder().encode('cooperation request');

async function rejection(bytes: Uint8Array, ctx: OpenContext): Promise<RejectionCode | 'accepted' | 'other error'> {
  try {
    await open(bytes, ctx);
    return 'accepted';
  } catch (e) {
    return e instanceof EnvelopeRejectedError ? e.code : 'other error';
  }
}

let net: TestNetwork;

beforeAll(async () => {
  net = await testNetwork(['AR', 'UY', 'BR', 'CL'], NOW);
});

describe('seal and open', () => {
  it('round-trips header and body, and reports the SHA-256 of the exact bytes', async () => {
    const sealed = await seal({ networkId: net.networkId, from: 'AR/fiscalia', to: [recipientOf(net, 'UY', 'UY/cancilleria')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW });
    const opened = await open(sealed.bytes, openContextOf(net, 'UY', NOW + 1000));
    expect(opened.header).toEqual(sealed.header);
    expect(opened.headerBytes).toEqual(sealed.headerBytes);
    expect(opened.body).toEqual(body);
    expect(opened.senderCountry).toBe('AR');
    expect(Buffer.from(opened.sha256).toString('hex')).toBe(createHash('sha256').update(sealed.bytes).digest('hex'));
  });

  it('rejects every single-byte change of a sealed envelope', async () => {
    const sealed = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW });
    const ctx = openContextOf(net, 'UY', NOW);
    expect(await rejection(sealed.bytes, ctx)).toBe('accepted');
    const accepted: string[] = [];
    const codes = new Set<string>();
    for (let at = 0; at < sealed.bytes.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const changed = sealed.bytes.slice();
        changed[at] = changed[at]! ^ mask;
        const outcome = await rejection(changed, ctx);
        codes.add(outcome);
        if (outcome === 'accepted' || outcome === 'other error') accepted.push(`byte ${at} ^ ${mask}: ${outcome}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(codes).toContain('ERR_DECRYPT');
    expect(codes).toContain('ERR_MALFORMED');
  });

  it('rejects bytes appended after a valid envelope (one encoding per envelope)', async () => {
    const sealed = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW });
    const ctx = openContextOf(net, 'UY', NOW);
    for (const tail of [[0x00], [0x00, 0xff, 0xff], [0x2a, 0x00], [0x7a, 0x01, 0x00]]) {
      expect(await rejection(new Uint8Array([...sealed.bytes, ...tail]), ctx)).toBe('ERR_MALFORMED');
    }
  });

  it('seals one envelope to two recipients, each opens it, a third cannot', async () => {
    const sealed = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY'), recipientOf(net, 'BR')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW });
    for (const country of ['UY', 'BR']) {
      const opened = await open(sealed.bytes, openContextOf(net, country, NOW));
      expect(opened.body).toEqual(body);
      expect(opened.header.to.map((r) => r.address)).toEqual(['UY', 'BR']);
    }
    expect(await rejection(sealed.bytes, openContextOf(net, 'CL', NOW))).toBe('ERR_WRONG_RECIPIENT');
  });

  it('enforces expiry, future skew, network and size from the clear header', async () => {
    const sealed = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW, expiresAt: NOW + 60_000 });
    expect(await rejection(sealed.bytes, openContextOf(net, 'UY', NOW + 59_999))).toBe('accepted');
    expect(await rejection(sealed.bytes, openContextOf(net, 'UY', NOW + 60_000))).toBe('ERR_EXPIRED');
    expect(await rejection(sealed.bytes, openContextOf(net, 'UY', NOW - 5 * 60_000))).toBe('accepted');
    expect(await rejection(sealed.bytes, openContextOf(net, 'UY', NOW - 5 * 60_000 - 1))).toBe('ERR_NOT_YET_VALID');
    expect(await rejection(sealed.bytes, { ...openContextOf(net, 'UY', NOW), networkId: 'enlace-elsewhere' })).toBe('ERR_WRONG_NETWORK');
    expect(await rejection(sealed.bytes, { ...openContextOf(net, 'UY', NOW), maxBytes: sealed.bytes.length })).toBe('accepted');
    expect(await rejection(sealed.bytes, { ...openContextOf(net, 'UY', NOW), maxBytes: sealed.bytes.length - 1 })).toBe('ERR_TOO_LARGE');
  });
});

describe('receipts', () => {
  it('binds the SHA-256 of the exact envelope bytes and comes back as an envelope', async () => {
    const request = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW });
    const opened = await open(request.bytes, openContextOf(net, 'UY', NOW + 10));
    const receipt = await sealReceipt(
      { envelopeId: opened.header.id, envelopeSha256: opened.sha256, receivedAt: NOW + 10, outcome: 'accepted' },
      { networkId: net.networkId, from: 'UY', to: [recipientOf(net, 'AR')], signer: signerOf(net, 'UY'), now: NOW + 10 },
    );
    const back = await open(receipt.bytes, openContextOf(net, 'AR', NOW + 20));
    expect(back.header.kind).toBe('receipt');
    expect(back.senderCountry).toBe('UY');
    const facts = readReceipt(back.body)!;
    expect(facts).toEqual({ envelopeId: request.header.id, envelopeSha256: opened.sha256, receivedAt: NOW + 10, outcome: 'accepted' });
    expect(Buffer.from(facts.envelopeSha256).equals(createHash('sha256').update(request.bytes).digest())).toBe(true);
    // Any other byte string (here a re-seal of the same content) has another hash.
    const again = await seal({ networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now: NOW, id: request.header.id });
    expect(Buffer.from(facts.envelopeSha256).equals(createHash('sha256').update(again.bytes).digest())).toBe(false);
  });

  it('carries a rejection and its code', async () => {
    const sha = new Uint8Array(createHash('sha256').update('some envelope').digest());
    const receipt = await sealReceipt(
      { envelopeId: '0193f1c2-7a4b-7c1d-9e2f-3a4b5c6d7e8f', envelopeSha256: sha, receivedAt: NOW, outcome: 'rejected', reasonCode: 'ERR_EXPIRED' },
      { networkId: net.networkId, from: 'UY', to: [recipientOf(net, 'AR')], signer: signerOf(net, 'UY'), now: NOW },
    );
    const facts = readReceipt((await open(receipt.bytes, openContextOf(net, 'AR', NOW))).body);
    expect(facts).toEqual({ envelopeId: '0193f1c2-7a4b-7c1d-9e2f-3a4b5c6d7e8f', envelopeSha256: sha, receivedAt: NOW, outcome: 'rejected', reasonCode: 'ERR_EXPIRED' });
  });

  it('reads nothing from a body that is not a receipt', () => {
    expect(readReceipt(new TextEncoder().encode('not a receipt'))).toBeUndefined();
    expect(readReceipt(new Uint8Array())).toBeUndefined();
  });
});
