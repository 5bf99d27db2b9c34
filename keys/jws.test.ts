import { describe, expect, it } from 'vitest';
import { decodeB64uCanonical, splitCompactJws } from './jws.js';
import { parseStrictJson, StrictJsonError } from './strict-json.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('parseStrictJson', () => {
  it('reads what JSON.parse reads', () => {
    for (const text of ['{}', '[]', ' {"a":[1,-2.5e3,true,false,null,"x\\u0041"],"b":{"c":{}}} ', '"s"', '0', '[[[]]]']) {
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    }
  });

  it('rejects duplicate member names, after unescaping and at any depth', () => {
    for (const text of ['{"alg":"none","kid":"k","alg":"EdDSA"}', '{"kid":"a","\\u006bid":"b"}', '{"x":[{"a":1,"a":1}]}', '{"x":{"y":{"z":0,"z":0}}}']) {
      expect(() => parseStrictJson(text), text).toThrow(StrictJsonError);
    }
    expect(parseStrictJson('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}')).toBeTruthy();
  });

  it('rejects what RFC 8259 does not allow', () => {
    for (const text of ['', '{', '{"a":1,}', '[1,]', '{"a" 1}', "{'a':1}", '01', '1.', '.5', '+1', 'tru', 'nul', '"\t"', '"\\x"', '\ufeff{}', '{} x', '{"a":1}{}', '[1 2]', '/* */{}', 'NaN']) {
      expect(() => parseStrictJson(text), JSON.stringify(text)).toThrow(StrictJsonError);
    }
  });

  it('does not exhaust the stack on deep nesting', () => {
    const n = 20_000;
    expect(Array.isArray(parseStrictJson('['.repeat(n) + ']'.repeat(n)))).toBe(true);
    expect(() => parseStrictJson('['.repeat(n))).toThrow(StrictJsonError);
  });
});

describe('decodeB64uCanonical', () => {
  it('accepts canonical base64url only', () => {
    expect(decodeB64uCanonical('')).toEqual(new Uint8Array());
    expect(decodeB64uCanonical('AQ')).toEqual(new Uint8Array([1]));
    expect(decodeB64uCanonical('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
    for (const bad of ['AR', 'AQ==', 'AQ=', 'A', 'AAAAA', 'A+8', 'A/8', 'A Q', 'AQ\n']) expect(decodeB64uCanonical(bad), bad).toBeUndefined();
  });
});

describe('splitCompactJws', () => {
  const header = b64('{"alg":"EdDSA","kid":"k"}');
  it('splits a JWS of the profile', () => {
    expect(splitCompactJws(`${header}.AQ.AAAA`)).toEqual({ protectedHeader: { alg: 'EdDSA', kid: 'k' }, payload: new Uint8Array([1]), signature: new Uint8Array(3) });
  });
  it('refuses every other text', () => {
    for (const bad of [
      `${header}.AQ`,
      `${header}.AQ.AAAA.x`,
      `${header}.AR.AAAA`,
      `${header}.AQ.AAAA==`,
      `${header}.A.AAAA`,
      `${b64('{"alg":"none","kid":"k","alg":"EdDSA"}')}.AQ.AAAA`,
      `${b64('["alg"]')}.AQ.AAAA`,
      `${Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url')}.AQ.AAAA`,
      `${b64('\ufeff{"alg":"EdDSA"}')}.AQ.AAAA`,
    ]) {
      expect(splitCompactJws(bad), bad).toBeUndefined();
    }
  });
});
