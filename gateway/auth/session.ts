import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makePrivateDir } from '../../keys/index.js';

/**
 * The gateway's session key: 32 random bytes made at first start, kept in the node's data
 * folder (mode 0600), never in git. Session records hold the HMAC of their cookie under it,
 * and device cookies are signed with it. Losing it only logs everyone out.
 */
export async function loadOrCreateSessionKey(path: string): Promise<Uint8Array> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    const key = Buffer.from(text, 'base64url');
    if (key.length === 32) return new Uint8Array(key);
  } catch {
    // absent: create below
  }
  makePrivateDir(dirname(path));
  const key = randomBytes(32);
  await writeFile(path, key.toString('base64url') + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
  return new Uint8Array(key);
}

function deviceMac(key: Uint8Array, username: string, nonce: string): string {
  return createHmac('sha256', key).update(`device|${username.toLowerCase()}|${nonce}`).digest('base64url');
}

/** The device cookie of a browser that signed in to `username`: it spares that browser the account's sign-in delays. */
export function deviceToken(key: Uint8Array, username: string): string {
  const nonce = randomBytes(12).toString('base64url');
  return `${nonce}.${deviceMac(key, username, nonce)}`;
}

export function isDeviceOf(key: Uint8Array, username: string, token: string | undefined): boolean {
  const [nonce, mac] = (token ?? '').split('.');
  if (!nonce || !mac) return false;
  const a = Buffer.from(mac);
  const b = Buffer.from(deviceMac(key, username, nonce));
  return a.length === b.length && timingSafeEqual(a, b);
}
