import type { Registry } from './registry.js';

interface Addressed {
  toCountry: string;
  toAuthority: string;
  kind: string;
  idempotencyKey: string;
}

/**
 * Completes a submit that names no authority with the registry's competent contact point
 * for its request type ("UY, victim identification" → UY/dnic); unchanged when it names
 * one or when the registry resolves nothing. A retry with the same idempotency key keeps
 * the address of the first submit (`earlierAddress`), so a directory change in between
 * cannot make the retry differ from it.
 *
 * @example input = withResolvedAuthority(ctx.registry, input, (k) => store.byIdempotencyKey(k)?.toAddr);
 */
export function withResolvedAuthority<T extends Addressed>(registry: Registry, input: T, earlierAddress: (idempotencyKey: string) => string | undefined): T {
  if (input.toAuthority) return input;
  const earlier = input.idempotencyKey ? earlierAddress(input.idempotencyKey) : undefined;
  if (earlier !== undefined) return { ...input, toAuthority: earlier.split('/')[1] ?? '' };
  const best = registry.resolve(input.kind, input.toCountry)[0];
  return best ? { ...input, toAuthority: best.id } : input;
}
