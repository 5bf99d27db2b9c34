/**
 * Writes deploy/nats.conf and deploy/cluster.conf from services/transport/accounts.ts:
 *   npx tsx scripts/gen-deploy.ts [--network enlace-demo] [--countries AR,UY,BR] [--out deploy]
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { deployClusterConf, deployNatsConf, DEPLOY_COUNTRIES, DEPLOY_NETWORK } from './lib/deploy-nats-conf.js';

const { values } = parseArgs({ options: { network: { type: 'string' }, countries: { type: 'string' }, out: { type: 'string' } } });
const countries = values.countries ? values.countries.split(',').map((c) => c.trim()) : [...DEPLOY_COUNTRIES];
if (!countries.every((c) => /^[A-Z]{2}$/.test(c))) throw new Error('--countries: ISO 3166-1 alpha-2 codes in capitals, comma-separated');
const out = values.out ?? fileURLToPath(new URL('../deploy/', import.meta.url));
await writeFile(join(out, 'nats.conf'), deployNatsConf(values.network ?? DEPLOY_NETWORK, countries));
await writeFile(join(out, 'cluster.conf'), deployClusterConf());
process.stdout.write(`wrote ${join(out, 'nats.conf')} and ${join(out, 'cluster.conf')}\n`);
