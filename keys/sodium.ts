import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;

/**
 * libsodium, initialised once. The sumo build: the standard libsodium-wrappers build has no
 * crypto_pwhash (argon2id), which the key files need.
 */
export function getSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
