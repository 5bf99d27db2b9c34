import { join } from 'node:path';
import { createAnchor, writePinnedAnchor } from './anchor.js';
import { type KeysSubcommand, parseOptions, pathFrom, readPassphrase, refuseToOverwrite, required, withPassphrase } from './cli-args.js';

export const ANCHOR_KEY_FILE = 'anchor.key.json';
export const ANCHOR_PUBLIC_FILE = 'anchor.pub.json';

export const anchorInit: KeysSubcommand = {
  name: 'anchor init',
  summary: 'create the network trust anchor (once per network)',
  help: `usage: enlace keys anchor init --network <id> --dir <dir> [--passphrase-file <path>]

Creates the network trust anchor, the Ed25519 key that certifies every node:
  <dir>/${ANCHOR_KEY_FILE}   the private key, encrypted with the passphrase (keep it offline)
  <dir>/${ANCHOR_PUBLIC_FILE}   the public key every node pins
Existing files are never overwritten.

options:
  --network <id>            network id: 1-63 lower-case letters, digits, dots or hyphens
  --dir <dir>               folder to write both files to (created if missing)
  --passphrase-file <path>  read the passphrase from this file instead of ENLACE_KEY_PASSPHRASE
  -h, --help                show this help`,
  async run(argv, io) {
    const values = parseOptions(argv, withPassphrase({ network: { type: 'string' }, dir: { type: 'string' } }));
    const networkId = required(values.network, '--network');
    const dir = pathFrom(io, required(values.dir, '--dir'));
    const passphrase = await readPassphrase(values['passphrase-file'], io);
    const keyPath = join(dir, ANCHOR_KEY_FILE);
    const pubPath = join(dir, ANCHOR_PUBLIC_FILE);
    await refuseToOverwrite(keyPath, pubPath);
    const anchor = await createAnchor(keyPath, networkId, passphrase);
    await writePinnedAnchor(pubPath, anchor);
    io.out(
      [
        `trust anchor created for network ${networkId}`,
        `  anchor key id: ${anchor.key.kid}`,
        `  private key:   ${keyPath} (encrypted; keep it offline)`,
        `  public key:    ${pubPath} (every node pins this file)`,
      ].join('\n'),
    );
    return 0;
  },
};
