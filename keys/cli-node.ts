import { join } from 'node:path';
import { clock, type KeysSubcommand, parseOptions, pathFrom, readPassphrase, refuseToOverwrite, required, withPassphrase } from './cli-args.js';
import type { NodeKeySet } from './keyset.js';
import { assertCountry, createNodeKeys, currentKeySet, rotateNodeKeys } from './node-keys.js';

export function nodeKeyFileName(country: string): string {
  return `${country}.keys.json`;
}

function describeSet(set: NodeKeySet): string[] {
  return [`  signing key (Ed25519):    ${set.signing.kid}`, `  encryption key (X25519):  ${set.encryption.kid}`];
}

export const nodeInit: KeysSubcommand = {
  name: 'init',
  summary: "create a node's key file (Ed25519 signing + X25519 encryption)",
  help: `usage: enlace keys init --country <CC> --dir <dir> [--passphrase-file <path>]

Creates <dir>/<CC>.keys.json: a national node's Ed25519 signing key and X25519 encryption
key (independent keys), encrypted with the passphrase (argon2id + secretbox). Public keys
are listed in clear in the same file for "enlace keys show" and "enlace keys certify".
An existing file is never overwritten.

options:
  --country <CC>            the node's ISO 3166-1 alpha-2 country code, like AR
  --dir <dir>               folder to write the key file to (created if missing)
  --passphrase-file <path>  read the passphrase from this file instead of ENLACE_KEY_PASSPHRASE
  -h, --help                show this help`,
  async run(argv, io) {
    const values = parseOptions(argv, withPassphrase({ country: { type: 'string' }, dir: { type: 'string' } }));
    const country = assertCountry(required(values.country, '--country'), '--country');
    const path = join(pathFrom(io, required(values.dir, '--dir')), nodeKeyFileName(country));
    const passphrase = await readPassphrase(values['passphrase-file'], io);
    await refuseToOverwrite(path);
    const ring = await createNodeKeys(path, country, passphrase, clock(io));
    io.out(
      [
        `keys created for ${country} in ${path} (encrypted)`,
        ...describeSet(currentKeySet(ring)),
        `next: have the network anchor certify them: enlace keys certify --anchor-dir <dir> --keys ${path} --out <file.jws>`,
      ].join('\n'),
    );
    return 0;
  },
};

export const nodeRotate: KeysSubcommand = {
  name: 'rotate',
  summary: 'add a new key generation to a node key file',
  help: `usage: enlace keys rotate --keys <file> [--passphrase-file <path>]

Adds a new generation of signing and encryption keys to a node key file. The new keys sign
and receive from now on; the older ones stay in the file so that both verify and decrypt
during the overlap. Certify the file again so that the network learns the new keys, and
later revoke the old ones with "enlace keys certify --revoke-kid <kid>".

options:
  --keys <file>             the node key file (<CC>.keys.json)
  --passphrase-file <path>  read the passphrase from this file instead of ENLACE_KEY_PASSPHRASE
  -h, --help                show this help`,
  async run(argv, io) {
    const values = parseOptions(argv, withPassphrase({ keys: { type: 'string' } }));
    const path = pathFrom(io, required(values.keys, '--keys'));
    const passphrase = await readPassphrase(values['passphrase-file'], io);
    const ring = await rotateNodeKeys(path, passphrase, clock(io));
    io.out(
      [
        `new key generation added for ${ring.country} in ${path} (${ring.sets.length} generations)`,
        ...describeSet(currentKeySet(ring)),
        `next: certify the file again so that the network learns the new keys`,
      ].join('\n'),
    );
    return 0;
  },
};
