/** The test kit's forms (services/requests/testkit.ts) for nodes that run on today's clock. */
import { TEST_NOW } from '../services/requests/testkit.js';

/**
 * `value` with every date after TEST_NOW (deadlines, planned contacts) moved forward by as far as
 * today is from TEST_NOW, and a day more, so that what the kit dates in the future stays there.
 */
export function current<T>(value: T): T {
  const shift = Date.now() - TEST_NOW + 86_400_000;
  const testDay = new Date(TEST_NOW).toISOString().slice(0, 10);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= testDay) return new Date(Date.parse(v) + shift).toISOString().slice(0, 10);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Uint8Array) return v;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
