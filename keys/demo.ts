import { access, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createAnchor, writePinnedAnchor } from './anchor.js';
import { describeNode, signDescriptor } from './descriptor.js';
import { createNodeKeys } from './node-keys.js';

export interface DemoLayout {
  root: string;
  trustDir: string;
  anchorKey: string;
  dataDir(country: string): string;
}

export function demoLayout(root: string): DemoLayout {
  return {
    root,
    trustDir: join(root, 'trust'),
    anchorKey: join(root, 'anchor', 'anchor.key.json'),
    dataDir: (country) => join(root, 'nodes', country),
  };
}

/**
 * Creates a demo network on first use: an anchor, keys for each country and their
 * anchor-signed descriptors in a shared trust folder. Returns false when it already existed.
 * Demo keys are generated here, at first start, and never committed.
 */
export async function ensureDemoNetwork(root: string, networkId: string, countries: string[], passphrase: string, now: number): Promise<{ created: boolean; layout: DemoLayout }> {
  const layout = demoLayout(root);
  const exists = await access(join(layout.trustDir, 'anchor.pub.json')).then(
    () => true,
    () => false,
  );
  if (exists) return { created: false, layout };
  const anchor = await createAnchor(layout.anchorKey, networkId, passphrase);
  await mkdir(join(layout.trustDir, 'descriptors'), { recursive: true });
  for (const country of countries) {
    const ring = await createNodeKeys(join(layout.dataDir(country), 'keys', `${country}.keys.json`), country, passphrase, now);
    const jws = await signDescriptor(describeNode(networkId, ring, { now, validDays: 365, serial: now }), anchor);
    await writeFile(join(layout.trustDir, 'descriptors', `${country}.jws`), jws + '\n');
  }
  await writePinnedAnchor(join(layout.trustDir, 'anchor.pub.json'), anchor);
  return { created: true, layout };
}
