import { chmod, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEnlaceError } from '../keys/index.js';
import { NationalNode } from '../services/index.js';
import { startGateway } from './_browser.js';
import { clientsFor, eventually, Federation, PASSPHRASE, quietLogger, submitRequestOf } from './_util.js';

/** Every folder and file under `root` with its permission bits. */
async function modesUnder(root: string): Promise<{ path: string; dir: boolean; mode: number }[]> {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  const walk = async (path: string) => {
    const s = await stat(path);
    out.push({ path, dir: s.isDirectory(), mode: s.mode & 0o777 });
    if (s.isDirectory()) for (const name of await readdir(path)) await walk(join(path, name));
  };
  await walk(root);
  return out;
}

const octal = (m: number) => m.toString(8).padStart(4, '0');

describe('files at rest', () => {
  let fed: Federation;
  let umask: number;

  beforeAll(() => {
    // The loosest umask: every mode checked below is set by the code, not inherited from the process.
    umask = process.umask(0);
  });

  afterAll(async () => {
    await fed?.destroy();
    process.umask(umask);
  });

  it('a node and a gateway create their folders 0700 and files 0600 (keys, node.db and gateway.db with -wal and -shm), and JetStream data is private', { timeout: 90_000 }, async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await fed.startNode('AR');
    await fed.startNode('UY');
    await ar.waitForTransport();
    const gw = await startGateway(fed, 'AR');
    const c = await clientsFor(ar);
    const id = (await c.submit(submitRequestOf())).request!.id;
    await eventually(() => fed.nodes.get('UY')!.deps.store.getRequest(id), 20_000, 'arrival at UY');
    c.close();

    const dataDir = fed.layout.dataDir('AR');
    const entries = await modesUnder(dataDir);
    const names = entries.map((e) => e.path.slice(dataDir.length + 1));
    expect(names).toEqual(expect.arrayContaining(['node.db', 'node.db-wal', 'node.db-shm', 'gateway.db', 'gateway.db-wal', 'gateway.db-shm', 'keys']));
    expect(names.filter((n) => n.startsWith('keys/')).length).toBeGreaterThanOrEqual(3);
    const wrong = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${octal(e.mode)}`);
    expect(wrong).toEqual([]);

    const js = await modesUnder(fed.nats.storeDir);
    expect(octal(js[0]!.mode)).toBe('0700');
    expect(js.filter((e) => (e.mode & 0o007) !== 0).map((e) => `${e.path} ${octal(e.mode)}`)).toEqual([]);
    await gw.destroy();
  });

  it('a node whose node.db or key file other users can read refuses to start with ERR_FILE_PERMISSIONS, naming the file', { timeout: 60_000 }, async () => {
    await fed.stopNode('AR');
    const dataDir = fed.layout.dataDir('AR');
    const create = () => NationalNode.create(fed.config('AR'), { passphrase: PASSPHRASE }, { logger: quietLogger });
    const refusal = async () => {
      const e = await create().then(
        (node) => {
          void node.destroy();
          return undefined;
        },
        (err: unknown) => err,
      );
      expect(isEnlaceError(e) ? e.code : e).toBe('ERR_FILE_PERMISSIONS');
      return (e as Error).message;
    };

    await chmod(join(dataDir, 'node.db'), 0o644);
    expect(await refusal()).toContain(join(dataDir, 'node.db'));
    await chmod(join(dataDir, 'node.db'), 0o600);

    await chmod(join(dataDir, 'keys', 'AR.keys.json'), 0o640);
    expect(await refusal()).toContain(join(dataDir, 'keys', 'AR.keys.json'));
    await chmod(join(dataDir, 'keys', 'AR.keys.json'), 0o600);

    const node = await create();
    await node.destroy();
  });
});
