/**
 * Generates tests/vectors/envelope-v1.json, the language-neutral test vectors of envelope v1
 * (docs/protocol.md §15), and the vectors of the other layers (scripts/vectors/: descriptors,
 * receipts, typed payloads, lifecycle steps, registry records and chains, attachments, lanes, links of a request, aggregate statistics records). Deterministic: every key, nonce, content key, ephemeral secret and
 * id comes from SHA-256 of a fixed label, and the clock is fixed, so two runs give the same
 * bytes. Valid envelope cases go through `seal`; invalid ones are built by hand
 * (scripts/vectors/envelope-kit.ts: content, JWS, AEAD, sealed keys) because `seal` refuses to make them.
 *
 * Run: `npm run vectors`. The test tests/envelope-vectors.test.ts fails when the committed
 * file differs from what this script produces.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildAttachmentVectors } from './vectors/attachments.js';
import { buildDescriptorVectors } from './vectors/descriptors.js';
import { buildLaneVectors } from './vectors/lanes.js';
import { buildLinkVectors } from './vectors/links.js';
import { buildVectors } from './vectors/envelopes.js';
import { buildPayloadVectors } from './vectors/payloads.js';
import { buildReceiptVectors } from './vectors/receipts.js';
import { buildRegistryVectors } from './vectors/registry.js';
import { buildStatsVectors } from './vectors/stats.js';
import { buildStepVectors } from './vectors/steps.js';

export { buildVectors };

export const VECTORS_PATH = fileURLToPath(new URL('../tests/vectors/envelope-v1.json', import.meta.url));

/** Every vector file of tests/vectors/, by path, as the generators make it. */
export async function buildAllVectors(): Promise<Map<string, string>> {
  const at = (name: string) => fileURLToPath(new URL(`../tests/vectors/${name}`, import.meta.url));
  return new Map([
    [VECTORS_PATH, await buildVectors()],
    [at('descriptors-v1.json'), await buildDescriptorVectors()],
    [at('receipts-v1.json'), buildReceiptVectors()],
    [at('payloads-v1.json'), buildPayloadVectors()],
    [at('steps-v1.json'), buildStepVectors()],
    [at('registry-v1.json'), await buildRegistryVectors()],
    [at('attachments-v1.json'), await buildAttachmentVectors()],
    [at('lanes-v1.json'), buildLaneVectors()],
    [at('links-v1.json'), buildLinkVectors()],
    [at('stats-v1.json'), await buildStatsVectors()],
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of await buildAllVectors()) {
    await writeFile(path, text);
    console.log(`wrote ${path}`);
  }
}
