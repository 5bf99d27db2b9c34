import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;
let loaded: Sodium | undefined;

/**
 * libsodium, initialised once. The sumo build: the standard libsodium-wrappers build has no
 * crypto_pwhash (argon2id), which the key files need.
 */
export function getSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => (loaded = sodiumModule));
  return ready;
}

/**
 * libsodium for synchronous code (sealing inside a store transaction), once `getSodium` has
 * resolved; every node has awaited it while loading its keys.
 *
 * @example const sodium = sodiumNow();
 */
export function sodiumNow(): Sodium {
  if (!loaded) throw new Error('libsodium is not initialised: await getSodium() first');
  return loaded;
}
