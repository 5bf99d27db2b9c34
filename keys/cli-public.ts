import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CommandFailedError } from './cli-args.js';
import { thumbprint, type OkpCurve, type OkpPublicJwk } from './jwk.js';
import { assertCountry } from './node-keys.js';

/** The public half of a node's keyring: what the anchor certifies, without any secret. */
export interface PublicKeyring {
  country: string;
  sets: Array<{ createdAt: number; signing: PublicKey; encryption: PublicKey }>;
}

interface PublicKey {
  kid: string;
  jwk: OkpPublicJwk;
}

const jwkSchema = z.object({ kty: z.literal('OKP'), crv: z.enum(['Ed25519', 'X25519']), x: z.string().length(43), kid: z.string().optional() });

const publicSchema = z.object({
  country: z.string(),
  keys: z.array(z.object({ createdAt: z.number().int().nonnegative(), signing: jwkSchema, encryption: jwkSchema })).min(1),
});

/**
 * Reads a node's public keys from its key file (the clear `public` section; no passphrase
 * needed, so a node never hands its passphrase to the anchor holder) or from the JSON that
 * `enlace keys show --keys` prints. Key ids are recomputed, never trusted from the file.
 */
export async function readPublicKeyring(path: string): Promise<PublicKeyring> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new CommandFailedError(`cannot read ${path} as JSON; expected a node key file or the output of "enlace keys show --keys"`);
  }
  const record = data as { v?: unknown; kind?: unknown; public?: unknown };
  if (record.kind !== undefined && record.kind !== 'node') {
    throw new CommandFailedError(`${path} holds ${typeof record.kind === 'string' ? record.kind : JSON.stringify(record.kind)} keys, not a node's keys`);
  }
  const parsed = publicSchema.safeParse(record.v === 1 ? record.public : data);
  if (!parsed.success) throw new CommandFailedError(`${path} does not list a node's public keys`);
  const country = assertCountry(parsed.data.country);
  const sets = parsed.data.keys.map((k) => ({
    createdAt: k.createdAt,
    signing: checkedKey(k.signing, 'Ed25519', path),
    encryption: checkedKey(k.encryption, 'X25519', path),
  }));
  return { country, sets };
}

function checkedKey(jwk: z.infer<typeof jwkSchema>, crv: OkpCurve, path: string): PublicKey {
  if (jwk.crv !== crv) throw new CommandFailedError(`${path} lists a ${jwk.crv} key where a ${crv} key belongs`);
  const kid = thumbprint(jwk);
  if (jwk.kid !== undefined && jwk.kid !== kid) throw new CommandFailedError(`${path} lists key ${jwk.kid} whose thumbprint is ${kid}`);
  return { kid, jwk: { kty: 'OKP', crv, x: jwk.x, kid } };
}

export function allKids(ring: PublicKeyring): Set<string> {
  return new Set(ring.sets.flatMap((s) => [s.signing.kid, s.encryption.kid]));
}
