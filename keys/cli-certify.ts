import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadAnchor, pinAnchor, type PinnedAnchor } from './anchor.js';
import { ANCHOR_KEY_FILE } from './cli-anchor.js';
import { clock, CommandFailedError, exists, integerOption, type KeysSubcommand, oneOf, parseOptions, pathFrom, readPassphrase, required, UsageError, withPassphrase } from './cli-args.js';
import { allKids, readPublicKeyring, type PublicKeyring } from './cli-public.js';
import { describeNode, signDescriptor, verifyDescriptor, type NodeDescriptor, type NodeStatus } from './descriptor.js';
import type { NodeKeyring } from './node-keys.js';

const STATUSES = ['active', 'suspended', 'revoked'] as const satisfies readonly NodeStatus[];

export const certify: KeysSubcommand = {
  name: 'certify',
  summary: 'sign a node descriptor with the anchor (keys, validity, status)',
  help: `usage: enlace keys certify --anchor-dir <dir> --keys <file> --out <file.jws> [options]

Signs a node descriptor with the network trust anchor: the node's country, every key
generation in its key file, each valid for --valid-days from its creation, and the node's
status. Only the public keys are read from the node's file (no node passphrase needed);
the passphrase opens the anchor. Compare the printed key ids with the node operator's
"enlace keys show --keys" before distributing the descriptor.

options:
  --anchor-dir <dir>        folder holding ${ANCHOR_KEY_FILE}
  --keys <file>             the node key file, or the JSON "enlace keys show --keys" printed
  --out <file.jws>          where to write the descriptor (a JWS); if it already holds one,
                            the new serial must exceed its serial
  --valid-days <n>          validity of each key generation, in days (default 365)
  --serial <n>              descriptor serial; default: now in milliseconds, or one more than
                            the serial already in --out, whichever is larger
  --status <s>              active | suspended | revoked (default active)
  --revoke-kid <kid>        mark one key as revoked; repeat for several keys
  --passphrase-file <path>  read the anchor passphrase from this file instead of ENLACE_KEY_PASSPHRASE
  -h, --help                show this help`,
  async run(argv, io) {
    const values = parseOptions(
      argv,
      withPassphrase({
        'anchor-dir': { type: 'string' },
        keys: { type: 'string' },
        out: { type: 'string' },
        'valid-days': { type: 'string' },
        serial: { type: 'string' },
        status: { type: 'string' },
        'revoke-kid': { type: 'string', multiple: true },
      }),
    );
    const anchorPath = join(pathFrom(io, required(values['anchor-dir'], '--anchor-dir')), ANCHOR_KEY_FILE);
    const keysPath = pathFrom(io, required(values.keys, '--keys'));
    const outPath = pathFrom(io, required(values.out, '--out'));
    const validDays = integerOption(values['valid-days'], '--valid-days', { min: 1, max: 3650 }) ?? 365;
    const explicitSerial = integerOption(values.serial, '--serial', { min: 0, max: Number.MAX_SAFE_INTEGER });
    const status = oneOf(values.status, '--status', STATUSES) ?? 'active';
    const ring = await readPublicKeyring(keysPath);
    const revokedKids = values['revoke-kid'] ?? [];
    const known = allKids(ring);
    for (const kid of revokedKids) {
      if (!known.has(kid)) throw new UsageError(`--revoke-kid ${kid} is not a key of ${ring.country} in ${keysPath}`);
    }
    const passphrase = await readPassphrase(values['passphrase-file'], io);
    const anchor = await loadAnchor(anchorPath, passphrase);
    const pinned = pinAnchor(anchor.networkId, anchor.key.jwk);
    const previous = await previousDescriptor(outPath, pinned, ring.country);
    const now = clock(io);
    const serial = explicitSerial ?? Math.max(now, (previous?.serial ?? -1) + 1);
    if (previous && serial <= previous.serial) {
      throw new UsageError(`--serial ${serial} must exceed ${previous.serial}, the serial of the descriptor already in ${outPath}`);
    }
    const descriptor = describeNode(anchor.networkId, asDescribable(ring), { now, validDays, serial, status, revokedKids });
    const jws = await signDescriptor(descriptor, anchor);
    await mkdir(dirname(outPath), { recursive: true });
    await writeFile(outPath, jws);
    io.out(summary(descriptor, outPath));
    return 0;
  },
};

/** describeNode reads only the country, each generation's createdAt and its public keys (kid, jwk). */
function asDescribable(ring: PublicKeyring): NodeKeyring {
  return ring as unknown as NodeKeyring;
}

/** The descriptor already at `path`, if any; it must be this anchor's, for this country. */
async function previousDescriptor(path: string, anchor: PinnedAnchor, country: string): Promise<NodeDescriptor | undefined> {
  if (!(await exists(path))) return undefined;
  let previous: NodeDescriptor;
  try {
    previous = await verifyDescriptor((await readFile(path, 'utf8')).trim(), anchor);
  } catch {
    throw new CommandFailedError(`${path} exists but is not a descriptor signed by this anchor; remove it or choose another --out`);
  }
  if (previous.country !== country) {
    throw new CommandFailedError(`${path} holds the descriptor of ${previous.country}, not ${country}; choose another --out`);
  }
  return previous;
}

function summary(d: NodeDescriptor, path: string): string {
  const day = (ms: number) => new Date(ms).toISOString();
  return [
    `descriptor for ${d.country} on network ${d.networkId}: serial ${d.serial}, status ${d.status}`,
    `  valid ${day(d.validFrom)} to ${day(d.validUntil)}`,
    ...d.keys.map((k) => `  ${k.use} ${k.kid} ${k.status}, ${day(k.notBefore)} to ${day(k.notAfter)}`),
    `written to ${path}`,
  ].join('\n');
}
