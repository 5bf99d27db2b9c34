import { Worker } from 'node:worker_threads';

/**
 * argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13) of a passphrase into a 32-byte key,
 * computed in a short-lived worker thread: argon2id's memory (64 MiB by default) is
 * returned to the system when the worker exits, not kept by the node for its whole life.
 *
 * @example const key = await deriveKey('correct horse battery', salt, 2, 64 * 1024 * 1024);
 */
export function deriveKey(passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // No inherited flags (loaders, profilers): the worker is plain JavaScript.
    const worker = new Worker(new URL('./kdf-worker.mjs', import.meta.url), { workerData: { passphrase, salt, opslimit, memlimit }, execArgv: [] });
    let key: Uint8Array | undefined;
    worker.once('message', (m: Uint8Array) => (key = new Uint8Array(m)));
    worker.once('error', reject);
    worker.once('exit', (code) => (key ? resolve(key) : reject(new Error(`the key derivation worker stopped (exit code ${code})`))));
  });
}
