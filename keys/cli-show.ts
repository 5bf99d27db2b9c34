import { readFile } from 'node:fs/promises';
import { decodeProtectedHeader } from 'jose';
import { readPinnedAnchor } from './anchor.js';
import { CommandFailedError, type KeysSubcommand, parseOptions, pathFrom, UsageError } from './cli-args.js';
import { descriptorSchema, verifyDescriptor } from './descriptor.js';
import { fromB64u } from './encoding.js';
import { parseKeyFile } from './keystore.js';

export const show: KeysSubcommand = {
  name: 'show',
  summary: 'print public keys or a descriptor as JSON (never secrets)',
  help: `usage: enlace keys show --keys <file>
       enlace keys show --anchor <anchor.pub.json>
       enlace keys show --descriptor <file.jws> [--anchor <anchor.pub.json>]

Prints, as JSON, public information only; no passphrase is asked for:
  --keys <file>        the public keys listed in a key file (node or anchor)
  --anchor <file>      a pinned anchor public key file
  --descriptor <file>  a node descriptor; with --anchor its signature is verified against
                       that anchor, without it the content is shown as unverified
  -h, --help           show this help`,
  async run(argv, io) {
    const values = parseOptions(argv, { keys: { type: 'string' }, anchor: { type: 'string' }, descriptor: { type: 'string' } });
    const given = [values.keys, values.anchor, values.descriptor].filter((v) => v !== undefined).length;
    if (given === 0) throw new UsageError('give one of --keys, --anchor or --descriptor');
    if (values.keys !== undefined && given > 1) throw new UsageError('--keys cannot be combined with --anchor or --descriptor');
    let shown: unknown;
    if (values.keys !== undefined) shown = await showKeyFile(pathFrom(io, values.keys));
    else if (values.descriptor !== undefined) {
      shown = await showDescriptor(pathFrom(io, values.descriptor), values.anchor === undefined ? undefined : pathFrom(io, values.anchor));
    } else shown = await showAnchor(pathFrom(io, values.anchor!));
    io.out(JSON.stringify(shown, null, 2));
    return 0;
  },
};

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new CommandFailedError(`cannot read ${path}`);
  }
}

/** Only the clear `public` section: the encrypted part is not even decrypted. */
async function showKeyFile(path: string): Promise<unknown> {
  const file = parseKeyFile(await readText(path), path);
  return { file: path, kind: file.kind, ...file.public };
}

async function showAnchor(path: string): Promise<unknown> {
  const anchor = await readPinnedAnchor(path);
  return { file: path, networkId: anchor.networkId, kid: anchor.kid, jwk: anchor.jwk };
}

async function showDescriptor(path: string, anchorPath: string | undefined): Promise<unknown> {
  const jws = (await readText(path)).trim();
  if (anchorPath !== undefined) {
    const anchor = await readPinnedAnchor(anchorPath);
    const descriptor = await verifyDescriptor(jws, anchor);
    return { file: path, verified: true, anchorKid: anchor.kid, descriptor };
  }
  let header: unknown;
  let content: unknown;
  try {
    header = decodeProtectedHeader(jws);
    content = JSON.parse(new TextDecoder().decode(fromB64u(jws.split('.')[1] ?? '')));
  } catch {
    throw new CommandFailedError(`${path} is not a node descriptor (JWS compact serialization)`);
  }
  const parsed = descriptorSchema.safeParse(content);
  if (!parsed.success) throw new CommandFailedError(`${path} does not hold a node descriptor`);
  return { file: path, verified: false, note: 'signature not checked: pass --anchor <anchor.pub.json> to verify it', header, descriptor: parsed.data };
}
