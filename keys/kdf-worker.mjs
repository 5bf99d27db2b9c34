// Runs one argon2id derivation (libsodium crypto_pwhash) and exits. It lives in a worker so
// that the 64 MiB of WebAssembly memory argon2id needs is freed with the worker instead of
// staying in the node process for its whole life. Plain JavaScript: no loader needed.
import { parentPort, workerData } from 'node:worker_threads';
import sodium from 'libsodium-wrappers-sumo';

await sodium.ready;
const { passphrase, salt, opslimit, memlimit } = workerData;
const key = sodium.crypto_pwhash(32, passphrase, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
parentPort.postMessage(key);
