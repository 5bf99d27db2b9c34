import sodiumModule from 'libsodium-wrappers';

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;

/** libsodium, initialised once. */
export function getSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
