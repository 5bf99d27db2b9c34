import { Worker } from 'node:worker_threads';
import { getSodium } from './sodium.js';

/** Up to this much memory, argon2id runs in the calling thread. */
const IN_THREAD_MEMLIMIT = 8 * 1024 * 1024;

/**
 * argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13) of a passphrase into a 32-byte key,
 * computed in a short-lived worker thread: argon2id's memory (64 MiB by default) is
 * returned to the system when the worker exits, not kept by the node for its whole life.
 *
 * @example const key = await deriveKey('correct horse battery', salt, 2, 64 * 1024 * 1024);
 */
export async function deriveKey(passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Promise<Uint8Array> {
  // A small derivation (test key files, ENLACE_KEY_KDF) leaves nothing worth a worker behind.
  if (memlimit <= IN_THREAD_MEMLIMIT) {
    const sodium = await getSodium();
    return sodium.crypto_pwhash(32, passphrase, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  }
  return new Promise((resolve, reject) => {
    // No inherited flags (loaders, profilers): the worker is plain JavaScript.
    const worker = new Worker(new URL('./kdf-worker.mjs', import.meta.url), { workerData: { passphrase, salt, opslimit, memlimit }, execArgv: [] });
    let key: Uint8Array | undefined;
    worker.once('message', (m: Uint8Array) => (key = new Uint8Array(m)));
    worker.once('error', reject);
    worker.once('exit', (code) => (key ? resolve(key) : reject(new Error(`the key derivation worker stopped (exit code ${code})`))));
  });
}
