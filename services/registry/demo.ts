import { EnlaceError } from '../../keys/index.js';
import { DEMO_DIRECTORY } from './demo-data.js';
import type { Registry } from './registry.js';

/**
 * Loads the demo directory of the registry's own country (AR, UY or BR) as one signed
 * record, once: only while the country's log is empty. Other countries: nothing to load.
 *
 * @example await node.registry.ready(); await loadDemoDirectory(node.registry);
 */
export async function loadDemoDirectory(registry: Registry): Promise<{ loaded: boolean; contacts: number }> {
  const demo = DEMO_DIRECTORY[registry.country];
  if (!demo || registry.headSeq(registry.country) > 0) return { loaded: false, contacts: 0 };
  const content = JSON.stringify({ country: registry.country, profile: demo.profile, contacts: demo.contacts });
  const report = await registry.importDirectory('json', content, 'demo-loader');
  if (report.problems.length > 0) {
    throw new EnlaceError('ERR_INTERNAL', `the demo directory of ${registry.country} does not validate: ${JSON.stringify(report.problems[0])}`);
  }
  return { loaded: report.applied, contacts: report.created };
}
